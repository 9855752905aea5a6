package org.lipflow.io;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The IDX reader against known bytes: three 2x2 images, plain and gzip, and its one-line errors. */
class IdxFilesTest {
    @TempDir
    Path dir;

    /** Three 2x2 images: pixels 0..11 with 255 as the last pixel of the last image. */
    static final byte[] IMAGES = bytes(0x00, 0x00, 0x08, 0x03, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2,
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255);
    static final byte[] LABELS = bytes(0x00, 0x00, 0x08, 0x01, 0, 0, 0, 3, 7, 0, 7);

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(bo)) {
            o.write(b);
        }
        return bo.toByteArray();
    }

    Path write(String name, byte[] b) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, b);
        return f;
    }

    @Test
    void readsPixelsRowMajorWithLabelsBesideAndTheImageShape() throws IOException {
        Path images = write("tiny-images-idx3-ubyte", IMAGES);
        write("tiny-labels-idx1-ubyte", LABELS);
        Table t = Tables.read(images.toString(), ReadOptions.defaults());
        assertArrayEquals(new String[]{"p1", "p2", "p3", "p4"}, t.columns());
        assertArrayEquals(new float[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255}, t.block().x);
        assertArrayEquals(new int[]{7, 0, 7}, t.block().labels);
        assertEquals("label", t.labelColumn());
        assertArrayEquals(new int[]{2, 2, 1}, t.imageShape());
    }

    @Test
    void readsGzipFilesTheSame() throws IOException {
        Path images = write("tiny-images-idx3-ubyte.gz", gzip(IMAGES));
        write("tiny-labels-idx1-ubyte.gz", gzip(LABELS));
        Table t = Tables.read(images.toString(), ReadOptions.defaults());
        assertArrayEquals(new float[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255}, t.block().x);
        assertArrayEquals(new int[]{7, 0, 7}, t.block().labels);
    }

    @Test
    void withoutALabelsFileTheImagesAreUnlabelledAndLabelsPathNamesOne() throws IOException {
        Path images = write("a.idx", IMAGES);
        assertNull(Tables.read(images.toString(), ReadOptions.defaults()).block().labels);
        Path labels = write("somewhere.bin", LABELS);
        ReadOptions o = new ReadOptions("auto", "label", List.of(), "", false, labels.toString(), 0, 0, 1.0);
        assertArrayEquals(new int[]{7, 0, 7}, Tables.read(images.toString(), o).block().labels);
        ReadOptions idx = new ReadOptions("idx", "label", List.of(), "", false, labels.toString(), 0, 0, 1.0);
        Path odd = write("images.bin", IMAGES);
        assertEquals(3, Tables.read(odd.toString(), idx).block().rows);
    }

    @Test
    void badInputIsOneLineNamingTheFile() throws IOException {
        byte[] wrongMagic = IMAGES.clone();
        wrongMagic[3] = 0x01;
        Path a = write("wrong-images-idx3-ubyte", wrongMagic);
        assertError(a, a + ": not an IDX images file (magic number 0x00000801, expected 0x00000803)");

        Path b = write("cut-images-idx3-ubyte", Arrays.copyOf(IMAGES, IMAGES.length - 1));
        assertError(b, b + ": truncated IDX images file: the header gives 3 images of 2x2 (12 pixel bytes), the body has 11");
        Path bz = write("cutgz-images-idx3-ubyte.gz", Arrays.copyOf(gzip(IMAGES), 20));
        assertTrue(message(bz).startsWith(bz + ": truncated IDX"), message(bz));

        Path c = write("count-images-idx3-ubyte", IMAGES);
        Path cl = write("count-labels-idx1-ubyte", bytes(0, 0, 8, 1, 0, 0, 0, 2, 1, 2));
        assertError(c, cl + ": 2 labels for the 3 images of " + c);

        Path d = write("magic-images-idx3-ubyte", IMAGES);
        Path dl = write("magic-labels-idx1-ubyte", IMAGES);
        assertError(d, dl + ": not an IDX labels file (magic number 0x00000803, expected 0x00000801)");

        Path e = write("short-images-idx3-ubyte", bytes(0, 0, 8, 3, 0, 0));
        assertError(e, e + ": truncated IDX header (shorter than its 4-byte fields)");
    }

    private void assertError(Path images, String expected) {
        assertEquals(expected, message(images));
    }

    private String message(Path images) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tables.read(images.toString(), ReadOptions.defaults()));
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void namesAreRecognisedByExtension() {
        ReadOptions o = ReadOptions.defaults();
        assertEquals("idx", o.formatOf("hdfs://nn/data/t10k-images-idx3-ubyte.gz"));
        assertEquals("idx", o.formatOf("x.idx3-ubyte"));
        assertEquals("idx", o.formatOf("X.IDX"));
        assertEquals("csv", o.formatOf("x.csv.gz"));
        assertEquals("/d/t10k-labels-idx1-ubyte.gz", IdxFiles.labelsBeside("/d/t10k-images-idx3-ubyte.gz"));
        assertNull(IdxFiles.labelsBeside("/d/a.idx"));
    }

    /** The real Fashion-MNIST test set, when the Debian package dataset-fashion-mnist is installed. */
    @Test
    void readsTheFashionMnistTestSet() {
        Path images = Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");
        Assumptions.assumeTrue(Files.isReadable(images), "dataset-fashion-mnist is not installed");
        Table t = Tables.read(images.toString(), ReadOptions.defaults());
        assertEquals(10_000, t.block().rows);
        assertEquals(784, t.block().dimension);
        assertArrayEquals(new int[]{28, 28, 1}, t.imageShape());
        assertEquals(0, Arrays.stream(t.block().labels).min().orElseThrow());
        assertEquals(9, Arrays.stream(t.block().labels).max().orElseThrow());
        float max = 0;
        for (float v : t.block().x) {
            max = Math.max(max, v);
        }
        assertEquals(255f, max);
    }
}
