package org.lipflow.engine.spark;

import org.apache.spark.SparkConf;

import java.lang.reflect.Field;
import java.util.Map;

/**
 * Keeps every listener of a Spark session that lipflow starts on a {@code local[...]} or
 * {@code local-cluster[...]} master on the loopback address: the driver's RPC endpoint and block
 * manager ({@code spark.driver.bindAddress}, {@code spark.driver.host}), the web UIs (the
 * driver's, and a local cluster's Master and Worker), and a local cluster's Master, Worker and
 * executors. A run that never leaves the machine then exposes nothing to the network.
 *
 * <p>Spark 3.5 binds its web UIs to the address in the environment variable
 * {@code SPARK_LOCAL_IP} (else to every interface), and has no configuration key for it; a
 * local cluster's Master and Worker bind to Spark's guess of the host's address. So while the
 * session runs, lipflow sets {@code SPARK_LOCAL_IP=127.0.0.1} in this JVM's environment (which
 * executor JVMs inherit) and Spark's host name to 127.0.0.1, and puts both back when the
 * session stops. Settings the user made are never changed: keys already in the Spark
 * configuration (spark-submit's, spark-defaults.conf, {@code -Dspark...}) and a
 * {@code SPARK_LOCAL_IP} or {@code SPARK_LOCAL_HOSTNAME} in the environment win.
 */
final class LocalBinding {
    static final String LOOPBACK = "127.0.0.1";
    static final String ENV = "SPARK_LOCAL_IP";

    private LocalBinding() {
    }

    /** What {@link #apply} changed outside the configuration, to put back when the session stops. */
    record Undo(boolean environment, Object hostName, boolean hostNameSet) implements Runnable {
        @Override
        public void run() {
            if (environment) {
                setEnvironment(ENV, null);
            }
            if (hostNameSet) {
                setCustomHostName(hostName);
            }
        }
    }

    /**
     * Binds a session on this machine to the loopback address.
     *
     * @return what to undo at stop, and whether the web UI can be kept on the loopback address
     */
    static Undo apply(SparkConf conf, boolean localCluster) {
        conf.setIfMissing("spark.driver.bindAddress", LOOPBACK);
        conf.setIfMissing("spark.driver.host", LOOPBACK);
        // Spark caches its guess of the host's address on first use: make that guess from the real
        // environment, so that sessions this JVM starts later on cluster masters advertise the right one
        org.apache.spark.util.Utils.localHostName();
        boolean environment = System.getenv(ENV) == null && setEnvironment(ENV, LOOPBACK);
        Object hostName = null;
        boolean hostNameSet = false;
        if (localCluster && System.getenv("SPARK_LOCAL_HOSTNAME") == null) {
            try {
                hostName = customHostNameField().get(org.apache.spark.util.Utils$.MODULE$);
                hostNameSet = setCustomHostName(scala.Option.apply(LOOPBACK));
            } catch (ReflectiveOperationException | RuntimeException e) {
                hostNameSet = false;
            }
        }
        return new Undo(environment, hostName, hostNameSet);
    }

    /** Whether Spark's web UIs bind to the loopback address now (SPARK_LOCAL_IP is a loopback address). */
    static boolean uiOnLoopback() {
        String ip = System.getenv(ENV);
        return ip != null && (ip.startsWith("127.") || ip.equals("::1") || ip.equals("localhost"));
    }

    /** Sets (value != null) or removes a variable of this JVM's environment; false when the JVM does not allow it. */
    @SuppressWarnings("unchecked")
    static boolean setEnvironment(String name, String value) {
        try {
            Field f = Class.forName("java.lang.ProcessEnvironment").getDeclaredField("theUnmodifiableEnvironment");
            f.setAccessible(true);
            Object unmodifiable = f.get(null);
            Field m = unmodifiable.getClass().getDeclaredField("m");
            m.setAccessible(true);
            Map<String, String> env = (Map<String, String>) m.get(unmodifiable);
            if (value == null) {
                env.remove(name);
            } else {
                env.put(name, value);
            }
            return value == null ? System.getenv(name) == null : value.equals(System.getenv(name));
        } catch (ReflectiveOperationException | RuntimeException e) { // InaccessibleObjectException without --add-opens
            return false;
        }
    }

    private static Field customHostNameField() throws NoSuchFieldException {
        Field f = org.apache.spark.util.Utils$.class.getDeclaredField("customHostname");
        f.setAccessible(true);
        return f;
    }

    private static boolean setCustomHostName(Object option) {
        try {
            customHostNameField().set(org.apache.spark.util.Utils$.MODULE$, option);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
