package org.lipflow.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CSV dialect of the in-process reader: RFC 4180 quoting, BOM, CRLF, part files, and its one-line errors. */
class CsvTablesTest {
    @TempDir
    Path dir;

    /** CSV files both engines must read to the same values (SparkInputsTest reads them with Spark). */
    static final String[][] VALID = {
            {"quoted", "x1,\"x2\"\n\"0.1\",2\n\" 3.5 \",\"-4e2\"\n", "x1|x2", "0.1,2,3.5,-400"},
            {"comma-in-header", "\"x,1\",\"say \"\"hi\"\"\",label\n1,2,3\n4,5,0\n", "x,1|say \"hi\"", "1,2,4,5", "3,0"},
            {"bom-label", "\uFEFFlabel,x1\n2,1.5\n0,-1\n", "x1", "1.5,-1", "2,0"},
            {"crlf", "x1,x2\r\n1,2\r\n\r\n3,4\r\n", "x1|x2", "1,2,3,4"},
            {"repeated-header", "x1,x2\n1,2\nx1,x2\n3,4\n", "x1|x2", "1,2,3,4"},
    };

    /** Files both engines must refuse with the same message (after the position). */
    static final String[][] INVALID = {
            {"comma-in-quoted-number", "x1,x2\n1,2\n\"1,5\",3\n", ", column x1: not a number '1,5'"},
            {"extra-field", "x1,x2\n1,2\n3,4,5\n", ": expected 2 fields, found 3"},
            {"missing-field", "x1,x2\n1,2\n3\n", ": expected 2 fields, found 1"},
            {"header-only", "x1,x2\n", ": no data rows"},
            {"header-only-crlf-bom", "\uFEFFx1,x2\r\n", ": no data rows"},
            {"unterminated-quote", "x1,x2\n\"1,2\n", ": field 1 has no closing quote"},
            {"text-after-quote", "x1,x2\n\"1\"x,2\n", ": field 1 has text after its closing quote"},
            {"label-above-cap", "x1,label\n1,3\n2,2000000000\n", ", column label: labels must be integers >= 0 and < 10000"},
            {"negative-label", "x1,label\n1,-1\n", ", column label: labels must be integers >= 0 and < 10000"},
    };

    Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name + ".csv");
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    static float[] floats(String csv) {
        String[] s = csv.split(",");
        float[] f = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            f[i] = Float.parseFloat(s[i]);
        }
        return f;
    }

    static int[] ints(String csv) {
        return java.util.Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    /** Asserts a table equals a VALID case: columns, values exactly (as parsed from text), labels. */
    static void assertCase(String[] c, Table t) {
        assertArrayEquals(c[2].split("\\|"), t.columns(), c[0] + ": columns");
        assertArrayEquals(floats(c[3]), t.block().x, c[0] + ": values");
        if (c.length > 4) {
            assertArrayEquals(ints(c[4]), t.block().labels, c[0] + ": labels");
            assertEquals("label", t.labelColumn(), c[0]);
        } else {
            assertNull(t.block().labels, c[0] + ": no labels");
        }
    }

    @Test
    void validFilesReadToTheirValues() throws IOException {
        for (String[] c : VALID) {
            assertCase(c, CsvTables.read(write(c[0], c[1]).toString(), ReadOptions.defaults()));
        }
    }

    @Test
    void invalidFilesAreOneLineErrorsNamingFileAndLine() throws IOException {
        for (String[] c : INVALID) {
            Path f = write(c[0], c[1]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CsvTables.read(f.toString(), ReadOptions.defaults()), c[0]);
            assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains(c[2]), c[0] + ": " + e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }

    @Test
    void errorsNameTheLineOfTheFile() throws IOException {
        Path f = write("line", "x1,x2\n1,2\n\n3,abc\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CsvTables.read(f.toString(), ReadOptions.defaults()));
        assertEquals(f + " line 4, column x2: not a number 'abc'", e.getMessage());
        Path extra = write("extra", "x1,x2\r\n1,2\r\n3,4,5\r\n");
        e = assertThrows(IllegalArgumentException.class, () -> CsvTables.read(extra.toString(), ReadOptions.defaults()));
        assertEquals(extra + " line 3: expected 2 fields, found 3", e.getMessage());
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheLabelColumnName() throws IOException {
        Table t = CsvTables.read(write("bom", "\uFEFFlabel,x1,x2\n3,1,2\n").toString(), ReadOptions.defaults());
        assertEquals(2, t.block().dimension, "the BOM-prefixed label column is the label, not a feature");
        assertArrayEquals(new int[]{3}, t.block().labels);
    }

    @Test
    void aDirectoryOfPartFilesIsOneTableAndHiddenFilesAreIgnored() throws IOException {
        Path d = Files.createDirectories(dir.resolve("parts.csv"));
        Files.writeString(d.resolve("part-00000.csv"), "x1,label\n1,0\n2,1\n");
        Files.writeString(d.resolve("part-00001.csv"), "x1,label\n3,2\n");
        Files.writeString(d.resolve("part-00002.csv"), "");
        Files.writeString(d.resolve("_SUCCESS"), "");
        Files.writeString(d.resolve(".part-00000.csv.crc"), "junk");
        Table t = CsvTables.read(d.toString(), ReadOptions.defaults());
        assertArrayEquals(new float[]{1, 2, 3}, t.block().x);
        assertArrayEquals(new int[]{0, 1, 2}, t.block().labels);
        Files.writeString(d.resolve("part-00003.csv"), "x1,label\n4,x\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CsvTables.read(d.toString(), ReadOptions.defaults()));
        assertEquals(d + "/part-00003.csv line 2, column label: labels must be integers >= 0 and < 10000 (the discriminator has one "
                + "output per class; at most 10000 classes), got 'x'", e.getMessage());
    }

    @Test
    void aGzipCompressedFileIsReadAsText() throws IOException {
        Path f = dir.resolve("t.csv.gz");
        try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(f))) {
            out.write("x1,x2\n1,2\n3,4\n".getBytes(StandardCharsets.UTF_8));
        }
        assertArrayEquals(new float[]{1, 2, 3, 4}, CsvTables.read(f.toString(), ReadOptions.defaults()).block().x);
    }

    @Test
    void anExplicitLabelColumnMustExistWhileTheDefaultOneIsOptional() throws IOException {
        Path f = write("nolabel", "x1,x2\n1,2\n");
        assertNull(CsvTables.read(f.toString(), ReadOptions.defaults()).block().labels);
        ReadOptions explicit = new ReadOptions("auto", "class", List.of(), "", true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CsvTables.read(f.toString(), explicit));
        assertEquals(f + ": label column 'class' (label-column) not found; columns are [x1, x2]", e.getMessage());
        ReadOptions none = new ReadOptions("auto", "", List.of(), "", true);
        Path labelled = write("labelled", "x1,label\n1,2\n");
        Table t = CsvTables.read(labelled.toString(), new ReadOptions("auto", "", List.of("x1"), "", true));
        assertNull(t.block().labels, "label-column = \"\": no labels");
        assertEquals(2, CsvTables.read(labelled.toString(), none).block().dimension, "label-column = \"\": every column a feature");
    }

    @Test
    void writtenHeadersReadBack() throws IOException {
        String[][] headers = {{"x1", "x2"}, {"a,b", "x2"}, {"say \"hi\"", "x2"}, {" padded ", "x2"}};
        for (int i = 0; i < headers.length; i++) {
            Path f = dir.resolve("written-" + i + ".csv");
            Table t = new Table(headers[i], new org.lipflow.flow.Block(1, 2, new float[]{1.5f, -2}, null, null), null);
            CsvTables.write(f.toString(), t);
            Table back = CsvTables.read(f.toString(), ReadOptions.defaults());
            assertArrayEquals(headers[i], back.columns(), Files.readString(f));
            assertArrayEquals(t.block().x, back.block().x);
        }
    }
}
