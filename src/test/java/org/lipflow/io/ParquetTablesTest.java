package org.lipflow.io;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.flow.Block;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parquet tables read by value: every numeric column type, part-file directories, labels and their rules. */
class ParquetTablesTest {
    @TempDir
    Path dir;

    /** Columns d (double), f (float), i (int32), l (int64) and an int64 label whose name starts with a BOM. */
    static final MessageType TYPES = Types.buildMessage()
            .required(PrimitiveTypeName.DOUBLE).named("d")
            .required(PrimitiveTypeName.FLOAT).named("f")
            .required(PrimitiveTypeName.INT32).named("i")
            .required(PrimitiveTypeName.INT64).named("l")
            .required(PrimitiveTypeName.INT64).named("\uFEFFlabel")
            .named("t");

    /** Row r of the typed file: values whose float images are exact and distinct per type. */
    static Object[] row(int r) {
        return new Object[]{0.25 * r - 1.5, 1.0f / (r + 2), -7 * r, 3_000_000L + r, (long) (r % 3)};
    }

    /** The features the typed rows must read to, as floats (row-major), and their labels. */
    static float[] expectedX(int from, int to) {
        float[] x = new float[(to - from) * 4];
        for (int r = from; r < to; r++) {
            Object[] v = row(r);
            x[(r - from) * 4] = (float) (double) v[0];
            x[(r - from) * 4 + 1] = (float) v[1];
            x[(r - from) * 4 + 2] = (int) v[2];
            x[(r - from) * 4 + 3] = (long) v[3];
        }
        return x;
    }

    static int[] expectedLabels(int from, int to) {
        return java.util.stream.IntStream.range(from, to).map(r -> r % 3).toArray();
    }

    /** Writes rows [from, to) of the typed table. */
    static void writeTyped(Path file, int from, int to) throws IOException {
        SimpleGroupFactory f = new SimpleGroupFactory(TYPES);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri())).withType(TYPES)
                .withConf(new Configuration()).build()) {
            for (int r = from; r < to; r++) {
                Object[] v = row(r);
                Group g = f.newGroup();
                g.add(0, (double) v[0]);
                g.add(1, (float) v[1]);
                g.add(2, (int) v[2]);
                g.add(3, (long) v[3]);
                g.add(4, (long) v[4]);
                w.write(g);
            }
        }
    }

    @Test
    void doubleFloatIntAndLongColumnsReadByValue() throws IOException {
        Path file = dir.resolve("typed.parquet");
        writeTyped(file, 0, 50);
        Table t = ParquetTables.read(file.toString(), ReadOptions.defaults());
        assertArrayEquals(new String[]{"d", "f", "i", "l"}, t.columns());
        assertEquals("label", t.labelColumn(), "a byte order mark is not part of a column name");
        assertArrayEquals(expectedX(0, 50), t.block().x);
        assertArrayEquals(expectedLabels(0, 50), t.block().labels);
    }

    @Test
    void aDirectoryOfPartFilesReadsAsOneTable() throws IOException {
        Path d = Files.createDirectories(dir.resolve("parts.parquet"));
        writeTyped(d.resolve("part-00000.parquet"), 0, 30);
        writeTyped(d.resolve("part-00001.parquet"), 30, 45);
        Files.writeString(d.resolve("_SUCCESS"), "");
        Table t = ParquetTables.read(d.toString(), ReadOptions.defaults());
        assertEquals(45, t.block().rows);
        assertArrayEquals(expectedX(0, 45), t.block().x);
        assertArrayEquals(expectedLabels(0, 45), t.block().labels);
    }

    @Test
    void writtenTablesReadBackExactly() throws IOException {
        Block b = new Block(3, 2, new float[]{0.1f, -2.5e-8f, 3e30f, 7, -0f, 1}, new int[]{0, 9_999, 4}, null);
        Path file = dir.resolve("w.parquet");
        ParquetTables.write(file.toString(), new Table(new String[]{"a", "b"}, b, "label"));
        Table back = ParquetTables.read(file.toString(), ReadOptions.defaults());
        assertArrayEquals(b.x, back.block().x);
        assertArrayEquals(b.labels, back.block().labels);
    }

    @Test
    void labelsAboveTheClassCapAndMissingExplicitLabelColumnsAreRefused() throws IOException {
        Block b = new Block(2, 1, new float[]{1, 2}, new int[]{3, 2_000_000_000}, null);
        Path file = dir.resolve("cap.parquet");
        ParquetTables.write(file.toString(), new Table(new String[]{"x1"}, b, "label"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParquetTables.read(file.toString(), ReadOptions.defaults()));
        assertEquals(file + " row 2, column label: labels must be integers >= 0 and < 10000 (the discriminator has one output per "
                + "class; at most 10000 classes), got 2.0E9", e.getMessage());
        Path plain = dir.resolve("plain.parquet");
        ParquetTables.write(plain.toString(), new Table(new String[]{"x1"}, new Block(1, 1, new float[]{1}, null, null), null));
        e = assertThrows(IllegalArgumentException.class,
                () -> ParquetTables.read(plain.toString(), new ReadOptions("auto", "class", List.of(), "", true)));
        assertTrue(e.getMessage().contains("label column 'class' (label-column) not found; columns are [x1]"), e.getMessage());
    }
}
