package org.lipflow.engine.spark;

import org.apache.spark.sql.SparkSession;

import java.io.File;

/**
 * One SparkSession per test JVM (Spark allows one context per JVM), switched only when a test
 * needs another master. local-cluster executors are separate JVMs launched through a minimal
 * SPARK_HOME (an empty jars/ folder; the pom sets SPARK_HOME and SPARK_SCALA_VERSION).
 */
public final class SparkTestSession {
    private static SparkSession session;
    private static String master;

    private SparkTestSession() {
    }

    public static synchronized SparkSession get(String wanted) {
        if (session != null && wanted.equals(master) && !session.sparkContext().isStopped()) {
            return session;
        }
        if (session != null) {
            session.stop();
            SparkSession.clearActiveSession();
            SparkSession.clearDefaultSession();
        }
        String home = System.getenv("SPARK_HOME");
        if (home != null) {
            new File(home, "jars").mkdirs();
        }
        System.setProperty("spark.ui.enabled", "false");
        session = SparkSessions.getOrCreate(wanted);
        master = wanted;
        return session;
    }
}
