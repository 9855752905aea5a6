package org.lipflow.engine.spark;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.cli.Main;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver of a Spark run (local[2], two partitions) as a separate JVM: SIGKILLed after a
 * checkpoint exists, or stopped with SIGTERM (which writes a checkpoint at the next step), then
 * the same command with --resume finishes, and its output equals an uninterrupted run's.
 */
@Tag("spark")
class DriverLossTest {
    /** Long enough that a driver killed after ~36 steps is mid-run even on a fast, quiet machine. */
    static final int STEPS = 600;

    @TempDir
    static Path shared;
    /** The uninterrupted run, shared by both tests. */
    static Path straight;

    @TempDir
    Path dir;

    Path straight() {
        if (straight == null) {
            straight = shared.resolve("straight");
            runHere(args(straight));
        }
        return straight;
    }

    List<String> args(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("run", "conf/examples/gaussian-mixture.conf", "--engine", "spark", "--master",
                "local[2]", "--partitions", "2", "--particles", "400", "--steps", "" + STEPS, "--out", out.toString(), "--format",
                "csv", "--quiet", "--set", "output.plots=false", "--set", "output.discriminator=false"));
        a.addAll(List.of(extra));
        return a;
    }

    /** `lipflow run` in this JVM (on the shared local[2] session). */
    static void runHere(List<String> args) {
        SparkTestSession.get("local[2]");
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args.toArray(String[]::new));
        assertEquals(0, code, err.toString());
    }

    /** `lipflow run` as its own JVM with the test class path. */
    Process start(List<String> args, String name) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(SparkSessions.JAVA_OPTIONS.split(" ")));
        cmd.addAll(List.of("-Xmx1g", "-Dspark.ui.enabled=false",
                "-Dlog4j2.configurationFile=" + new File("conf/log4j2.properties").getAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), "org.lipflow.cli.Main"));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
    }

    /** The complete checkpoints of output {@code name}, by step. */
    List<Integer> checkpoints(String name) {
        Path ck = dir.resolve("." + name + ".checkpoints");
        if (!Files.isDirectory(ck)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(ck)) {
            return s.filter(p -> p.getFileName().toString().startsWith("step-") && Files.exists(p.resolve("_COMPLETE")))
                    .map(p -> Integer.parseInt(p.getFileName().toString().substring(5))).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Waits until the running output has written {@code lines} metrics lines. */
    int waitForMetrics(String name, int lines, Process p) throws Exception {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (System.nanoTime() < deadline && p.isAlive()) {
            try (Stream<Path> s = Files.list(dir)) {
                Optional<Path> tmp = s.filter(q -> q.getFileName().toString().startsWith("." + name + ".tmp-")).findFirst();
                if (tmp.isPresent() && Files.exists(tmp.get().resolve("metrics.jsonl"))) {
                    int n = Files.readAllLines(tmp.get().resolve("metrics.jsonl")).size();
                    if (n >= lines) {
                        return n;
                    }
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // the directory is being written
            }
            Thread.sleep(5);
        }
        return -1;
    }

    @Test
    void aSigkilledDriverRerunWithResumeEndsWhereAnUninterruptedRunEnds() throws Exception {
        Path straight = straight(), killed = dir.resolve("killed");
        Process p = start(args(killed, "--set", "checkpoint.interval=10"), "killed");
        int atKill = waitForMetrics("killed", 35, p);
        assertTrue(p.isAlive() && atKill > 0, "the driver is mid-run (" + (p.isAlive() ? "alive" : "exited " + p.exitValue())
                + ", " + atKill + " metrics lines seen): " + Files.readString(dir.resolve("killed.log")));
        p.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        List<Integer> saved = checkpoints("killed");
        assertFalse(saved.isEmpty(), "a checkpoint survived the kill");
        assertTrue(saved.get(saved.size() - 1) < STEPS, "killed before the end: " + saved);
        assertFalse(Files.exists(killed), "no output of the killed run");
        runHere(args(killed, "--set", "checkpoint.interval=10", "--resume"));
        assertEquals(ExecutorLossTest.particles(straight), ExecutorLossTest.particles(killed), "the uninterrupted run's particles");
        assertEquals(ExecutorLossTest.monitors(straight), ExecutorLossTest.monitors(killed), "the whole run's monitors");
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(q -> q.getFileName().toString().contains(".tmp-")), "the killed run's temporary output was removed");
        }
    }

    @Test
    void aSigtermWritesACheckpointAtTheNextStepAndTheResumeEndsWhereAnUninterruptedRunEnds() throws Exception {
        Path straight = straight(), stopped = dir.resolve("stopped");
        Process p = start(args(stopped, "--set", "checkpoint.interval=100000"), "stopped");
        int atSignal = waitForMetrics("stopped", 37, p);
        assertTrue(p.isAlive() && atSignal > 0, "the driver is mid-run (" + (p.isAlive() ? "alive" : "exited " + p.exitValue())
                + ", " + atSignal + " metrics lines seen): " + Files.readString(dir.resolve("stopped.log")));
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String log = Files.readString(dir.resolve("stopped.log"));
        assertEquals(143, p.exitValue(), "128 + SIGTERM: " + log);
        List<Integer> saved = checkpoints("stopped");
        assertEquals(1, saved.size(), "one checkpoint, at the signal (interval 100000): " + saved + "\n" + log);
        assertTrue(saved.get(0) >= atSignal && saved.get(0) < STEPS, "at the step after the signal: " + saved + " vs " + atSignal);
        assertTrue(log.contains("stopped by a termination signal after step " + saved.get(0)), log);
        runHere(args(stopped, "--set", "checkpoint.interval=100000", "--resume"));
        assertEquals(ExecutorLossTest.particles(straight), ExecutorLossTest.particles(stopped), "the uninterrupted run's particles");
        assertEquals(ExecutorLossTest.monitors(straight), ExecutorLossTest.monitors(stopped), "the whole run's monitors");
    }
}
