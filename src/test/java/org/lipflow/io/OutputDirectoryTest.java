package org.lipflow.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.flow.StepMetrics;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Debris of killed runs: which temporary directories are provably stale, and flushed metrics. */
class OutputDirectoryTest {
    @TempDir
    Path dir;

    /** The pid of a process that has exited. */
    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    static String owner(String host, long pid, String started) {
        return "host=" + host + "\npid=" + pid + "\nstarted=" + started + "\n";
    }

    static String thisHost() {
        return DirectoryOwner.current().lines().findFirst().orElseThrow().substring("host=".length());
    }

    Path sibling(String name, String ownerText) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        Files.writeString(d.resolve("metrics.jsonl"), "{\"step\":1}\n");
        if (ownerText != null) {
            Files.writeString(d.resolve(DirectoryOwner.FILE), ownerText);
        }
        return d;
    }

    @Test
    void theNextRunRemovesOnlyProvablyStaleTemporarySiblingsAndSaysSo() throws Exception {
        Process live = new ProcessBuilder("sleep", "60").start();
        try {
            Path dead = sibling(".out.tmp-dead", owner(thisHost(), deadPid(), ""));
            Path alive = sibling(".out.tmp-alive", owner(thisHost(), live.pid(), ""));
            Path reused = sibling(".out.tmp-reused", owner(thisHost(), live.pid(), "12345"));
            Path foreign = sibling(".out.tmp-foreign", owner("another-host.example", deadPid(), ""));
            Path unowned = sibling(".out.tmp-unowned", null);
            Path self = sibling(".out.tmp-self", DirectoryOwner.current());
            Path otherOutput = sibling(".other.tmp-dead", owner(thisHost(), deadPid(), ""));
            StringWriter log = new StringWriter();
            try (OutputDirectory out = new OutputDirectory(dir.resolve("out").toString(), false, List.of(), new PrintWriter(log, true))) {
                assertTrue(Files.exists(out.local().resolve(DirectoryOwner.FILE)), "the new temporary directory is marked");
                Files.writeString(out.local().resolve("manifest.json"), "{}");
                out.commit();
            }
            assertFalse(Files.exists(dead), "a dead pid on this host: stale");
            assertFalse(Files.exists(reused), "a live pid with another start time: reused, stale");
            for (Path kept : new Path[]{alive, foreign, unowned, self, otherOutput}) {
                assertTrue(Files.exists(kept.resolve("metrics.jsonl")), kept + " is kept");
            }
            assertTrue(log.toString().contains("removed stale temporary output " + dead), log.toString());
            assertEquals(2, log.toString().lines().count(), log.toString());
            assertFalse(Files.exists(dir.resolve("out").resolve(DirectoryOwner.FILE)), "no owner file in the committed output");
        } finally {
            live.destroyForcibly();
        }
    }

    @Test
    void aFailedRunRemovesItsTemporaryDirectory() throws IOException {
        try (OutputDirectory out = new OutputDirectory(dir.resolve("out").toString(), false)) {
            Files.writeString(out.local().resolve("metrics.jsonl"), "");
        }
        try (var s = Files.list(dir)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void metricsAreOnDiskAsSoonAsEachStepIsWritten() throws IOException {
        try (MetricsLog log = new MetricsLog(dir)) {
            log.write(new StepMetrics(1, 0.5, 0.25, 1.0, 2.0, 3.0));
            log.write(new StepMetrics(2, 0.4, 0.20, 1.0, 2.0, 3.0));
            // read before close, as after a kill -9 of the driver
            List<String> lines = Files.readAllLines(dir.resolve(MetricsLog.FILE));
            assertEquals(2, lines.size());
            assertTrue(lines.get(1).startsWith("{\"step\":2,"), lines.get(1));
        }
    }

    @Test
    void aManifestIsLipflowsWhenItIsJsonWithTheCommandAndLipflowsVersion() {
        assertTrue(OutputDirectory.isLipflowManifest("{\"command\":\"run\",\"versions\":{\"lipflow\":\"0.1.0\",\"java\":\"17\"}}"));
        assertFalse(OutputDirectory.isLipflowManifest("{\"command\":\"run\"}"));
        assertFalse(OutputDirectory.isLipflowManifest("{\"versions\":{\"lipflow\":\"0.1.0\"}}"));
        assertFalse(OutputDirectory.isLipflowManifest("command = run\nversions.lipflow = 1"), "HOCON, not JSON");
        assertFalse(OutputDirectory.isLipflowManifest(""));
    }
}
