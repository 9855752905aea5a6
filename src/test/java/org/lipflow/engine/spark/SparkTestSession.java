package org.lipflow.engine.spark;

import org.apache.spark.sql.SparkSession;

import java.io.File;

/**
 * One SparkSession per test JVM (Spark allows one context per JVM), switched only when a test
 * needs another master. local-cluster executors are separate JVMs launched through a minimal
 * SPARK_HOME (an empty jars/ folder; the pom sets SPARK_HOME and SPARK_SCALA_VERSION). A switched
 * session is stopped through its handle, which removes its local and work directories.
 */
public final class SparkTestSession {
    private static SparkSessions.Handle handle;
    private static String master;

    private SparkTestSession() {
    }

    /** Stops the shared session (through its handle), for a test that needs to start its own. */
    public static synchronized void stop() {
        if (handle != null) {
            if (handle.started()) {
                handle.stop();
            } else {
                handle.session().stop();
            }
            SparkSession.clearActiveSession();
            SparkSession.clearDefaultSession();
            handle = null;
        }
    }

    public static synchronized SparkSession get(String wanted) {
        if (handle != null && wanted.equals(master) && !handle.session().sparkContext().isStopped()) {
            return handle.session();
        }
        stop();
        String home = System.getenv("SPARK_HOME");
        if (home != null) {
            new File(home, "jars").mkdirs();
        }
        System.setProperty("spark.ui.enabled", "false");
        handle = SparkSessions.open(wanted);
        master = wanted;
        return handle.session();
    }
}
