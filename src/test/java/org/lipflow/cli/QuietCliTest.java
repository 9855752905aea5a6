package org.lipflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --quiet} silences the informational lines on stderr (engine, checkpoints, resume notes,
 * where the output went) and the progress line, never a warning or an error.
 */
class QuietCliTest {
    @TempDir
    Path dir;

    private Path target() throws IOException {
        return Files.writeString(dir.resolve("t.csv"), "x1,x2\n0,0\n0,4\n4,0\n4,4\n1,1\n1,3\n3,1\n3,3\n");
    }

    /**
     * A run with checkpoints and the step-size warning: dt*L = 0.5 exceeds 0.01 of the target's
     * spread (flow.step-warning-fraction), so the warning is due whatever else is printed.
     */
    private CliTest.Result run(Path out, String... extra) throws IOException {
        List<String> a = new ArrayList<>(List.of("run", "--target", target().toString(), "--out", out.toString(),
                "--format", "csv", "--set", "output.plots=false", "--set", "checkpoint.interval=2",
                "--set", "flow.step-warning-fraction=0.01"));
        a.addAll(Arrays.asList(extra));
        if (!a.contains("--steps")) {
            a.addAll(List.of("--steps", "4"));
        }
        return CliTest.lipflow(a.toArray(String[]::new));
    }

    private static List<String> lines(CliTest.Result r) {
        return r.err().strip().lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    void quietRunPrintsItsWarningsAndNothingElse() throws IOException {
        Path out = dir.resolve("out");
        CliTest.Result r = run(out, "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("particles.csv")), "the run itself is unchanged");
        List<String> lines = lines(r);
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("lipflow: warning: dt*L = 0.5"), r.err());
    }

    @Test
    void withoutQuietTheSameRunSaysWhatItDoes() throws IOException {
        Path out = dir.resolve("out");
        CliTest.Result r = run(out, "--set", "output.progress=false");
        assertEquals(0, r.code(), r.err());
        String err = r.err();
        for (String info : List.of("lipflow: engine inprocess", "lipflow: checkpoints every 2 steps", "lipflow: wrote ",
                "lipflow: warning: dt*L")) {
            assertTrue(err.contains(info), info + " in " + err);
        }
        // output.quiet is the key behind --quiet
        CliTest.Result quiet = run(dir.resolve("out2"), "--set", "output.progress=false", "--set", "output.quiet=true");
        assertEquals(0, quiet.code(), quiet.err());
        assertEquals(1, lines(quiet).size(), quiet.err());
    }

    @Test
    void quietResumeKeepsTheNoCheckpointNoteAndDropsTheResumingNote() throws IOException {
        Path out = dir.resolve("out");
        CliTest.Result first = run(out, "--quiet", "--resume", "--set", "flow.step-warning-fraction=1");
        assertEquals(0, first.code(), first.err());
        // asked to resume and cannot: the user must hear it, --quiet or not
        assertEquals(1, lines(first).size(), first.err());
        assertTrue(first.err().contains("--resume: no checkpoint in") && first.err().contains("starting from step 0"), first.err());
        CliTest.Result again = run(out, "--quiet", "--resume", "--steps", "6", "--set", "flow.step-warning-fraction=1");
        assertEquals(0, again.code(), again.err());
        assertEquals("", again.err().strip(), "resuming is what was asked for: no line");
    }

    @Test
    void quietStillPrintsErrors() throws IOException {
        CliTest.Result r = run(dir.resolve("out"), "--quiet", "--set", "flow.dt=-1");
        assertEquals(2, r.code(), r.err());
        assertEquals(List.of("lipflow: error: flow.dt must be > 0 and finite, got -1.0"), lines(r));
    }

    @Test
    void quietAutoencoderAndDatasetsPrintNothing() throws IOException {
        Path data = dir.resolve("d.csv");
        CliTest.Result made = CliTest.lipflow("datasets", "--quiet", "--name", "gaussian", "--n", "40", "--out", data.toString());
        assertEquals(0, made.code(), made.err());
        assertEquals("", made.err());
        CliTest.Result loud = CliTest.lipflow("datasets", "--name", "gaussian", "--n", "40", "--out", dir.resolve("e.csv").toString());
        assertTrue(loud.err().startsWith("lipflow: wrote 40 samples"), loud.err());
        CliTest.Result pca = CliTest.lipflow("autoencoder", "--quiet", "--data", data.toString(), "--out", dir.resolve("m").toString(),
                "--set", "latent.type=pca", "--set", "latent.dimension=1");
        assertEquals(0, pca.code(), pca.err());
        assertEquals("", pca.err());
        assertTrue(Files.exists(dir.resolve("m/latent.json")));
    }
}
