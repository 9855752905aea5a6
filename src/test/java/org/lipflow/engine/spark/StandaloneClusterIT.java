package org.lipflow.engine.spark;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The job jar on a real Spark standalone cluster: a Master and two Workers (1 core, 1 GB each)
 * started from the project's own Spark jars on 127.0.0.1 with ephemeral ports, the job submitted
 * through {@code jobs/submit.sh --master spark://... --deploy-mode client} (which applies
 * conf/spark-defaults.conf: Kryo with lipflow's registrator, the Java 17 options), executors in
 * their own JVMs launched by the Workers. The second test runs the same job on a cluster with
 * {@code spark.authenticate} (shared secret from the environment), AES network encryption and
 * local-disk I/O encryption ({@code submit.sh --secure}) and expects byte-identical particles.
 * Only the processes started here are stopped (with their descendants, the executors).
 */
@Tag("cluster")
class StandaloneClusterIT {
    static final int PARTICLES = 400;
    static final int STEPS = 40;
    private static final Pattern MASTER_URL = Pattern.compile("Starting Spark master at (spark://127\\.0\\.0\\.1:[0-9]+)");

    @TempDir
    static Path dir;
    /** The output of the run without security, shared by both tests (one cluster start fewer). */
    private static Path plain;

    static synchronized Path plainRun() throws Exception {
        if (plain == null) {
            Path out = dir.resolve("plain");
            try (Cluster c = Cluster.start(dir.resolve("cluster"), null)) {
                c.submit(out, false);
                assertTrue(Files.readString(c.logs.get(0)).contains("authentication disabled"), c.daemonLogs());
            }
            plain = out;
        }
        return plain;
    }

    @Test
    void theJobRunsOnAStandaloneClusterThroughSubmitSh() throws Exception {
        Path out = plainRun();
        List<float[]> particles = particles(out);
        assertEquals(PARTICLES, particles.size(), "every particle written");
        for (float[] p : particles) {
            assertTrue(Float.isFinite(p[0]) && Float.isFinite(p[1]), "finite particle " + p[0] + "," + p[1]);
        }
        assertEquals(STEPS, Files.readAllLines(out.resolve("metrics.jsonl")).size());
        // the flow moves the N(0, 0.5^2) source towards the four modes at (0|4, 0|4): after 40 steps of
        // at most L*dt = 0.5 every quadrant around (2, 2) holds particles (the source has none beyond 2)
        int[] quadrant = new int[4];
        for (float[] p : particles) {
            quadrant[(p[0] > 2 ? 1 : 0) + (p[1] > 2 ? 2 : 0)]++;
        }
        for (int q = 0; q < 4; q++) {
            assertTrue(quadrant[q] >= PARTICLES / 10, "mode " + q + " reached: " + java.util.Arrays.toString(quadrant));
        }
    }

    @Test
    void authenticationAndEncryptionChangeNothingInTheOutput() throws Exception {
        Path plain = plainRun();
        Path secured = dir.resolve("secured");
        String secret = "lipflow-test-" + java.util.UUID.randomUUID();
        try (Cluster c = Cluster.start(dir.resolve("secured-cluster"), secret)) {
            String log = c.submit(secured, true);
            assertFalse(log.contains(secret), "the secret is not logged");
            for (Path daemonLog : c.logs) {
                assertTrue(Files.readString(daemonLog).contains("authentication enabled"), daemonLog + " runs with authentication");
            }
        }
        assertEquals(ExecutorLossTest.particles(plain), ExecutorLossTest.particles(secured), "byte-identical particles");
        assertEquals(ExecutorLossTest.monitors(plain), ExecutorLossTest.monitors(secured));
        try (Stream<Path> files = Files.walk(secured)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1).contains(secret),
                        "the secret is not in " + f);
            }
        }
    }

    /** The x1, x2 rows of a CSV output's part files. */
    static List<float[]> particles(Path out) throws IOException {
        List<float[]> rows = new ArrayList<>();
        try (Stream<Path> parts = Files.list(out.resolve("particles.csv"))) {
            for (Path f : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (!line.isBlank() && !line.startsWith("x1")) {
                        String[] v = line.split(",");
                        rows.add(new float[]{Float.parseFloat(v[0]), Float.parseFloat(v[1])});
                    }
                }
            }
        }
        return rows;
    }

    /** A Master and two Workers, each its own JVM; closing stops exactly these and their children. */
    static final class Cluster implements AutoCloseable {
        final Path home;
        final Map<String, String> env = new HashMap<>();
        final List<Process> daemons = new ArrayList<>();
        final List<Path> logs = new ArrayList<>();
        String masterUrl;

        private Cluster(Path home) {
            this.home = home;
        }

        /** Starts the cluster; with a secret, every daemon authenticates and encrypts its connections. */
        static Cluster start(Path root, String secret) throws Exception {
            Path home = root.resolve("spark-home");
            Files.createDirectories(home.resolve("jars")); // the launcher requires it; the jars come from SPARK_DIST_CLASSPATH
            Files.createDirectories(home.resolve("bin"));
            Path submit = home.resolve("bin/spark-submit");
            Files.copy(Path.of("src/test/resources/spark-dist/bin/spark-submit"), submit);
            assertTrue(submit.toFile().setExecutable(true));
            Cluster c = new Cluster(home);
            c.env.put("SPARK_HOME", home.toString());
            c.env.put("SPARK_SCALA_VERSION", "2.12");
            c.env.put("SPARK_DIST_CLASSPATH", Files.readString(Path.of("target/provided-classpath.txt")).strip());
            c.env.put("SPARK_LOCAL_IP", "127.0.0.1");
            c.env.put("SPARK_LOCAL_DIRS", Files.createDirectories(root.resolve("local")).toString());
            c.env.put("SPARK_CONF_DIR", Files.createDirectories(root.resolve("conf")).toString());
            if (secret != null) {
                c.env.put("_SPARK_AUTH_SECRET", secret); // Spark's SecurityManager reads it; never on a command line
            }
            try {
                List<String> security = secret == null ? List.of()
                        : List.of("-Dspark.authenticate=true", "-Dspark.network.crypto.enabled=true");
                c.daemon("master", security, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", "0",
                        "--webui-port", "0");
                c.masterUrl = c.await(0, MASTER_URL);
                for (int w = 1; w <= 2; w++) {
                    Path work = Files.createDirectories(root.resolve("work-" + w));
                    c.daemon("worker-" + w, security, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--port", "0",
                            "--webui-port", "0", "--cores", "1", "--memory", "1g", "--work-dir", work.toString(), c.masterUrl);
                    c.await(w, Pattern.compile("(Successfully registered with master)"));
                }
                return c;
            } catch (Exception | AssertionError e) {
                c.close();
                throw e;
            }
        }

        private void daemon(String name, List<String> security, String mainClass, String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx256m"));
            cmd.addAll(List.of(SparkSessions.JAVA_OPTIONS.split(" ")));
            cmd.addAll(security);
            cmd.addAll(List.of("-cp", env.get("SPARK_DIST_CLASSPATH"), mainClass));
            cmd.addAll(List.of(args));
            Path log = home.getParent().resolve(name + ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            daemons.add(pb.start());
            logs.add(log);
        }

        /** Waits for a line of daemon i's log and returns the pattern's first group. */
        private String await(int i, Pattern p) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                String log = Files.readString(logs.get(i));
                Matcher m = p.matcher(log);
                if (m.find()) {
                    return m.group(1);
                }
                if (!daemons.get(i).isAlive()) {
                    fail("daemon " + logs.get(i).getFileName() + " exited:\n" + log);
                }
                Thread.sleep(200);
            }
            return fail("no '" + p + "' in " + logs.get(i) + ":\n" + Files.readString(logs.get(i)));
        }

        /** Submits a 2-partition run of the mixture example through jobs/submit.sh; returns its log. */
        String submit(Path out, boolean secure) throws Exception {
            List<String> cmd = new ArrayList<>(List.of("jobs/submit.sh"));
            if (secure) {
                cmd.add("--secure");
            }
            cmd.addAll(List.of("--master", masterUrl, "--deploy-mode", "client", "--executor-memory", "512m",
                    "--conf", "spark.ui.enabled=false", "--conf", "spark.kryo.registrationRequired=true",
                    "--", "run", "conf/examples/gaussian-mixture.conf", "--engine", "spark", "--partitions", "2",
                    "--particles", "" + PARTICLES, "--steps", "" + STEPS, "--format", "csv", "--out", out.toString(), "--quiet",
                    "--set", "output.plots=false", "--set", "output.discriminator=false"));
            Path log = home.getParent().resolve("submit-" + out.getFileName() + ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            pb.environment().put("SPARK_SUBMIT", home.resolve("bin/spark-submit").toString());
            pb.environment().put("LIPFLOW_JOB_JAR", System.getProperty("lipflow.jobJar"));
            pb.environment().put("LIPFLOW_OFFHEAP", "512M");
            Process p = pb.start();
            try {
                assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the job finished in 300 s");
            } finally {
                stop(p);
            }
            String text = Files.readString(log);
            assertEquals(0, p.exitValue(), text + daemonLogs());
            return text;
        }

        String daemonLogs() throws IOException {
            StringBuilder s = new StringBuilder();
            for (Path l : logs) {
                s.append("\n--- ").append(l.getFileName()).append('\n').append(Files.readString(l));
            }
            return s.toString();
        }

        @Override
        public void close() {
            for (int i = daemons.size() - 1; i >= 0; i--) {
                stop(daemons.get(i));
            }
        }

        /** Stops a process started here and the processes it started (a Worker's executors). */
        static void stop(Process p) {
            List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
            tree.forEach(ProcessHandle::destroy);
            p.destroy();
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                for (ProcessHandle h : tree) {
                    if (!h.onExit().completeOnTimeout(h, 10, TimeUnit.SECONDS).get().isAlive()) {
                        continue;
                    }
                    h.destroyForcibly();
                }
            } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
                tree.forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }

        private static String java() {
            return Path.of(System.getProperty("java.home"), "bin", "java").toString();
        }
    }
}
