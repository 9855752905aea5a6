package org.lipflow.engine.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Local runs stay local: every listening socket of a session lipflow starts on a local master
 * (this JVM's, and its executor JVMs' on local-cluster) is bound to a loopback address, the UI
 * included; settings given before are kept.
 */
@Tag("spark")
class LocalBindingTest {
    private final List<String> saved = new ArrayList<>();
    private static final String[] PROPERTIES = {"spark.ui.enabled", "spark.driver.host", "spark.driver.bindAddress"};

    @BeforeEach
    void ownSession() {
        SparkTestSession.stop();
        for (String p : PROPERTIES) {
            saved.add(System.getProperty(p));
            System.clearProperty(p);
        }
    }

    @AfterEach
    void restore() {
        for (int i = 0; i < PROPERTIES.length; i++) {
            if (saved.get(i) == null) {
                System.clearProperty(PROPERTIES[i]);
            } else {
                System.setProperty(PROPERTIES[i], saved.get(i));
            }
        }
    }

    /** A listening TCP socket: the process that holds it and its local address as /proc/net/tcp* prints it. */
    record Listener(long pid, String address, boolean loopback) {
    }

    /** The LISTEN sockets of the given processes, from /proc/PID/fd (socket inodes) and /proc/PID/net/tcp and tcp6. */
    static List<Listener> listeners(Set<Long> pids) throws IOException {
        List<Listener> out = new ArrayList<>();
        for (long pid : pids) {
            Set<String> inodes = new HashSet<>();
            try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                for (Path fd : fds.toList()) {
                    try {
                        String link = Files.readSymbolicLink(fd).toString();
                        if (link.startsWith("socket:[")) {
                            inodes.add(link.substring(8, link.length() - 1));
                        }
                    } catch (IOException e) {
                        // closed meanwhile
                    }
                }
            }
            for (String table : new String[]{"tcp", "tcp6"}) {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/net/" + table)).subList(1, Files.readAllLines(
                        Path.of("/proc/" + pid + "/net/" + table)).size())) {
                    String[] f = line.trim().split("\\s+");
                    if (f[3].equals("0A") && inodes.contains(f[9])) {
                        out.add(new Listener(pid, table + " " + f[1], isLoopback(f[1].substring(0, f[1].indexOf(':')))));
                    }
                }
            }
        }
        return out;
    }

    /** /proc/net/tcp prints IPv4 as one little-endian word, IPv6 as four. */
    static boolean isLoopback(String hex) {
        if (hex.length() == 8) {
            return hex.endsWith("7F"); // 127.x.x.x
        }
        return hex.equals("00000000000000000000000001000000") // ::1
                || hex.startsWith("0000000000000000FFFF0000") && hex.endsWith("7F"); // ::ffff:127.x.x.x
    }

    private static Set<Long> thisJvmAndItsChildren() {
        Set<Long> pids = new HashSet<>();
        pids.add(ProcessHandle.current().pid());
        ProcessHandle.current().descendants().forEach(p -> pids.add(p.pid()));
        return pids;
    }

    @Test
    void theProcParserTellsLoopbackFromOtherAddresses() {
        assertTrue(isLoopback("0100007F"));
        assertFalse(isLoopback("00000000"));
        assertFalse(isLoopback("0F02000A"));
        assertTrue(isLoopback("00000000000000000000000001000000"));
        assertTrue(isLoopback("0000000000000000FFFF00000100007F"));
        assertFalse(isLoopback("00000000000000000000000000000000"));
    }

    private static void assertAllLoopback(int atLeast) throws IOException {
        List<Listener> ls = listeners(thisJvmAndItsChildren());
        assertTrue(ls.size() >= atLeast, "listeners found: " + ls);
        for (Listener l : ls) {
            assertTrue(l.loopback(), "listening beyond the machine: " + l + " (all: " + ls + ")");
        }
    }

    @Test
    void aLocalRunListensOnLoopbackOnlyAndItsUiAnswersThere() throws IOException {
        String envBefore = System.getenv("SPARK_LOCAL_IP");
        SparkSessions.Handle h = SparkSessions.open("local[2]", "auto", true);
        try {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(h.session().sparkContext());
            assertEquals(10, sc.parallelize(List.of(1, 2, 3, 4), 2).map(x -> x).reduce(Integer::sum));
            String url = SparkSessions.uiUrl(h).orElseThrow();
            assertTrue(url.startsWith("http://127.0.0.1:"), url);
            HttpURLConnection c = (HttpURLConnection) new URL(url + "/jobs/").openConnection();
            assertEquals(200, c.getResponseCode());
            c.disconnect();
            assertAllLoopback(3); // driver RPC, block manager, UI
        } finally {
            h.stop();
        }
        assertEquals(envBefore, System.getenv("SPARK_LOCAL_IP"), "the environment is as before once the session stopped");
    }

    @Test
    void theRunCommandPrintsTheUiUrlOnceWithItsProgressLine(@org.junit.jupiter.api.io.TempDir Path tmp) {
        java.io.StringWriter out = new java.io.StringWriter(), err = new java.io.StringWriter();
        int code = org.lipflow.cli.Main.execute(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true), "run",
                "--set", "target.synthetic=gaussian", "--steps", "2", "--engine", "spark", "--master", "local[1]",
                "--set", "output.plots=false", "--out", tmp.resolve("out").toString());
        assertEquals(0, code, err.toString());
        String announce = "lipflow: Spark UI at http://127.0.0.1:";
        assertEquals(1, err.toString().lines().filter(l -> l.startsWith(announce)).count(), err.toString());
        java.io.StringWriter quietErr = new java.io.StringWriter();
        code = org.lipflow.cli.Main.execute(new java.io.PrintWriter(out, true), new java.io.PrintWriter(quietErr, true), "run",
                "--quiet", "--set", "target.synthetic=gaussian", "--steps", "2", "--engine", "spark", "--master", "local[1]",
                "--set", "output.plots=false", "--out", tmp.resolve("quiet").toString());
        assertEquals(0, code, quietErr.toString());
        assertFalse(quietErr.toString().contains("Spark UI"), "no progress line, no UI: " + quietErr);
    }

    @Test
    void withoutTheProgressLineALocalRunHasNoUiAndEngineUiTurnsItOn() {
        SparkSessions.Handle h = SparkSessions.open("local[1]", "auto", false);
        try {
            assertFalse(h.session().sparkContext().uiWebUrl().isDefined());
            assertEquals("127.0.0.1", h.session().sparkContext().getConf().get("spark.driver.bindAddress"));
        } finally {
            h.stop();
        }
        h = SparkSessions.open("local[1]", "false", true);
        try {
            assertFalse(h.session().sparkContext().uiWebUrl().isDefined(), "engine.ui = false");
        } finally {
            h.stop();
        }
    }

    @Test
    void settingsGivenBeforeLipflowStartsSparkAreKept() {
        System.setProperty("spark.ui.enabled", "false");
        System.setProperty("spark.driver.host", "localhost");
        SparkSessions.Handle h = SparkSessions.open("local[1]", "true", true);
        try {
            assertFalse(h.session().sparkContext().uiWebUrl().isDefined(), "a pre-set spark.ui.enabled=false wins over engine.ui");
            assertEquals("localhost", h.session().sparkContext().getConf().get("spark.driver.host"));
            assertEquals("127.0.0.1", h.session().sparkContext().getConf().get("spark.driver.bindAddress"), "the unset one is lipflow's");
        } finally {
            h.stop();
        }
    }

    @Test
    @Tag("cluster")
    void aLocalClusterRunListensOnLoopbackOnlyInEveryJvm() throws IOException {
        String home = System.getenv("SPARK_HOME");
        if (home != null) {
            new java.io.File(home, "jars").mkdirs();
        }
        SparkSessions.Handle h = SparkSessions.open("local-cluster[1,1,1024]", "true", true);
        try {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(h.session().sparkContext());
            assertEquals(10, sc.parallelize(List.of(1, 2, 3, 4), 2).map(x -> x).reduce(Integer::sum));
            assertTrue(ProcessHandle.current().descendants().findAny().isPresent(), "an executor JVM runs");
            assertAllLoopback(7); // driver RPC, block manager, UI; Master RPC and UI; Worker RPC and UI (+ executor's)
        } finally {
            h.stop();
        }
    }
}
