package org.lipflow.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A bad input file's content (no data rows, a value that is not a number, a row with the wrong
 * number of fields, the wrong number of feature columns) is one line naming the configuration key
 * that gives the file (the option, for commands without keys) as well as the file and the problem:
 * exit code 2, nothing on stdout and no output directory. In process; {@link InputContentErrorsSparkCliTest}
 * reads the same files with Spark.
 */
class InputContentErrorsCliTest {
    @TempDir
    Path dir;

    private ContentErrorFiles files;

    @BeforeEach
    void newInputFiles() {
        files = new ContentErrorFiles(dir);
    }

    private CliTest.Result run(String... extra) {
        List<String> a = new ArrayList<>(List.of("run", "--quiet", "--out", files.out().toString(), "--steps", "2", "--format", "csv",
                "--set", "output.plots=false"));
        a.addAll(Arrays.asList(extra));
        return CliTest.lipflow(a.toArray(String[]::new));
    }

    private CliTest.Result autoencoder(Path... data) {
        List<String> a = new ArrayList<>(List.of("autoencoder", "--quiet", "--out", files.out().toString(), "--set", "latent.type=pca",
                "--set", "latent.dimension=1"));
        for (Path d : data) {
            a.addAll(List.of("--data", d.toString()));
        }
        return CliTest.lipflow(a.toArray(String[]::new));
    }

    /** Exactly the one error line, exit code 2, nothing on stdout, no output and no temporary sibling. */
    private void assertError(CliTest.Result r, String message) throws IOException {
        assertEquals(2, r.code(), r.err());
        assertEquals("lipflow: error: " + message, r.err().strip(), r.err());
        assertEquals("", r.out());
        files.assertNothingWritten();
    }

    @Test
    void aTargetWithoutDataRowsNamesTargetPath() throws IOException {
        Path f = files.oneLine();
        assertError(run("--target", f.toString()), "target.path = " + f + ": no data rows");
    }

    @Test
    void aSourceWithANonNumberOrAShortRowNamesSourcePath() throws IOException {
        Path t = files.target(), bad = files.notANumber(), short3 = files.ragged();
        assertError(run("--target", t.toString(), "--source", bad.toString()),
                "source.path = " + bad + " line 3, column x2: not a number 'abc'");
        assertError(run("--target", t.toString(), "--source", short3.toString()),
                "source.path = " + short3 + " line 3: expected 2 fields, found 1");
    }

    @Test
    void aSourceOfAnotherDimensionNamesBothKeys() throws IOException {
        Path t = files.target(), s = files.threeColumns();
        assertError(run("--target", t.toString(), "--source", s.toString()),
                "dimension mismatch: target.path = " + t + " has 2 feature columns, source.path = " + s + " has 3");
    }

    @Test
    void aSourceLabelTheTargetLacksNamesSourcePath() throws IOException {
        Path t = files.write("lt.csv", "x1,x2,label\n0,0,0\n0,1,0\n4,4,1\n4,5,1\n");
        Path s = files.write("ls.csv", "x1,x2,label\n0,0,0\n1,1,7\n");
        assertError(run("--target", t.toString(), "--source", s.toString()), "source.path = " + s + " row 2: label 7 is not one of "
                + "the target's classes 0..1 (K = 2, one more than the target's largest label)");
    }

    @Test
    void aMonitorReferenceDirectoryReadFileByFileNamesMonitorReference() throws IOException {
        Path ref = Files.createDirectories(dir.resolve("ref"));
        Files.writeString(ref.resolve("part-00000.csv"), "x1,x2\n1,2\n");
        Files.writeString(ref.resolve("part-00001.csv"), "x1,x2\n1,zz\n");
        assertError(run("--target", files.target().toString(), "--set", "monitor.reference=\"" + ref + "\""),
                "monitor.reference = " + ref.resolve("part-00001.csv") + " line 2, column x2: not a number 'zz'");
    }

    @Test
    void aMonitorReferenceWithoutRowsOrOfAnotherDimensionNamesMonitorReference() throws IOException {
        Path t = files.target(), empty = files.oneLine(), wide = files.threeColumns();
        assertError(run("--target", t.toString(), "--set", "monitor.reference=\"" + empty + "\""),
                "monitor.reference = " + empty + ": no data rows");
        assertError(run("--target", t.toString(), "--set", "monitor.reference=\"" + wide + "\""),
                "monitor.reference = " + wide + " has 3 feature columns, target.path = " + t + " has 2: the reference must have the "
                        + "target's feature columns");
    }

    @Test
    void autoencoderDataNamesTargetPathOrLatentData() throws IOException {
        Path t = files.target(), empty = files.oneLine(), bad = files.notANumber(), wide = files.threeColumns();
        assertError(autoencoder(empty), "target.path = " + empty + ": no data rows");
        assertError(autoencoder(t, bad), "latent.data = " + bad + " line 3, column x2: not a number 'abc'");
        assertError(autoencoder(t, wide), "autoencoder data sets must have the same feature columns (one model is fitted on their "
                + "union): latent.data = " + t + " has 2 feature columns, latent.data = " + wide + " has 3");
    }

    @Test
    void evalInputsNameTheirOptions() throws IOException {
        Path t = files.target(), empty = files.oneLine(), bad = files.notANumber(), short3 = files.ragged(), wide = files.threeColumns();
        assertError(CliTest.lipflow("eval", "--generated", empty.toString(), "--reference", t.toString()),
                "--generated " + empty + ": no data rows");
        assertError(CliTest.lipflow("eval", "--generated", t.toString(), "--reference", bad.toString()),
                "--reference " + bad + " line 3, column x2: not a number 'abc'");
        assertError(CliTest.lipflow("eval", "--generated", t.toString(), "--reference", t.toString(), "--train", short3.toString()),
                "--train " + short3 + " line 3: expected 2 fields, found 1");
        assertError(CliTest.lipflow("eval", "--generated", wide.toString(), "--reference", t.toString()),
                "dimension mismatch: --generated " + wide + " has 3 feature columns, --reference " + t + " has 2");
    }

    @Test
    void divergenceInputsNameTheirOptions() throws IOException {
        Path t = files.target(), empty = files.oneLine(), bad = files.notANumber(), wide = files.threeColumns();
        assertError(CliTest.lipflow("divergence", "--p", bad.toString(), "--q", t.toString(), "--steps", "2"),
                "--p " + bad + " line 3, column x2: not a number 'abc'");
        assertError(CliTest.lipflow("divergence", "--p", t.toString(), "--q", empty.toString(), "--steps", "2"),
                "--q " + empty + ": no data rows");
        assertError(CliTest.lipflow("divergence", "--p", t.toString(), "--q", wide.toString(), "--steps", "2"),
                "dimension mismatch: --p " + t + " has 2 feature columns, --q " + wide + " has 3");
    }
}
