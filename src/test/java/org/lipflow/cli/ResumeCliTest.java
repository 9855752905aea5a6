package org.lipflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code run --resume} from the command line: the output of a resumed run is the uninterrupted
 * run's, and the bad inputs of a resume (no checkpoint, a changed configuration or input, a
 * damaged or foreign checkpoint) each give what the README says.
 */
class ResumeCliTest {
    @TempDir
    Path dir;

    Path target;

    CliTest.Result run(Path out, String... extra) throws IOException {
        if (target == null) {
            target = dir.resolve("target.csv");
            CliTest.Result r = CliTest.lipflow("datasets", "--name", "mixture4", "--n", "120", "--seed", "3", "--out", target.toString());
            assertEquals(0, r.code(), r.err());
        }
        List<String> a = new ArrayList<>(List.of("run", "--set", "output.progress=false", "--target", target.toString(), "--particles", "100", "--format",
                "csv", "--out", out.toString(), "--set", "output.plots=false", "--set", "output.discriminator=false",
                "--set", "checkpoint.interval=10"));
        a.addAll(Arrays.asList(extra));
        return CliTest.lipflow(a.toArray(String[]::new));
    }

    static List<String> monitors(Path out) throws IOException {
        return Files.readAllLines(out.resolve("metrics.jsonl")).stream().map(l -> l.replaceAll(",\"millis\":[^,}]*", "")).toList();
    }

    Path checkpoint(String out, int step) {
        return dir.resolve("." + out + ".checkpoints").resolve(String.format("step-%09d", step));
    }

    @Test
    void twentyStepsThenResumingToFortyWritesTheFortyStepOutput() throws IOException {
        Path straight = dir.resolve("straight"), resumed = dir.resolve("resumed");
        assertEquals(0, run(straight, "--steps", "40").code());
        CliTest.Result first = run(resumed, "--steps", "20");
        assertEquals(0, first.code(), first.err());
        assertTrue(Files.exists(checkpoint("resumed", 20).resolve("_COMPLETE")), "the final checkpoint beside the output");
        CliTest.Result again = run(resumed, "--steps", "40", "--resume");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("resuming from the checkpoint of step 20/40"), again.err());
        assertEquals(Files.readString(straight.resolve("particles.csv")), Files.readString(resumed.resolve("particles.csv")),
                "the particles of the uninterrupted run");
        assertEquals(monitors(straight), monitors(resumed), "metrics.jsonl of the whole run, restored steps included");
        String manifest = Files.readString(resumed.resolve("manifest.json"));
        assertTrue(manifest.contains("\"step\":40"), manifest);
        try (Stream<Path> s = Files.list(resumed)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no checkpoint inside the committed output");
        }
    }

    @Test
    void resumeWithoutACheckpointStartsFromStepZeroAndSaysSo() throws IOException {
        Path out = dir.resolve("fresh");
        CliTest.Result r = run(out, "--steps", "15", "--resume");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("no checkpoint in") && r.err().contains("starting from step 0"), r.err());
        assertEquals(15, Files.readAllLines(out.resolve("metrics.jsonl")).size());
    }

    @Test
    void aChangedConfigurationIsRefusedInOneLineNamingTheKey() throws IOException {
        Path out = dir.resolve("changed");
        assertEquals(0, run(out, "--steps", "20").code());
        CliTest.Result r = run(out, "--steps", "40", "--resume", "--set", "discriminator.learning-rate=0.002");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("resume refused: discriminator.learning-rate was 0.005, is 0.002 now"), r.err());
        assertEquals(20, Files.readAllLines(out.resolve("metrics.jsonl")).size(), "the previous output untouched");
        assertNoTemporaryLeft();
    }

    @Test
    void aChangedInputIsRefusedInOneLine() throws IOException {
        Path out = dir.resolve("input");
        assertEquals(0, run(out, "--steps", "20").code());
        List<String> rows = new ArrayList<>(Files.readAllLines(target));
        rows.set(1, "9.5,9.5");
        Files.write(target, rows);
        CliTest.Result r = run(out, "--steps", "40", "--resume");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("resume refused: input target.sha256 was "), r.err());
        assertNoTemporaryLeft();
    }

    @Test
    void changingOnlyStepsAndOutputOptionsIsAllowed() throws IOException {
        Path out = dir.resolve("allowed");
        assertEquals(0, run(out, "--steps", "20").code());
        CliTest.Result r = run(out, "--steps", "25", "--resume", "--set", "output.snapshots=2", "--set", "checkpoint.keep=3");
        assertEquals(0, r.code(), r.err());
        assertEquals(25, Files.readAllLines(out.resolve("metrics.jsonl")).size());
    }

    @Test
    void aTruncatedNewestCheckpointIsSkippedForThePreviousOneWithAWarning() throws IOException {
        Path straight = dir.resolve("straight"), out = dir.resolve("truncated");
        assertEquals(0, run(straight, "--steps", "40").code());
        assertEquals(0, run(out, "--steps", "30").code()); // keeps the checkpoints of steps 20 and 30
        Path part = checkpoint("truncated", 30).resolve("particles/part-00000.bin");
        try (RandomAccessFile f = new RandomAccessFile(part.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        CliTest.Result r = run(out, "--steps", "40", "--resume");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("warning: skipping checkpoint") && r.err().contains("truncated"), r.err());
        assertTrue(r.err().contains("resuming from the checkpoint of step 20/40"), r.err());
        assertEquals(Files.readString(straight.resolve("particles.csv")), Files.readString(out.resolve("particles.csv")));
    }

    @Test
    void aCheckpointOfAnotherFormatVersionIsRefused() throws IOException {
        Path out = dir.resolve("version");
        assertEquals(0, run(out, "--steps", "20").code());
        Path manifest = checkpoint("version", 20).resolve("checkpoint.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"format_version\":1", "\"format_version\":99"));
        CliTest.Result r = run(out, "--steps", "40", "--resume");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("has format version 99; this lipflow reads version 1"), r.err());
    }

    @Test
    void resumingToFewerStepsThanTheCheckpointIsRefused() throws IOException {
        Path out = dir.resolve("past");
        assertEquals(0, run(out, "--steps", "20").code());
        CliTest.Result r = run(out, "--steps", "10", "--resume");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("is at step 20, past flow.steps = 10"), r.err());
    }

    @Test
    void badCheckpointKeysNameKeyAndRule() throws IOException {
        Path out = dir.resolve("keys");
        CliTest.Result r = run(out, "--set", "checkpoint.interval=-5");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("checkpoint.interval must be >= 0 (0 = off), got -5"), r.err());
        r = run(out, "--set", "checkpoint.keep=0");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("checkpoint.keep must be >= 1, got 0"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void anExplicitCheckpointDirectoryAsAHadoopUriIsWrittenAndResumedFrom() throws IOException {
        Path out = dir.resolve("uri"), ck = dir.resolve("elsewhere/ck");
        String uri = "--set=checkpoint.dir=\"" + ck.toUri() + "\"";
        assertEquals(0, run(out, "--steps", "20", uri).code());
        assertTrue(Files.exists(ck.resolve("step-000000020/_COMPLETE")));
        assertFalse(Files.exists(dir.resolve(".uri.checkpoints")), "not the default directory");
        CliTest.Result r = run(out, "--steps", "30", "--resume", uri);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("resuming from the checkpoint of step 20/30"), r.err());
    }

    @Test
    void intervalZeroWritesNoCheckpoints() throws IOException {
        Path out = dir.resolve("off");
        assertEquals(0, run(out, "--steps", "12", "--set", "checkpoint.interval=0").code());
        assertFalse(Files.exists(dir.resolve(".off.checkpoints")));
    }

    void assertNoTemporaryLeft() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary directory left");
        }
    }
}
