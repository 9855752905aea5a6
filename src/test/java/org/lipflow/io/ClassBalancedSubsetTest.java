package org.lipflow.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.flow.Block;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The scarce class-balanced subset and the feature scale, on CSV tables as on IDX files. */
class ClassBalancedSubsetTest {
    @TempDir
    Path dir;

    /** 3 classes with 5, 4 and 6 rows; row r has the single value r. */
    static Block data() {
        int[] labels = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 2, 2};
        float[] x = new float[labels.length];
        for (int r = 0; r < x.length; r++) {
            x[r] = r;
        }
        return new Block(labels.length, 1, x, labels, null);
    }

    static Block reversed(Block b) {
        float[] x = new float[b.rows];
        int[] l = new int[b.rows];
        for (int r = 0; r < b.rows; r++) {
            x[r] = b.x[b.rows - 1 - r];
            l[r] = b.labels[b.rows - 1 - r];
        }
        return new Block(b.rows, 1, x, l, null);
    }

    @Test
    void drawsPerClassRowsOfEachClassDeterministicallyWhateverTheFileOrder() {
        Block s = ClassBalancedSubset.draw(data(), 3, 42, "t");
        assertArrayEquals(new int[]{0, 0, 0, 1, 1, 1, 2, 2, 2}, s.labels);
        for (int r = 0; r < s.rows; r++) {
            assertEquals(s.labels[r], data().labels[(int) s.x[r]], "row " + r + " keeps its own label");
        }
        assertArrayEquals(s.x, ClassBalancedSubset.draw(data(), 3, 42, "t").x);
        assertArrayEquals(s.x, ClassBalancedSubset.draw(reversed(data()), 3, 42, "t").x);
        Block one = ClassBalancedSubset.draw(data(), 1, 42, "t");
        assertArrayEquals(new int[]{0, 1, 2}, one.labels);
        boolean differs = false;
        for (long seed = 0; seed < 5 && !differs; seed++) {
            differs = !Arrays.equals(s.x, ClassBalancedSubset.draw(data(), 3, seed, "t").x);
        }
        assertEquals(true, differs, "another seed draws other rows");
    }

    @Test
    void aClassWithTooFewRowsOrNoLabelsIsAnError() {
        assertEquals("t.csv: class 1 has 4 rows, fewer than per-class = 5",
                assertThrows(IllegalArgumentException.class, () -> ClassBalancedSubset.draw(data(), 5, 0, "t.csv")).getMessage());
        Block unlabelled = new Block(2, 1, new float[]{1, 2}, null, null);
        assertFalse(assertThrows(IllegalArgumentException.class, () -> ClassBalancedSubset.draw(unlabelled, 1, 0, "u.csv"))
                .getMessage().contains("\n"));
    }

    @Test
    void aCsvOfPixelColumnsReadsLikeTheIdxFile() throws IOException {
        Path images = dir.resolve("tiny-images-idx3-ubyte");
        Files.write(images, IdxFilesTest.IMAGES);
        Files.write(dir.resolve("tiny-labels-idx1-ubyte"), IdxFilesTest.LABELS);
        Path csv = dir.resolve("tiny.csv");
        Files.writeString(csv, "p1,p2,p3,p4,label\n0,1,2,3,7\n4,5,6,7,0\n8,9,10,255,7\n");
        ReadOptions o = new ReadOptions("auto", "label", List.of(), "", false, "", 1, 3, 1 / 255.0);
        Table fromIdx = Tables.read(images.toString(), o);
        Table fromCsv = Tables.read(csv.toString(), o);
        assertArrayEquals(fromIdx.block().x, fromCsv.block().x);
        assertArrayEquals(new int[]{0, 7}, fromCsv.block().labels);
        assertArrayEquals(new int[]{2, 2, 1}, fromCsv.imageShape());
        assertArrayEquals(new float[]{4 / 255f, 5 / 255f, 6 / 255f, 7 / 255f}, Arrays.copyOf(fromCsv.block().x, 4), 1e-7f);
    }
}
