package org.lipflow.engine.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import org.apache.spark.scheduler.ExternalClusterManager;
import org.lipflow.io.DirectoryOwner;
import org.lipflow.io.OutputDirectory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Creates (or joins) the Spark session of a run. Under spark-submit the master and JVM options
 * come from spark-submit; an embedded driver (jobs/lipflow, tests, notebooks) sets what executors
 * need: Java 17 module options, the Vector API module, and for local-cluster masters the driver's
 * class path with absolute entries.
 *
 * <p>A session lipflow starts on a local or local-cluster master keeps its block-manager and
 * scratch files in a lipflow-owned directory ({@link #LOCAL_DIR_PREFIX}, marked with a
 * {@link DirectoryOwner} file) that {@link Handle#stop()} removes, and that the next session
 * removes when the process that made it was killed; stopping it also removes the application's
 * local-cluster work directory ({@code $SPARK_HOME/work/app-*}, executor logs). Spark's task-failure
 * logs of errors lipflow reports itself are quieted ({@link SparkLogFilter}). Such a session
 * listens on the loopback address only ({@link LocalBinding}); its Spark UI is on only when asked
 * for ({@link #ui}); and log lines lose credentials ({@link LogRedaction}).
 */
public final class SparkSessions {
    /** Spark's JavaModuleOptions list plus the Vector API module. */
    public static final String JAVA_OPTIONS = "--add-modules=jdk.incubator.vector "
            + "--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED "
            + "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED "
            + "--add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED "
            + "--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED "
            + "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED "
            + "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED "
            + "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED";

    /** engine.master's default: no particular master asked for. */
    public static final String DEFAULT_MASTER = "local[*]";

    /** Name prefix of the spark.local.dir that lipflow gives the sessions it starts on this machine. */
    public static final String LOCAL_DIR_PREFIX = "lipflow-spark-";

    private static final Pattern LOCAL = Pattern.compile("local(\\[([0-9]+|\\*)(\\s*,\\s*[0-9]+)?])?");
    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\s*[0-9]+\\s*,\\s*[0-9]+\\s*,\\s*[0-9]+\\s*]");
    /** The context of the last session lipflow started (joined sessions of others log as configured). */
    private static volatile org.apache.spark.SparkContext startedHere;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SparkSessions.class);

    private SparkSessions() {
    }

    /**
     * Fails fast on a master URL Spark cannot parse (Spark itself fails only after starting half a
     * context, with its stack trace in the log): local forms, local-cluster, spark://, and any
     * other URL a cluster manager on the class path accepts (yarn, k8s://...).
     */
    static void checkMasterUrl(String master) {
        if (LOCAL.matcher(master).matches() || LOCAL_CLUSTER.matcher(master).matches() || master.startsWith("spark://")) {
            return;
        }
        if (!master.startsWith("local")) {
            try {
                for (ExternalClusterManager m : ServiceLoader.load(ExternalClusterManager.class, SparkSessions.class.getClassLoader())) {
                    if (m.canCreate(master)) {
                        return;
                    }
                }
            } catch (ServiceConfigurationError | LinkageError e) {
                return; // cannot tell: let Spark decide
            }
        }
        throw new IllegalArgumentException("engine.master: invalid Spark master URL '" + master + "' (expected local[N], "
                + "local[N,F], local-cluster[N,C,MB], spark://HOST:PORT, or yarn, k8s://... with their Spark modules)");
    }

    /** Whether {@code master} runs executors on this machine (local threads or local-cluster JVMs). */
    public static boolean onThisMachine(String master) {
        return LOCAL.matcher(master).matches() || LOCAL_CLUSTER.matcher(master).matches();
    }

    /** Whether {@code master} keeps executors in this JVM (local, local[N], local[N,F]). */
    public static boolean inThisJvm(String master) {
        return LOCAL.matcher(master).matches();
    }

    /**
     * Fails fast on a standalone master that does not answer: Spark itself would retry the
     * registration for about a minute and then fail with a less direct message.
     */
    static void checkReachable(String master) {
        if (!master.startsWith("spark://")) {
            return;
        }
        String last = null;
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            int port;
            try {
                port = colon < 0 ? 7077 : Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid Spark master URL '" + master + "'");
            }
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(host, port), 5000);
                return; // one reachable master of the list is enough
            } catch (java.io.IOException e) {
                last = e.getMessage();
            }
        }
        throw new IllegalArgumentException("cannot reach Spark master " + master + " (" + last + ")");
    }

    /**
     * A session and whether this call started it (and so should stop it).
     *
     * @param localDir the lipflow-owned spark.local.dir of a session started here, or null
     */
    public record Handle(SparkSession session, boolean started, Path localDir) {
        public Handle(SparkSession session, boolean started) {
            this(session, started, null);
        }

        /**
         * Stops a session started here and removes what it leaves on this machine: its local
         * directory and, on local-cluster, the application's work directory. A joined session is
         * left running.
         */
        public void stop() {
            if (!started) {
                return;
            }
            String master = session.sparkContext().master(), app = session.sparkContext().applicationId();
            session.stop();
            undoBinding();
            if (localDir != null) {
                deleteQuietly(localDir);
            }
            if (LOCAL_CLUSTER.matcher(master).matches() && app != null && app.startsWith("app-")) {
                deleteQuietly(workerDir().resolve(app));
            }
        }
    }

    /** Where local-cluster workers keep application directories: Spark's Worker uses SPARK_HOME/work. */
    static Path workerDir() {
        boolean testing = System.getenv("SPARK_TESTING") != null || System.getProperty("spark.testing") != null;
        String home = testing && System.getProperty("spark.test.home") != null ? System.getProperty("spark.test.home")
                : System.getenv().getOrDefault("SPARK_HOME", ".");
        return Path.of(home, "work");
    }

    private static void deleteQuietly(Path p) {
        try {
            OutputDirectory.deleteRecursively(p);
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not remove {}: {}", p, e.toString());
        }
    }

    /**
     * A lipflow-owned spark.local.dir for a session on this machine, unless the user chose one
     * (spark.local.dir or SPARK_LOCAL_DIRS); stale ones of killed processes are removed first.
     */
    private static Path ownLocalDir(SparkConf conf) {
        if (!onThisMachine(conf.get("spark.master")) || conf.contains("spark.local.dir") || System.getenv("SPARK_LOCAL_DIRS") != null) {
            return null;
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        for (DirectoryOwner.Removed r : DirectoryOwner.sweep(tmp, LOCAL_DIR_PREFIX)) {
            LOG.warn("removed stale Spark local directory {} of a lipflow run that did not finish", r);
        }
        try {
            Path dir = DirectoryOwner.createMarked(tmp, LOCAL_DIR_PREFIX + UUID.randomUUID());
            conf.set("spark.local.dir", dir.toString());
            return dir;
        } catch (IOException e) {
            return null; // Spark's default (the temp directory itself) still works
        }
    }

    /** What {@link LocalBinding} changed for the session started here, put back when it stops. */
    private static volatile Runnable bindingUndo;

    private static void undoBinding() {
        Runnable u = bindingUndo;
        bindingUndo = null;
        if (u != null) {
            u.run();
        }
    }

    /**
     * Whether a session lipflow starts should have the Spark UI, from {@code engine.ui}: true or
     * false as given; auto (the default) is on for a master on this machine when the progress
     * line is on, and leaves other masters to Spark's configuration (null).
     */
    public static Boolean ui(String mode, boolean progress, String master) {
        return switch (mode) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> onThisMachine(master) ? Boolean.valueOf(progress) : null;
        };
    }

    /** The URL of the Spark UI of a session lipflow started, if it has one (to print once). */
    public static java.util.Optional<String> uiUrl(Handle h) {
        if (h == null || !h.started() || !h.session().sparkContext().uiWebUrl().isDefined()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(h.session().sparkContext().uiWebUrl().get());
    }

    /** The active session if there is one (notebooks, tests), else a new one on {@code master}. */
    public static SparkSession getOrCreate(String master) {
        return open(master).session();
    }

    /**
     * Like {@link #getOrCreate} but says whether the session was started here. An active session
     * is joined when no particular master is asked for ({@link #DEFAULT_MASTER}) or it runs on the
     * one asked for; one JVM cannot hold two Spark contexts, so any other master is an error.
     */
    public static Handle open(String master) {
        return open(master, "auto", false);
    }

    /**
     * Like {@link #open(String)}, with the Spark UI as {@code engine.ui} says ({@link #ui}). A
     * session started on a local or local-cluster master listens on the loopback address only
     * ({@link LocalBinding}), its UI too. Settings already in the Spark configuration
     * (spark-submit's, {@code -Dspark...}) are never changed, and a joined session is left as it is.
     *
     * @param uiMode   engine.ui: auto, true or false
     * @param progress whether the run shows its progress line (auto: the UI comes with it on local masters)
     */
    public static Handle open(String master, String uiMode, boolean progress) {
        if (!master.equals(DEFAULT_MASTER)) {
            checkMasterUrl(master);
            checkReachable(master);
        }
        SparkLogFilter.install(onThisMachine(master), false); // Spark's start-up notes come with its first classes
        LogRedaction.install();
        SparkSession active = SparkSession.getActiveSession().isDefined() ? SparkSession.getActiveSession().get()
                : SparkSession.getDefaultSession().isDefined() ? SparkSession.getDefaultSession().get() : null;
        if (active != null && !active.sparkContext().isStopped()) {
            String running = active.sparkContext().master();
            if (!master.equals(DEFAULT_MASTER) && !master.equals(running)) {
                throw new IllegalArgumentException("a Spark session on " + running + " is already running in this JVM; "
                        + "it cannot also run on master " + master);
            }
            boolean mine = active.sparkContext() == startedHere;
            SparkLogFilter.install(mine && onThisMachine(running), mine);
            return new Handle(active, false);
        }
        SparkConf conf = new SparkConf(true);
        if (!conf.contains("spark.master")) {
            conf.setMaster(master);
        }
        checkReachable(conf.get("spark.master"));
        conf.setIfMissing("spark.app.name", "lipflow");
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        conf.setIfMissing("spark.executor.extraJavaOptions", JAVA_OPTIONS);
        conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", "1");
        // plans over wide inputs (784 pixel columns) are printed whole instead of a WARN that they were truncated
        conf.setIfMissing("spark.sql.debug.maxToStringFields", "100000");
        // the Spark UI's environment page and event logs hide the same keys as lipflow's outputs
        conf.setIfMissing("spark.redaction.regex", org.lipflow.util.Redaction.SPARK_REDACTION_REGEX);
        if (conf.get("spark.master").startsWith("local-cluster")) {
            String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                    .map(p -> new File(p).getAbsolutePath()).collect(Collectors.joining(File.pathSeparator));
            conf.setIfMissing("spark.executor.extraClassPath", cp);
        }
        String running = conf.get("spark.master");
        Boolean ui = ui(uiMode, progress, running);
        if (onThisMachine(running)) {
            LocalBinding.Undo undo = LocalBinding.apply(conf, running.startsWith("local-cluster"));
            bindingUndo = undo;
            boolean wanted = Boolean.TRUE.equals(ui);
            if (wanted && System.getenv(LocalBinding.ENV) == null && !conf.contains("spark.ui.enabled")) {
                wanted = false; // it would listen on every interface
                LOG.warn("Spark UI off: this JVM cannot keep it on the loopback address (no --add-opens java.base/java.lang "
                        + "and java.util); set SPARK_LOCAL_IP=127.0.0.1 to have it");
            }
            conf.setIfMissing("spark.ui.enabled", String.valueOf(wanted));
            // executors on this machine create outputs and checkpoints with the user's umask, not Hadoop's default 022
            if (org.lipflow.io.FileSystems.processUmask() != null && org.lipflow.io.FileSystems.hadoopConf()
                    .get(org.lipflow.io.FileSystems.UMASK_KEY).equals(org.lipflow.io.FileSystems.processUmask())) {
                conf.setIfMissing("spark.hadoop." + org.lipflow.io.FileSystems.UMASK_KEY, org.lipflow.io.FileSystems.processUmask());
            }
        } else if (ui != null) {
            conf.setIfMissing("spark.ui.enabled", ui.toString());
        }
        Path localDir = ownLocalDir(conf);
        SparkLogFilter.install(localDir != null, true);
        try {
            Handle h = new Handle(SparkSession.builder().config(conf).getOrCreate(), true, localDir);
            startedHere = h.session().sparkContext();
            SparkLogFilter.install(localDir != null, true); // again, should Spark have reconfigured log4j
            LogRedaction.install();
            return h;
        } catch (Exception e) { // SparkException is checked in Java's eyes but thrown undeclared
            undoBinding();
            if (localDir != null) {
                deleteQuietly(localDir);
            }
            throw new IllegalArgumentException("cannot start Spark with master '" + conf.get("spark.master") + "': "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }
}
