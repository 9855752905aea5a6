package org.lipflow.io;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.cli.Main;
import org.lipflow.engine.spark.SparkEngine;
import org.lipflow.engine.spark.SparkTestSession;
import org.lipflow.flow.Block;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark engine's reader gives the in-process reader's values and messages: the same CSV files
 * (quoted fields, BOM, CRLF, extra or missing fields, header only), Parquet of every numeric type,
 * and the label rules.
 */
@Tag("spark")
class SparkInputsTest {
    @TempDir
    Path dir;

    static SparkSession spark() {
        return SparkTestSession.get("local[2]");
    }

    static Block read(String path, ReadOptions o) {
        return SparkEngine.concat(SparkInputs.open(spark(), path, o).blocks().collect());
    }

    Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name + ".csv");
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    /** The error a Spark read raises, as the user sees it (Main unwraps task failures the same way). */
    static String sparkError(Runnable read) {
        Throwable e = assertThrows(Throwable.class, read::run);
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof IllegalArgumentException) {
                return c.getMessage();
            }
        }
        String m = String.valueOf(e.getMessage());
        int i = m.indexOf("java.lang.IllegalArgumentException: ");
        assertTrue(i >= 0, m);
        return m.substring(i + 36).lines().findFirst().orElse("");
    }

    /** A message without its position: "file line 3, ..." and "file partition 0, line 3, ..." both become "file @, ...". */
    static String withoutPosition(String m) {
        return m.replaceFirst(" (partition \\d+, )?(line|row) \\d+", " @");
    }

    @Test
    void csvFilesReadToTheInProcessValues() throws IOException {
        for (String[] c : CsvTablesTest.VALID) {
            Path f = write(c[0], c[1]);
            SparkInputs.Input in = SparkInputs.open(spark(), f.toString(), ReadOptions.defaults());
            Block b = SparkEngine.concat(in.blocks().collect());
            Table t = new Table(in.columns(), new Block(b.rows, b.dimension, b.x, b.labels, null), in.labelColumn());
            CsvTablesTest.assertCase(c, t);
            assertEquals(b.rows, in.rows(), c[0]);
        }
        Path gz = dir.resolve("bom.csv.gz");
        try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(CsvTablesTest.VALID[2][1].getBytes(StandardCharsets.UTF_8));
        }
        SparkInputs.Input in = SparkInputs.open(spark(), gz.toString(), ReadOptions.defaults());
        Block b = SparkEngine.concat(in.blocks().collect());
        CsvTablesTest.assertCase(CsvTablesTest.VALID[2], new Table(in.columns(), new Block(b.rows, b.dimension, b.x, b.labels, null),
                in.labelColumn()));
    }

    @Test
    void aVectorFeaturesColumnIsRefusedForCsv() throws IOException {
        Path f = write("vec", "x1,x2\n1,2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkInputs.open(spark(), f.toString(), new ReadOptions("auto", "label", List.of(), "features")));
        assertTrue(e.getMessage().contains("features-column 'features' (a Spark ML vector column) needs a Parquet input"),
                e.getMessage());
    }

    @Test
    void invalidCsvFilesGiveTheInProcessMessages() throws IOException {
        for (String[] c : CsvTablesTest.INVALID) {
            Path f = write(c[0], c[1]);
            String inProcess = assertThrows(IllegalArgumentException.class,
                    () -> CsvTables.read(f.toString(), ReadOptions.defaults())).getMessage();
            String onSpark = sparkError(() -> SparkInputs.open(spark(), f.toString(), ReadOptions.defaults()).rows());
            assertEquals(withoutPosition(inProcess), withoutPosition(onSpark), c[0]);
            assertTrue(onSpark.contains(c[2]), onSpark);
        }
        Path f = write("where", "x1,x2\n1,2\n3,abc\n");
        assertEquals(f + " partition 0, line 3, column x2: not a number 'abc'",
                sparkError(() -> SparkInputs.open(spark(), f.toString(), ReadOptions.defaults()).rows()));
    }

    @Test
    void aCsvDirectoryWrittenBySparkReadsLikeInProcessAndHashPartitioningKeepsEveryRow() throws IOException {
        Path d = Files.createDirectories(dir.resolve("parts.csv"));
        StringBuilder all = new StringBuilder();
        for (int p = 0; p < 3; p++) {
            StringBuilder sb = new StringBuilder(p == 0 ? "\uFEFFx1,label\r\n" : "x1,label\r\n");
            for (int r = 0; r < 5 + p; r++) {
                sb.append(p * 100 + r).append(',').append(r % 4).append("\r\n");
            }
            Files.writeString(d.resolve("part-0000" + p + ".csv"), sb.toString());
            all.append(sb);
        }
        Files.writeString(d.resolve("_SUCCESS"), "");
        Block local = CsvTables.read(d.toString(), ReadOptions.defaults()).block();
        assertEquals(18, local.rows);
        assertEquals(sorted(local), sorted(read(d.toString(), ReadOptions.defaults())));
        JavaRDD<Block> hashed = SparkInputs.open(spark(), d.toString(), ReadOptions.defaults()).blocks(4);
        List<Block> parts = hashed.collect();
        assertEquals(4, parts.size());
        assertEquals(sorted(local), sorted(SparkEngine.concat(parts)));
        assertEquals(sorted(SparkEngine.concat(parts)), sorted(SparkEngine.concat(hashed.collect())), "deterministic");
        long[] ids = SparkEngine.concat(parts).ids;
        assertEquals(ids.length, Arrays.stream(ids).distinct().count(), "unique ids");
    }

    /**
     * A hash-partitioned input recomputed after an executor loss must hold the same rows in the
     * same order: here the same rows arrive from the part files in another order (as a re-run
     * shuffle may deliver them) and every partition comes out identical, ids included.
     */
    @ParameterizedTest
    @ValueSource(strings = {"csv", "parquet"})
    void hashPartitionedInputsDoNotDependOnTheOrderTheRowsArriveIn(String format) throws IOException {
        List<String> rows = new ArrayList<>();
        for (int r = 0; r < 40; r++) {
            rows.add(r + "," + (r * 7 % 11) + "," + (r % 3));
        }
        List<String> reversed = new ArrayList<>(rows);
        java.util.Collections.reverse(reversed);
        List<List<Block>> partitions = new ArrayList<>();
        for (List<String> order : List.of(rows, reversed)) {
            Path d = dir.resolve(format + "-" + partitions.size() + "." + format);
            if (format.equals("csv")) {
                Files.createDirectories(d);
                for (int p = 0; p < 2; p++) {
                    Files.writeString(d.resolve("part-0000" + p + ".csv"),
                            "x1,x2,label\n" + String.join("\n", order.subList(p * 20, p * 20 + 20)) + "\n");
                }
            } else {
                Path csv = dir.resolve("in-" + partitions.size() + ".csv");
                Files.writeString(csv, "x1,x2,label\n" + String.join("\n", order) + "\n");
                spark().read().option("header", "true").option("inferSchema", "true").csv(csv.toString()).coalesce(1)
                        .write().parquet(d.toString());
            }
            partitions.add(SparkInputs.open(spark(), d.toString(), ReadOptions.defaults()).blocks(3).collect());
        }
        for (int p = 0; p < 3; p++) {
            Block a = partitions.get(0).get(p), b = partitions.get(1).get(p);
            assertEquals(Arrays.toString(a.x), Arrays.toString(b.x), "partition " + p + ": same rows in the same order");
            assertEquals(Arrays.toString(a.labels), Arrays.toString(b.labels));
            assertEquals(Arrays.toString(a.ids), Arrays.toString(b.ids));
        }
    }

    /** Rows of a block as "x...|label" strings in sorted order: equal multisets of rows. */
    static List<String> sorted(Block b) {
        List<String> rows = new ArrayList<>();
        for (int r = 0; r < b.rows; r++) {
            rows.add(Arrays.toString(Arrays.copyOfRange(b.x, r * b.dimension, (r + 1) * b.dimension)) + "|"
                    + (b.labels == null ? "" : b.labels[r]));
        }
        rows.sort(null);
        return rows;
    }

    @Test
    void parquetOfEveryNumericTypeReadsToTheInProcessValues() throws IOException {
        Path file = dir.resolve("typed.parquet");
        ParquetTablesTest.writeTyped(file, 0, 40);
        SparkInputs.Input in = SparkInputs.open(spark(), file.toString(), ReadOptions.defaults());
        assertArrayEquals(new String[]{"d", "f", "i", "l"}, in.columns());
        assertEquals("label", in.labelColumn(), "a byte order mark is not part of a column name");
        Block b = SparkEngine.concat(in.blocks().collect());
        assertArrayEquals(ParquetTablesTest.expectedX(0, 40), b.x);
        assertArrayEquals(ParquetTablesTest.expectedLabels(0, 40), b.labels);
        Block capped = new Block(2, 1, new float[]{1, 2}, new int[]{3, 2_000_000_000}, null);
        Path cap = dir.resolve("cap.parquet");
        ParquetTables.write(cap.toString(), new Table(new String[]{"x1"}, capped, "label"));
        String inProcess = assertThrows(IllegalArgumentException.class,
                () -> ParquetTables.read(cap.toString(), ReadOptions.defaults())).getMessage();
        assertEquals(withoutPosition(inProcess), withoutPosition(sparkError(() -> read(cap.toString(), ReadOptions.defaults()))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkInputs.open(spark(), file.toString(), new ReadOptions("auto", "class", List.of(), "", true)));
        assertTrue(e.getMessage().contains("label column 'class' (label-column) not found"), e.getMessage());
    }

    @Test
    void sourceLabelRulesHoldOnTheSparkEngine() throws IOException {
        Path target = write("target", "x1,x2,label\n0,0,0\n0,4,1\n4,0,2\n4,4,3\n0.1,0,0\n0,4.1,1\n4.1,0,2\n4,4.1,3\n");
        Path source = write("source", "x1,x2,label\n0,0,1\n1,1,7\n2,2,0\n");
        String[] r = run("--target", target.toString(), "--source", source.toString());
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].contains(source + " partition ") && r[1].contains(": label 7 is not one of the target's classes 0..3 (K = 4"),
                r[1]);
        Path plain = write("plain", "x1,x2\n0,0\n1,1\n2,0\n");
        r = run("--target", plain.toString(), "--source", source.toString());
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].contains("source " + source + " has labels but the target has none"), r[1]);
        Path headerOnly = write("header-only", "x1,x2\r\n");
        r = run("--target", plain.toString(), "--source", headerOnly.toString());
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].contains(headerOnly + ": no data rows"), r[1]);
    }

    @Test
    void aSourceReadBySparkIsCountedInTheManifestAndSaysWhyItIsNotHashed() throws IOException {
        Path target = write("t", "x1,x2\n0,0\n0,4\n4,0\n4,4\n");
        Path source = write("s", "x1,x2\n0,0\n1,1\n2,0\n1,2\n0.5,0.5\n");
        Path out = dir.resolve("counted");
        spark();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "run", "--engine", "spark",
                "--partitions", "2", "--steps", "3", "--quiet", "--set", "output.plots=false", "--out", out.toString(),
                "--target", target.toString(), "--source", source.toString());
        assertEquals(0, code, err.toString());
        String manifest = Files.readString(out.resolve("manifest.json"));
        String sourceEntry = manifest.substring(manifest.indexOf("\"source\":"));
        assertTrue(sourceEntry.contains("\"rows\":5") && sourceEntry.contains("\"read_by\":\"spark\"")
                && sourceEntry.contains("\"sha256\":\"not computed: read by Spark"), sourceEntry);
    }

    @Test
    void aLabelledCsvTargetAboveTheBroadcastLimitIsCoPartitionedWithItsClasses() throws IOException {
        StringBuilder sb = new StringBuilder("\uFEFF\"x1\",x2,label\r\n");
        for (int i = 0; i < 200; i++) {
            int mode = i % 4;
            sb.append('"').append((mode / 2) * 4 + 0.01 * i).append("\",").append((mode % 2) * 4).append(',').append(mode).append("\r\n");
        }
        Path target = write("big", sb.toString()); // 1,600 bytes of features
        Path out = dir.resolve("co");
        StringWriter err = new StringWriter();
        spark();
        int code = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "run", "--engine", "spark",
                "--partitions", "2", "--steps", "5", "--quiet", "--target", target.toString(), "--format", "csv",
                "--set", "engine.broadcast-limit-mb=0.001", "--set", "output.plots=false", "--out", out.toString());
        assertEquals(0, code, err.toString());
        String manifest = Files.readString(out.resolve("manifest.json"));
        assertTrue(manifest.contains("\"rows\":200") && manifest.contains("\"co_partitioned\":true"), manifest);
        Block particles = CsvTables.read(out.resolve("particles.csv").toString(), ReadOptions.defaults()).block();
        assertEquals(200, particles.rows);
        assertTrue(Arrays.stream(particles.labels).allMatch(l -> l >= 0 && l < 4), "labels drawn from the target's classes");
        assertEquals(4, Arrays.stream(particles.labels).distinct().count());
    }

    /** A Spark-engine run expected to fail with one line; returns exit code and stderr. */
    String[] run(String... args) {
        List<String> a = new ArrayList<>(List.of("run", "--engine", "spark", "--partitions", "2", "--steps", "3", "--quiet",
                "--set", "output.plots=false", "--out", dir.resolve("out").toString()));
        a.addAll(Arrays.asList(args));
        spark();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), a.toArray(String[]::new));
        assertEquals(1, err.toString().strip().lines().filter(l -> l.startsWith("lipflow: error")).count(), err.toString());
        assertFalse(Files.exists(dir.resolve("out")));
        return new String[]{Integer.toString(code), err.toString()};
    }
}
