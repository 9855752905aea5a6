package org.lipflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * A missing or unreadable input file is one line naming the configuration key (or the option of a
 * command without keys) as well as the path, exit code 2, and nothing written: for every key and
 * option that names an input file, on either engine.
 */
class InputFilesCliTest {
    @TempDir
    Path dir;

    private Path target() throws IOException {
        return Files.writeString(dir.resolve("t.csv"), "x1,x2\n0,0\n0,4\n4,0\n4,4\n1,1\n1,3\n3,1\n3,3\n");
    }

    /** Three 2x2 IDX images; their labels file is the one labels-path names. */
    private Path idxImages() throws IOException {
        return Files.write(dir.resolve("tiny-images-idx3-ubyte"), new byte[]{0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2,
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    }

    private Path out() {
        return dir.resolve("out");
    }

    private CliTest.Result run(String... extra) {
        List<String> a = new ArrayList<>(List.of("run", "--quiet", "--out", out().toString(), "--steps", "2", "--format", "csv"));
        a.addAll(Arrays.asList(extra));
        return CliTest.lipflow(a.toArray(String[]::new));
    }

    /** Exactly the one error line, exit code 2, no output and no temporary sibling. */
    private void assertError(CliTest.Result r, String message) throws IOException {
        assertEquals(2, r.code(), r.err());
        assertEquals("lipflow: error: " + message, r.err().strip(), r.err());
        assertEquals("", r.out());
        try (var s = Files.list(dir)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith("out") || p.getFileName().toString().startsWith(".out")),
                    "nothing written");
        }
    }

    @Test
    void missingTargetNamesTargetPath() throws IOException {
        Path missing = dir.resolve("nope.csv");
        assertError(run("--target", missing.toString()), "target.path = " + missing + ": file not found");
    }

    @Test
    void missingTargetOnTheSparkEngineNamesTargetPathBeforeSparkStarts() throws IOException {
        Path missing = dir.resolve("nope.parquet");
        assertError(run("--target", missing.toString(), "--engine", "spark", "--master", "local[1]"),
                "target.path = " + missing + ": file not found");
    }

    @Test
    void missingSourceNamesSourcePath() throws IOException {
        Path missing = dir.resolve("nope.csv");
        assertError(run("--target", target().toString(), "--source", missing.toString()), "source.path = " + missing + ": file not found");
    }

    @Test
    void missingLabelsFilesNameTheirLabelsPathKeys() throws IOException {
        Path images = idxImages();
        Path missing = dir.resolve("no-labels-idx1-ubyte");
        assertError(run("--target", images.toString(), "--set", "target.labels-path=\"" + missing + "\""),
                "target.labels-path = " + missing + ": file not found");
        assertError(run("--target", target().toString(), "--source", images.toString(), "--set",
                "source.labels-path=\"" + missing + "\""), "source.labels-path = " + missing + ": file not found");
    }

    @Test
    void labelsPathOfACsvFileIsNotRead() throws IOException {
        // labels-path only concerns IDX images: a CSV target with one set runs as before
        CliTest.Result r = run("--target", target().toString(), "--set", "target.labels-path=\"" + dir.resolve("none") + "\"",
                "--set", "output.plots=false");
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void missingMonitorReferenceNamesMonitorReference() throws IOException {
        Path missing = dir.resolve("ref.csv");
        assertError(run("--target", target().toString(), "--set", "monitor.reference=\"" + missing + "\""),
                "monitor.reference = " + missing + ": file not found");
    }

    @Test
    void missingOrNonDirectoryLatentModelNamesLatentModel() throws IOException {
        Path missing = dir.resolve("no-model");
        assertError(run("--target", target().toString(), "--set", "latent.model=\"" + missing + "\""),
                "latent.model = " + missing + ": directory not found");
        Path file = target();
        assertError(run("--target", file.toString(), "--set", "latent.model=\"" + file + "\""),
                "latent.model = " + file + ": not a directory");
    }

    @Test
    void globMatchingNothingNamesItsKey() throws IOException {
        String pattern = dir.resolve("part-*.csv").toString();
        assertError(run("--target", pattern), "target.path = " + pattern + ": no file matches");
    }

    @Test
    void unreadableTargetNamesTargetPath() throws IOException {
        Path t = target();
        Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(t), "root reads every file: no unreadable file to test with");
        assertError(run("--target", t.toString()), "target.path = " + t + ": not readable (permission denied)");
    }

    @Test
    void autoencoderDataNamesTargetPathOrLatentData() throws IOException {
        Path missing = dir.resolve("nope.csv");
        assertError(CliTest.lipflow("autoencoder", "--quiet", "--data", missing.toString(), "--out", out().toString()),
                "target.path = " + missing + ": file not found");
        assertError(CliTest.lipflow("autoencoder", "--quiet", "--data", target().toString(), "--data", missing.toString(),
                "--out", out().toString()), "latent.data = " + missing + ": file not found");
    }

    @Test
    void evalAndDivergenceNameTheirOptions() throws IOException {
        Path t = target();
        Path missing = dir.resolve("nope.csv");
        assertError(CliTest.lipflow("eval", "--generated", t.toString(), "--reference", missing.toString()),
                "--reference " + missing + ": file not found");
        assertError(CliTest.lipflow("eval", "--generated", t.toString(), "--reference", t.toString(), "--train", missing.toString()),
                "--train " + missing + ": file not found");
        assertError(CliTest.lipflow("divergence", "--p", missing.toString(), "--q", t.toString()), "--p " + missing + ": file not found");
        assertError(CliTest.lipflow("divergence", "--p", t.toString(), "--q", missing.toString()), "--q " + missing + ": file not found");
    }
}
