package org.lipflow.engine.spark;

import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.cli.Main;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run command on the Spark engine with inputs read by Spark. */
@Tag("spark")
class SparkRunTest {
    @TempDir
    Path dir;

    static String[] run(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args);
        return new String[]{Integer.toString(code), err.toString()};
    }

    /** A Parquet file with a Spark ML vector column "features" (sizes as given) and a label. */
    Path vectors(String name, int rows, int badRow) {
        SparkSession spark = SparkTestSession.get("local[2]");
        StructType schema = new StructType().add("features", new VectorUDT()).add("label", DataTypes.IntegerType);
        List<Row> data = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            double a = (i % 4) / 2 * 4 + 0.3 * Math.sin(i), b = (i % 2) * 4 + 0.3 * Math.cos(i);
            data.add(RowFactory.create(i == badRow ? Vectors.dense(a, b, 1.0) : Vectors.dense(a, b), i % 4));
        }
        Path p = dir.resolve(name);
        spark.createDataFrame(data, schema).repartition(3).write().parquet(p.toString());
        return p;
    }

    /**
     * A generated target above engine.broadcast-limit-mb is generated on the executors in the
     * particles' partitions instead of being broadcast past the limit; a conditional one keeps its
     * class counts (every particle near its own label's mode as often as with a broadcast target).
     */
    @Test
    void aGeneratedTargetAboveTheBroadcastLimitIsCoPartitioned() throws Exception {
        Path out = dir.resolve("generated");
        String[] r = run("run", "conf/examples/gaussian-mixture.conf", "--engine", "spark", "--master", "local[2]",
                "--partitions", "4", "--steps", "150", "--particles", "400", "--set", "target.n=4000", "--set", "target.labels=true",
                "--set", "engine.broadcast-limit-mb=0.01", "--out", out.toString(), "--format", "csv", "--quiet",
                "--set", "output.plots=false");
        assertEquals("0", r[0], r[1]);
        String manifest = Files.readString(out.resolve("manifest.json"));
        assertTrue(manifest.contains("\"co_partitioned\":true") && manifest.contains("\"rows\":4000"), manifest);
        int near = 0, total = 0;
        double[][] modes = org.lipflow.data.SyntheticData.MIXTURE4_MODES;
        try (var files = Files.list(out.resolve("particles.csv"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("part-")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (line.startsWith("x1") || line.isBlank()) {
                        continue;
                    }
                    String[] v = line.split(",");
                    int label = Integer.parseInt(v[2]);
                    total++;
                    near += Math.hypot(Double.parseDouble(v[0]) - modes[label][0], Double.parseDouble(v[1]) - modes[label][1]) < 1.5 ? 1 : 0;
                }
            }
        }
        assertEquals(400, total);
        // measured: 381 of 400 (the same run through jobs/lipflow, the example at its Adam step 0.005)
        assertTrue(near > 0.6 * total, near + " of " + total + " particles near their own label's mode after 150 steps");
        String[] tooSmall = run("run", "conf/examples/gaussian-mixture.conf", "--engine", "spark", "--master", "local[2]",
                "--partitions", "2", "--steps", "2", "--set", "target.n=4000", "--set", "engine.broadcast-limit-mb=0.01",
                "--out", dir.resolve("none").toString(), "--quiet");
        assertEquals("2", tooSmall[0], tooSmall[1]);
        assertTrue(tooSmall[1].contains("target synthetic:mixture4 of 0.0305 MB exceeds engine.broadcast-limit-mb = 0.01")
                && tooSmall[1].contains("needs at least 4 partitions"), tooSmall[1]);
    }

    @Test
    void vectorFeaturesAndLabelsFromAParquetDirectory() throws Exception {
        Path target = vectors("target.parquet", 200, -1);
        Path out = dir.resolve("out");
        String[] r = run("run", "conf/examples/gaussian-mixture.conf", "--engine", "spark", "--partitions", "2", "--steps", "20",
                "--target", target.toString(), "--set", "target.features-column=features", "--out", out.toString(),
                "--format", "csv", "--quiet", "--set", "output.plots=false");
        assertEquals("0", r[0], r[1]);
        List<String> header = new ArrayList<>();
        try (var parts = Files.list(out.resolve("particles.csv"))) {
            parts.filter(p -> p.getFileName().toString().startsWith("part-")).forEach(p -> {
                try {
                    header.add(Files.readAllLines(p).get(0));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        assertEquals("x1,x2,label", header.get(0), "vector features written as numeric columns, labels kept");
    }

    @Test
    void inconsistentVectorSizesAndAMissingFeaturesColumnAreOneLineErrors() {
        Path bad = vectors("bad.parquet", 50, 17);
        String[] r = run("run", "conf/examples/gaussian-mixture.conf", "--engine", "spark", "--steps", "5", "--target", bad.toString(),
                "--set", "target.features-column=features", "--out", dir.resolve("o1").toString(), "--quiet");
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].contains("features column 'features' has vectors of size 3 and 2"), r[1]);
        assertEquals(1, r[1].strip().lines().filter(l -> l.startsWith("lipflow:")).count(), r[1]);
        assertFalse(Files.exists(dir.resolve("o1")));
        String[] m = run("run", "conf/examples/gaussian-mixture.conf", "--engine", "spark", "--steps", "5", "--target", bad.toString(),
                "--set", "target.features-column=feats", "--out", dir.resolve("o2").toString(), "--quiet");
        assertEquals("2", m[0], m[1]);
        assertTrue(m[1].contains("features column 'feats' not found"), m[1]);
    }

    @Test
    void aTargetAboveTheBroadcastLimitIsRefused() {
        Path target = vectors("t.parquet", 100, -1);
        String[] r = run("run", "conf/examples/gaussian-mixture.conf", "--engine", "spark", "--steps", "5", "--target", target.toString(),
                "--set", "target.features-column=features", "--set", "engine.broadcast-limit-mb=0", "--out",
                dir.resolve("o").toString(), "--quiet");
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].contains("exceeds engine.broadcast-limit-mb = 0"), r[1]);
    }

    @Test
    void aTargetAboveTheLimitIsCoPartitionedWhenThereAreEnoughPartitions() throws Exception {
        Path target = vectors("big.parquet", 100, -1); // 800 bytes of features
        String[] few = run("run", "conf/examples/gaussian-mixture.conf", "--engine", "spark", "--partitions", "1", "--steps", "5",
                "--target", target.toString(), "--set", "target.features-column=features", "--set", "engine.broadcast-limit-mb=0.0005",
                "--out", dir.resolve("few").toString(), "--quiet");
        assertEquals("2", few[0], few[1]);
        assertTrue(few[1].contains("needs at least 2 partitions") && few[1].contains("engine.partitions gives 1"), few[1]);
        Path out = dir.resolve("co");
        String[] r = run("run", "conf/examples/gaussian-mixture.conf", "--engine", "spark", "--partitions", "2", "--steps", "20",
                "--target", target.toString(), "--set", "target.features-column=features", "--set", "engine.broadcast-limit-mb=0.0005",
                "--out", out.toString(), "--format", "csv", "--quiet", "--set", "output.plots=false");
        assertEquals("0", r[0], r[1]);
        assertEquals(20, Files.readAllLines(out.resolve("metrics.jsonl")).size());
        String manifest = Files.readString(out.resolve("manifest.json"));
        assertTrue(manifest.contains("\"rows\":100") && manifest.contains("\"co_partitioned\":true"), manifest);
    }
}
