package org.lipflow.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.engine.spark.SparkTestSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link InputContentErrorsCliTest} on the Spark engine, where the executors parse the files: the
 * one-line error names the key (or option) that gives the file as well as the file, the position
 * Spark saw and the problem; exit code 2 and no output.
 */
@Tag("spark")
class InputContentErrorsSparkCliTest {
    @TempDir
    Path dir;

    private ContentErrorFiles files;

    @BeforeEach
    void newInputFiles() {
        files = new ContentErrorFiles(dir);
    }

    private static CliTest.Result lipflow(String... args) {
        SparkTestSession.get("local[2]"); // the command joins it, as a second command in a notebook would
        return CliTest.lipflow(args);
    }

    private CliTest.Result run(String... extra) {
        List<String> a = new ArrayList<>(List.of("run", "--engine", "spark", "--partitions", "2", "--quiet", "--out", files.out().toString(),
                "--steps", "2", "--format", "csv", "--set", "output.plots=false", "--set", "output.discriminator=false"));
        a.addAll(Arrays.asList(extra));
        return lipflow(a.toArray(String[]::new));
    }

    /** One error line that begins and ends as given, exit code 2, nothing on stdout and nothing written. */
    private void assertError(CliTest.Result r, String begins, String ends) throws IOException {
        assertEquals(2, r.code(), r.err());
        String line = r.err().strip();
        assertEquals(1, line.lines().count(), "one line: " + r.err());
        assertTrue(line.startsWith("lipflow: error: " + begins) && line.endsWith(ends), line);
        assertEquals("", r.out());
        files.assertNothingWritten();
    }

    @Test
    void runTargetAndSourceErrorsNameTheirKeys() throws IOException {
        Path t = files.target();
        Path headerOnly = files.oneLine();
        assertError(run("--target", headerOnly.toString()), "target.path = " + headerOnly + ": no data rows", "no data rows");
        Path bad = files.notANumber();
        assertError(run("--target", t.toString(), "--source", bad.toString()), "source.path = " + bad + " partition 0, line 3",
                ", column x2: not a number 'abc'");
        Path ragged = files.ragged();
        assertError(run("--target", ragged.toString()), "target.path = " + ragged + " partition 0, line 3",
                ": expected 2 fields, found 1");
        Path duplicateIds = files.write("ids.csv", "id,x1,x2\na,0,0\nb,1,1\na,2,2\n");
        assertError(run("--target", t.toString(), "--source", duplicateIds.toString(), "--set", "source.id-column=id"),
                "source.path = " + duplicateIds + ", column id: duplicate id 'a'", "ids must be unique to join results back)");
    }

    @Test
    void aMonitorReferenceDirectoryNamesMonitorReference() throws IOException {
        Path ref = Files.createDirectories(dir.resolve("ref"));
        Files.writeString(ref.resolve("part-00000.csv"), "x1,x2\n1,2\n");
        Files.writeString(ref.resolve("part-00001.csv"), "x1,x2\n1,zz\n");
        assertError(run("--target", files.target().toString(), "--set", "monitor.reference=\"" + ref + "\""),
                "monitor.reference = " + ref.resolve("part-00001.csv") + " line 2", ", column x2: not a number 'zz'");
    }

    @Test
    void evalInputsNameTheirOptions() throws IOException {
        Path t = files.target();
        Path headerOnly = files.oneLine(), bad = files.notANumber();
        assertError(lipflow("eval", "--engine", "spark", "--master", "local[2]", "--generated", headerOnly.toString(), "--reference",
                t.toString()), "--generated " + headerOnly + ": no data rows", "no data rows");
        assertError(lipflow("eval", "--engine", "spark", "--master", "local[2]", "--generated", t.toString(), "--reference",
                t.toString(), "--train", bad.toString()), "--train " + bad + " partition ", ", column x2: not a number 'abc'");
    }

    @Test
    void autoencoderDataNameTargetPathOrLatentData() throws IOException {
        Path t = files.target();
        Path headerOnly = files.oneLine(), bad = files.notANumber();
        assertError(lipflow("autoencoder", "--quiet", "--engine", "spark", "--master", "local[2]", "--data", headerOnly.toString(),
                "--out", files.out().toString(), "--set", "latent.type=pca", "--set", "latent.dimension=1"),
                "target.path = " + headerOnly + ": no data rows", "no data rows");
        assertError(lipflow("autoencoder", "--quiet", "--engine", "spark", "--master", "local[2]", "--data", t.toString(), "--data",
                bad.toString(), "--out", files.out().toString(), "--set", "latent.type=pca", "--set", "latent.dimension=1"),
                "latent.data = " + bad + " partition ", ", column x2: not a number 'abc'");
        assertError(lipflow("autoencoder", "--quiet", "--engine", "spark", "--master", "local[2]", "--data", bad.toString(),
                "--out", files.out().toString(), "--set", "latent.epochs=1"),
                "target.path = " + bad + " partition ", ", column x2: not a number 'abc'");
    }
}
