package org.lipflow.engine.spark;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.cli.Main;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With default settings (no engine.checkpoint-dir) a run on local-cluster survives the kill -9 of
 * an executor JVM after its first lineage cut, and its particles equal those of an uninterrupted
 * run byte for byte: the cut is a reliable checkpoint, so the lost partitions are recomputed from
 * it (with local checkpoints the job failed: "Checkpoint block rdd_N_p not found").
 */
@Tag("cluster")
class ExecutorLossTest {
    static final int STEPS = 30;
    static final int KILL_AFTER = 7; // metrics lines; the first cut is at step 5

    @TempDir
    Path dir;

    @Test
    void losingAnExecutorAfterTheFirstCutChangesNothingWithDefaultSettings() throws Exception {
        String app = SparkTestSession.get("local-cluster[2,1,1024]").sparkContext().applicationId();
        Path clean = run("clean", app, false);
        Path killed = run("killed", app, true);
        assertEquals(particles(clean), particles(killed), "particles byte-identical to the uninterrupted run");
        assertEquals(monitors(clean), monitors(killed), "same monitors at every step");
        try (Stream<Path> s = Files.list(killed)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no checkpoints in the committed output");
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary directory left");
        }
    }

    /**
     * A source file read by Spark is hash-partitioned through a shuffle; with no lineage cut before
     * the kill, the lost partitions are recomputed from the file, and the re-run shuffle may deliver
     * their rows in another order: the rows are sorted within their partitions, so the particles
     * (and their ids and minibatches) are the same.
     */
    @Test
    void losingAnExecutorBeforeAnyCutRecomputesAHashPartitionedSourceFileIdentically() throws Exception {
        String app = SparkTestSession.get("local-cluster[2,1,1024]").sparkContext().applicationId();
        Path source = dir.resolve("source.csv");
        StringWriter err = new StringWriter();
        assertEquals(0, Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "datasets", "--name",
                "gaussian", "--n", "400", "--seed", "100", "--out", source.toString()), err.toString());
        List<String> input = List.of("--source", source.toString(), "--set", "engine.checkpoint-interval=1000");
        Path clean = run("clean-file", app, false, input);
        Path killed = run("killed-file", app, true, input);
        assertEquals(particles(clean), particles(killed), "particles byte-identical to the uninterrupted run");
        assertEquals(monitors(clean), monitors(killed), "same monitors at every step");
    }

    Path run(String name, String app, boolean kill) throws Exception {
        return run(name, app, kill, List.of("--particles", "400", "--set", "engine.checkpoint-interval=5"));
    }

    Path run(String name, String app, boolean kill, List<String> input) throws Exception {
        Path out = dir.resolve(name);
        AtomicInteger linesAtKill = new AtomicInteger(-1);
        Thread killer = new Thread(() -> {
            long deadline = System.nanoTime() + 300_000_000_000L;
            while (System.nanoTime() < deadline) {
                int lines = metricsLines(name);
                if (lines >= KILL_AFTER) {
                    Optional<ProcessHandle> executor = ProcessHandle.allProcesses()
                            .filter(p -> commandLine(p).contains("CoarseGrainedExecutorBackend") && commandLine(p).contains(app))
                            .findFirst();
                    executor.ifPresent(ProcessHandle::destroyForcibly); // SIGKILL
                    linesAtKill.set(executor.isPresent() ? lines : -2);
                    return;
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        if (kill) {
            killer.start();
        }
        StringWriter err = new StringWriter();
        List<String> args = new java.util.ArrayList<>(List.of("run", "conf/examples/gaussian-mixture.conf", "--engine", "spark",
                "--partitions", "2", "--steps", "" + STEPS, "--out", out.toString(), "--format", "csv",
                "--quiet", "--set", "output.plots=false", "--set", "output.discriminator=false"));
        args.addAll(input);
        int code = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args.toArray(String[]::new));
        if (kill) {
            killer.interrupt();
            killer.join();
            int at = linesAtKill.get();
            assertTrue(at >= KILL_AFTER && at < STEPS, "an executor was killed mid-run, after " + at + " steps");
        }
        assertEquals(0, code, err.toString());
        return out;
    }

    /** Lines in the running output's metrics.jsonl (flushed per step). */
    int metricsLines(String name) {
        try (Stream<Path> s = Files.list(dir)) {
            Optional<Path> tmp = s.filter(p -> p.getFileName().toString().startsWith("." + name + ".tmp-")).findFirst();
            if (tmp.isEmpty() || !Files.exists(tmp.get().resolve("metrics.jsonl"))) {
                return 0;
            }
            return Files.readAllLines(tmp.get().resolve("metrics.jsonl")).size();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    static String commandLine(ProcessHandle p) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", "" + p.pid(), "cmdline")), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    static String particles(Path out) throws IOException {
        try (Stream<Path> parts = Files.list(out.resolve("particles.csv"))) {
            List<Path> files = parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
            StringBuilder all = new StringBuilder();
            for (Path f : files) {
                all.append(Files.readString(f));
            }
            assertFalse(all.isEmpty());
            assertEquals(401, all.toString().lines().filter(l -> !l.startsWith("x1")).count() + 1);
            return all.toString();
        }
    }

    /** metrics.jsonl without the wall times. */
    static List<String> monitors(Path out) throws IOException {
        return Files.readAllLines(out.resolve("metrics.jsonl")).stream().map(l -> l.replaceAll(",\"millis\":[^,}]*", ""))
                .collect(Collectors.toList());
    }
}
