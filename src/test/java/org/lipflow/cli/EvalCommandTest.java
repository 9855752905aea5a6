package org.lipflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lipflow eval}: one JSON object from CSV and IDX inputs, one-line errors. */
class EvalCommandTest {
    @TempDir
    Path dir;

    /** A CSV of n rows x1 = offset + i/n (a uniform grid on [offset, offset + 1)), label 0. */
    Path grid(String name, int n, double offset) throws IOException {
        StringBuilder sb = new StringBuilder("x1,label\n");
        for (int i = 0; i < n; i++) {
            sb.append(offset + (double) i / n).append(",0\n");
        }
        return Files.writeString(dir.resolve(name), sb.toString());
    }

    static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":([-0-9.eE]+)").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void printsOneJsonObjectWithTheFiguresAndTheMemorisationRatio() throws IOException {
        Path train = grid("train.csv", 400, 0);
        // a shift of 0.5 between uniform grids: W1 = 0.5 (up to the grid step 1/400)
        CliTest.Result r = CliTest.lipflow("eval", "--generated", grid("gen.csv", 400, 0.5).toString(), "--reference",
                train.toString(), "--train", train.toString(), "--seed", "3");
        assertEquals(0, r.code(), r.err());
        String json = r.out().strip();
        assertEquals(1, json.lines().count(), json);
        assertEquals(0.5, number(json, "sliced_w1"), 1e-9);
        assertTrue(number(json, "energy_distance") > 0.1 && number(json, "mmd2") > 0.01, json);
        // the reference is the training set itself: its nearest-neighbour distance is 0, the ratio undefined
        assertTrue(json.contains("\"nn_ratio\":null"), json);
        assertEquals(400, number(json, "generated_rows"));
    }

    @Test
    void maxRowsSubsamplesAndIdxInputsAreRead() throws IOException {
        byte[] images = {0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 51, (byte) 255};
        Path idx = Files.write(dir.resolve("ref.idx"), images);
        Path csv = Files.writeString(dir.resolve("gen.csv"), "p1\n0\n0.2\n1\n");
        CliTest.Result r = CliTest.lipflow("eval", "--generated", csv.toString(), "--reference", idx.toString(),
                "--reference-scale", "0.00392156862745098");
        assertEquals(0, r.code(), r.err());
        assertEquals(0, number(r.out(), "sliced_w1"), 1e-6, "pixels 0, 51, 255 scaled by 1/255 are 0, 0.2, 1");
        CliTest.Result sub = CliTest.lipflow("eval", "--generated", grid("g.csv", 100, 0).toString(), "--reference",
                grid("r.csv", 50, 0).toString(), "--max-rows", "30");
        assertEquals(0, sub.code(), sub.err());
        assertEquals(30, number(sub.out(), "generated_rows"));
        assertEquals(30, number(sub.out(), "reference_rows"));
    }

    /** --train-per-class draws the training rows as target.per-class does: 3 classes of 10 rows, 2 per class = 6 rows. */
    @Test
    void theTrainingSetCanBeTheRunsClassBalancedSubset() throws IOException {
        StringBuilder sb = new StringBuilder("x1,label\n");
        for (int i = 0; i < 30; i++) {
            sb.append(i).append(',').append(i % 3).append('\n');
        }
        Path train = Files.writeString(dir.resolve("t.csv"), sb.toString());
        CliTest.Result r = CliTest.lipflow("eval", "--generated", grid("g.csv", 10, 0).toString(), "--reference",
                grid("r.csv", 10, 0).toString(), "--train", train.toString(), "--train-per-class", "2", "--train-sample-seed", "4");
        assertEquals(0, r.code(), r.err());
        assertEquals(6, number(r.out(), "train_rows"));
    }

    @Test
    void aDimensionMismatchIsOneLineWithExitCode2() throws IOException {
        Path two = Files.writeString(dir.resolve("two.csv"), "a,b\n1,2\n3,4\n");
        Path one = grid("one.csv", 5, 0);
        CliTest.Result r = CliTest.lipflow("eval", "--generated", two.toString(), "--reference", one.toString());
        assertEquals(2, r.code());
        assertEquals("lipflow: error: dimension mismatch: --generated " + two + " has 2 feature columns, --reference " + one + " has 1",
                r.err().strip());
    }
}
