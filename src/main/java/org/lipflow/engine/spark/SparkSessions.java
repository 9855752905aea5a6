package org.lipflow.engine.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import java.io.File;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Creates (or joins) the Spark session of a run. Under spark-submit the master and JVM options
 * come from spark-submit; an embedded driver (jobs/lipflow, tests, notebooks) sets what executors
 * need: Java 17 module options, the Vector API module, and for local-cluster masters the driver's
 * class path with absolute entries.
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

    private SparkSessions() {
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

    /** A session and whether this call started it (and so should stop it). */
    public record Handle(SparkSession session, boolean started) {
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
        if (!master.equals(DEFAULT_MASTER)) {
            checkReachable(master);
        }
        SparkSession active = SparkSession.getActiveSession().isDefined() ? SparkSession.getActiveSession().get()
                : SparkSession.getDefaultSession().isDefined() ? SparkSession.getDefaultSession().get() : null;
        if (active != null && !active.sparkContext().isStopped()) {
            String running = active.sparkContext().master();
            if (!master.equals(DEFAULT_MASTER) && !master.equals(running)) {
                throw new IllegalArgumentException("a Spark session on " + running + " is already running in this JVM; "
                        + "it cannot also run on master " + master);
            }
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
        if (conf.get("spark.master").startsWith("local-cluster")) {
            String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                    .map(p -> new File(p).getAbsolutePath()).collect(Collectors.joining(File.pathSeparator));
            conf.setIfMissing("spark.executor.extraClassPath", cp);
        }
        try {
            return new Handle(SparkSession.builder().config(conf).getOrCreate(), true);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot start Spark with master '" + conf.get("spark.master") + "': "
                    + e.getMessage());
        }
    }
}
