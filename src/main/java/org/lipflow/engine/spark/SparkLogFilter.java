package org.lipflow.engine.spark;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.filter.AbstractFilter;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps a lipflow run's stderr to what the user needs. Drops Spark's task-failure log lines (the executor's "Exception in task" ERROR, the scheduler's
 * "Lost task" WARN and its "aborting job" ERROR, each with a stack trace) when the failure is a
 * {@linkplain SparkErrors user error}: lipflow reports those itself as one line, and 45–170 lines
 * of stack traces above it hide it. Every other failure is logged as before.
 *
 * <p>For sessions lipflow starts on this machine it also drops three notes that say nothing there:
 * that spark.local.dir (which lipflow sets to its own directory) is overridden on cluster
 * managers, that the host name resolves to a loopback address, and that a local-cluster run's
 * checkpoint directory is on the local file system (which its executors share).
 *
 * <p>Installed on the log4j2 configuration of the JVM when lipflow starts a Spark session; does
 * nothing when log4j2 is not the logging backend (a notebook with another binding).
 */
public final class SparkLogFilter extends AbstractFilter {
    private static final Set<String> LOGGERS = Set.of("org.apache.spark.executor.Executor",
            "org.apache.spark.scheduler.TaskSetManager", "org.apache.spark.scheduler.TaskSchedulerImpl");
    private static final Pattern LOST_TASK = Pattern.compile("^Lost task \\S+ in stage (\\S+) ");
    private static final Pattern ABORTING = Pattern.compile("^Task \\S+ in stage (\\S+) failed \\d+ times; aborting job");

    /** Stages whose failure was a user error, so that their "aborting job" line is dropped too. */
    private final Set<String> quietStages = ConcurrentHashMap.newKeySet();

    /** The log4j2 configuration the filter was added to (a reconfiguration drops it). */
    private static java.lang.ref.WeakReference<Configuration> installedOn = new java.lang.ref.WeakReference<>(null);

    /** Whether the session being started runs on this machine with lipflow's spark.local.dir. */
    private static volatile boolean localSession;
    /** Whether the session in use was started by lipflow (a joined one logs as its owner configured). */
    private static volatile boolean startedByLipflow;

    SparkLogFilter() {
        super(Filter.Result.DENY, Filter.Result.NEUTRAL);
    }

    @Override
    public Result filter(LogEvent event) {
        String message = event.getMessage() == null ? "" : event.getMessage().getFormattedMessage();
        if (localSession && isLocalStartupNote(event.getLoggerName(), message)) {
            return Result.DENY;
        }
        if (!startedByLipflow || !LOGGERS.contains(event.getLoggerName())) {
            return Result.NEUTRAL;
        }
        Matcher aborting = ABORTING.matcher(message);
        if (aborting.find()) {
            return quietStages.contains(aborting.group(1)) ? Result.DENY : Result.NEUTRAL;
        }
        boolean user = (event.getThrown() != null && SparkErrors.isUserError(event.getThrown()))
                || SparkErrors.mentionsUserError(message);
        if (!user) {
            return Result.NEUTRAL;
        }
        Matcher lost = LOST_TASK.matcher(message);
        if (lost.find()) {
            if (quietStages.size() > 10_000) {
                quietStages.clear();
            }
            quietStages.add(lost.group(1));
        }
        return Result.DENY;
    }

    private static boolean isLocalStartupNote(String logger, String message) {
        return logger.equals("org.apache.spark.SparkConf") && message.startsWith("Note that spark.local.dir will be overridden")
                || logger.equals("org.apache.spark.SparkContext") && message.startsWith("Spark is not running in local mode, "
                + "therefore the checkpoint directory must not be on the local filesystem")
                || logger.equals("org.apache.spark.util.Utils")
                && (message.contains("resolves to a loopback address") || message.startsWith("Set SPARK_LOCAL_IP"));
    }

    /**
     * Adds the filter to every logger configuration of the current log4j2 context, once.
     *
     * @param onThisMachine the session lipflow starts runs on a local or local-cluster master
     * @param started       lipflow started the session (false: it joined a running one)
     */
    static void install(boolean onThisMachine, boolean started) {
        localSession = onThisMachine;
        startedByLipflow = started;
        try {
            if (!(LogManager.getContext(false) instanceof LoggerContext ctx)) {
                return;
            }
            Configuration config = ctx.getConfiguration();
            synchronized (SparkLogFilter.class) {
                if (installedOn.get() == config) {
                    return;
                }
                installedOn = new java.lang.ref.WeakReference<>(config);
            }
            SparkLogFilter filter = new SparkLogFilter();
            filter.start();
            for (LoggerConfig lc : loggerConfigs(config)) {
                lc.addFilter(filter);
            }
            ctx.updateLoggers();
        } catch (LinkageError | RuntimeException e) {
            // another logging backend: Spark logs as it always does
        }
    }

    private static Iterable<LoggerConfig> loggerConfigs(Configuration config) {
        Map<String, LoggerConfig> all = new java.util.LinkedHashMap<>(config.getLoggers());
        all.put("", config.getRootLogger());
        return all.values();
    }
}
