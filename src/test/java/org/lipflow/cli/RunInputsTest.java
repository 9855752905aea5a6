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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run command's rules for its inputs (in-process engine): labels within the target's classes
 * and the class cap, label columns that must exist, and a generated data set's size next to a file.
 */
class RunInputsTest {
    @TempDir
    Path dir;

    /** A labelled target: classes 0..3 (K = 4), two rows each, near the mixture's modes. */
    Path labelledTarget() throws IOException {
        StringBuilder sb = new StringBuilder("x1,x2,label\n");
        for (int i = 0; i < 8; i++) {
            int mode = i % 4;
            sb.append((mode / 2) * 4 + 0.1 * i).append(',').append((mode % 2) * 4 - 0.1 * i).append(',').append(mode).append('\n');
        }
        return write("target.csv", sb.toString());
    }

    Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    /** Runs 3 steps into dir/out and asserts a one-line error with exit code 2 containing every expected part, and no output. */
    String refused(String... args) {
        List<String> a = new ArrayList<>(List.of("run", "--quiet", "--steps", "3", "--out", dir.resolve("out").toString(),
                "--format", "csv", "--set", "output.plots=false"));
        a.addAll(Arrays.asList(args));
        CliTest.Result r = CliTest.lipflow(a.toArray(String[]::new));
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertFalse(Files.exists(dir.resolve("out")), "no output");
        return r.err().strip();
    }

    CliTest.Result runs(String... args) {
        List<String> a = new ArrayList<>(List.of("run", "--quiet", "--steps", "3", "--out", dir.resolve("ok").toString(),
                "--format", "csv", "--set", "output.plots=false", "--set", "output.discriminator=false"));
        a.addAll(Arrays.asList(args));
        CliTest.Result r = CliTest.lipflow(a.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return r;
    }

    @Test
    void aSourceLabelOutsideTheTargetsClassesIsRefusedNamingFileRowAndLabel() throws IOException {
        Path target = labelledTarget();
        Path source = write("source.csv", "x1,x2,label\n0,0,1\n1,1,7\n2,2,0\n");
        String err = refused("--target", target.toString(), "--source", source.toString());
        assertTrue(err.contains(source + " row 2: label 7 is not one of the target's classes 0..3 (K = 4"), err);
        runs("--target", target.toString(), "--source", write("good.csv", "x1,x2,label\n0,0,1\n1,1,3\n").toString());
    }

    @Test
    void aLabelAboveTheClassCapIsRefusedBeforeAnythingIsAllocated() throws IOException {
        Path target = write("huge.csv", "x1,x2,label\n0,0,0\n1,1,2000000000\n");
        String err = refused("--target", target.toString());
        assertTrue(err.contains(target + " line 3, column label: labels must be integers >= 0 and < 10000"), err);
        assertTrue(err.contains("at most 10000 classes"), err);
    }

    @Test
    void aLabelledSourceWithAnUnlabelledTargetIsRefusedWithTheFix() throws IOException {
        Path target = write("plain.csv", "x1,x2\n0,0\n1,1\n2,0\n");
        Path source = write("labelled.csv", "x1,x2,label\n0,0,1\n1,1,0\n");
        String err = refused("--target", target.toString(), "--source", source.toString());
        assertTrue(err.contains("source " + source + " has labels but the target has none"), err);
        assertTrue(err.contains("source.label-column = \"\"") && err.contains("source.features"), err);
        // the documented fix: no label column, features listed
        runs("--target", target.toString(), "--source", source.toString(), "--set", "source.label-column=\"\"",
                "--set", "source.features=[x1,x2]");
    }

    @Test
    void aByteOrderMarkBeforeTheLabelHeaderKeepsItALabel() throws IOException {
        Path target = write("bom.csv", "\uFEFFlabel,x1,x2\n0,0,0\n1,4,4\n0,0.1,0\n1,4,4.1\n");
        CliTest.Result r = runs("--target", target.toString());
        assertEquals("x1,x2,label", Files.readAllLines(dir.resolve("ok").resolve("particles.csv")).get(0), r.err());
    }

    @Test
    void anExplicitLabelColumnThatIsNotInTheFileIsAnError() throws IOException {
        Path target = write("t.csv", "x1,x2\n0,0\n1,1\n2,0\n");
        String err = refused("--target", target.toString(), "--set", "target.label-column=class");
        assertTrue(err.contains(target + ": label column 'class' (label-column) not found; columns are [x1, x2]"), err);
        // the same name as the default, but set explicitly: also required
        err = refused("--target", target.toString(), "--set", "target.label-column=label");
        assertTrue(err.contains("label column 'label' (label-column) not found"), err);
        Path conf = write("run.conf", "source { label-column = cls }\n");
        err = refused("--conf", conf.toString(), "--target", target.toString(), "--source", target.toString());
        assertTrue(err.contains("label column 'cls' (label-column) not found"), err);
        runs("--target", target.toString()); // left at its default: used when present
    }

    @Test
    void particlesWithASourceFileIsRefused() throws IOException {
        Path target = write("t.csv", "x1,x2\n0,0\n1,1\n2,0\n");
        String err = refused("--target", target.toString(), "--source", target.toString(), "--particles", "500");
        assertTrue(err.contains("--particles / source.n = 500") && err.contains("source.path = '" + target + "'"), err);
        err = refused("--target", target.toString(), "--source", target.toString(), "--set", "source.n=500");
        assertTrue(err.contains("source.n = 500"), err);
        Path both = write("both.conf", "source { path = \"" + target + "\", n = 50 }\n");
        err = refused("--conf", both.toString(), "--target", target.toString());
        assertTrue(err.contains("source.n = 50"), err);
        // a run file's n for its own generated source is replaced with that source by --source
        Path generated = write("gen.conf", "source { synthetic = gaussian, n = 50 }\n");
        CliTest.Result r = runs("--conf", generated.toString(), "--target", target.toString(), "--source", target.toString());
        assertEquals(4, Files.readAllLines(dir.resolve("ok").resolve("particles.csv")).size(), r.err());
    }
}
