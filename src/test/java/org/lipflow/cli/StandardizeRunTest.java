package org.lipflow.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.config.LipflowConfig;
import org.lipflow.engine.FlowProblem;
import org.lipflow.engine.InProcessEngine;
import org.lipflow.engine.spark.SparkTestSession;
import org.lipflow.flow.Block;
import org.lipflow.flow.FlowListener;
import org.lipflow.io.ReadOptions;
import org.lipflow.io.Tables;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * data.standardize on the in-process engine: the flow runs on the target's standardised features
 * and everything written is mapped back, so (1) a run that cannot move returns its source in data
 * units, (2) the manifest holds the target's mean and std, (3) the run is scale-equivariant (a
 * target and source multiplied by 1,000 give the particles multiplied by 1,000), and (4) with
 * data.standardize = false the run is the unstandardised flow, bit for bit.
 */
class StandardizeRunTest {
    static final int N = 100, M = 80;
    /** Features: two of different scales and means, and a constant one (scale 1 in the manifest). */
    static final String HEADER = "a,b,c\n";

    @TempDir
    Path dir;

    /**
     * Target rows (a, b, c) = (50 + 10 g, -3 + 0.2 g, 7) times {@code factor}, source rows shifted and wider in a and b,
     * and in c spread by {@code cSpread} around 7 (a constant feature is centred but keeps scale 1, so only a source
     * constant there too is scale-equivariant).
     */
    void inputs(double factor, double cSpread) throws IOException {
        inputs(factor, cSpread, false);
    }

    /**
     * As {@link #inputs(double, double)}; with {@code ids} the source's rows start with an id column ("r00", "r01", ...,
     * in file order) and the same values follow.
     */
    void inputs(double factor, double cSpread, boolean ids) throws IOException {
        Random g = new Random(11);
        StringBuilder t = new StringBuilder(HEADER), s = new StringBuilder(ids ? "id," + HEADER : HEADER);
        for (int r = 0; r < N; r++) {
            t.append(factor * (50 + 10 * g.nextGaussian())).append(',').append(factor * (-3 + 0.2 * g.nextGaussian()))
                    .append(',').append(factor * 7).append('\n');
        }
        for (int r = 0; r < M; r++) {
            if (ids) {
                s.append(String.format("r%02d,", r));
            }
            s.append(factor * (80 + 20 * g.nextGaussian())).append(',').append(factor * (-2 + 0.5 * g.nextGaussian()))
                    .append(',').append(factor * (7 + cSpread * g.nextGaussian())).append('\n');
        }
        Files.writeString(dir.resolve("target-" + factor + ".csv"), t);
        Files.writeString(dir.resolve("source-" + factor + ".csv"), s);
    }

    Path run(double factor, String name, String... sets) {
        return run(dir.resolve("target-" + factor + ".csv"), dir.resolve("source-" + factor + ".csv"), name, sets);
    }

    Path run(Path target, Path source, String name, String... sets) {
        Path out = dir.resolve(name);
        List<String> a = new java.util.ArrayList<>(List.of("run", "--quiet", "--target", target.toString(), "--source",
                source.toString(),
                "--out", out.toString(), "--format", "parquet", "--set", "engine.threads=1",
                "--set", "output.plots=false", "--set", "output.discriminator=false"));
        if (java.util.Arrays.stream(sets).noneMatch(s -> s.startsWith("flow.steps="))) {
            a.addAll(List.of("--set", "flow.steps=20"));
        }
        for (String s : sets) {
            a.add("--set");
            a.add(s);
        }
        CliTest.Result r = CliTest.lipflow(a.toArray(String[]::new));
        assertEquals(0, r.code(), r.err() + r.out());
        return out;
    }

    static Block read(Path f) {
        return Tables.read(f.toString(), ReadOptions.defaults()).block();
    }

    @Test
    void aRunThatCannotMoveReturnsItsSourceInDataUnits() throws IOException {
        inputs(1, 1);
        Path out = run(1, "still", "flow.dt=1e-9", "flow.steps=1");
        Block source = read(dir.resolve("source-1.0.csv")), particles = read(out.resolve("particles.parquet"));
        assertEquals(M, particles.rows);
        for (int i = 0; i < source.x.length; i++) {
            // float rounding of (x - mean)/std and back: a few ulps of |x| (values up to ~150)
            assertEquals(source.x[i], particles.x[i], 1e-5 * Math.max(1, Math.abs(source.x[i])), "value " + i);
        }
    }

    @Test
    void theManifestRecordsTheTargetsMeanAndStdByHand() throws IOException {
        inputs(1, 1);
        Path out = run(1, "stats", "flow.steps=2");
        Config m = ConfigFactory.parseString(Files.readString(out.resolve("manifest.json")));
        assertTrue(m.getBoolean("standardization.enabled"));
        assertEquals("data", m.getString("standardization.space"));
        List<Double> mean = m.getDoubleList("standardization.mean"), std = m.getDoubleList("standardization.std");
        // by hand, from the file's text: mean and population std (divided by N) per column
        List<String> lines = Files.readAllLines(dir.resolve("target-1.0.csv"));
        for (int j = 0; j < 3; j++) {
            double sum = 0, sq = 0;
            for (int r = 1; r <= N; r++) {
                sum += (float) Double.parseDouble(lines.get(r).split(",")[j]); // the reader's float32 values
            }
            double mu = sum / N;
            for (int r = 1; r <= N; r++) {
                double e = (float) Double.parseDouble(lines.get(r).split(",")[j]) - mu;
                sq += e * e;
            }
            assertEquals(mu, mean.get(j), 1e-9 * Math.max(1, Math.abs(mu)), "mean of column " + j);
            double sd = j == 2 ? 1 : Math.sqrt(sq / N); // c is constant: scale 1
            assertEquals(sd, std.get(j), 1e-9 * sd, "std of column " + j);
        }
        assertEquals(List.of("c"), m.getStringList("standardization.constant_features"));
    }

    @Test
    void aTargetAndSourceTimesAThousandGiveTheParticlesTimesAThousand() throws IOException {
        inputs(1, 0);
        inputs(1000, 0);
        // Adam at 0.001, the rate the 1e-4 tolerance below was set for: Adam's steps are ~lr·sign(g) where g is tiny, so
        // the inputs' float32 rounding flips some of them and a larger rate carries that further (0.036 at 0.005 in 20 steps)
        Block p1 = read(run(1, "x1", "discriminator.learning-rate=0.001").resolve("particles.parquet"));
        Block p1000 = read(run(1000, "x1000", "discriminator.learning-rate=0.001").resolve("particles.parquet"));
        double[] featureScale = {10, 0.2, 1};
        double worst = 0;
        for (int i = 0; i < p1.x.length; i++) {
            if (i % 3 == 2) {
                continue; // c is constant on the target: scale 1 at both sizes, so moves along it are in data units, not x1000
            }
            // relative to the feature's scale: the x1000 files round to float32 differently (1e-7 relative), so the
            // standardised inputs differ by ~1e-6 and 20 steps of the flow carry that along
            worst = Math.max(worst, Math.abs(p1000.x[i] / 1000.0 - p1.x[i]) / featureScale[i % 3]);
        }
        assertTrue(worst < 1e-4, "largest difference / feature scale = " + worst);
        // the particles did move (else the test proves nothing), and without standardisation the runs are not equivariant
        Block source = read(dir.resolve("source-1.0.csv"));
        double moved = 0;
        for (int i = 0; i < p1.x.length; i++) {
            moved = Math.max(moved, Math.abs(p1.x[i] - source.x[i]) / featureScale[i % 3]);
        }
        assertTrue(moved > 0.5, "moved " + moved);
        Block q1 = read(run(1, "raw1", "data.standardize=false").resolve("particles.parquet"));
        Block q1000 = read(run(1000, "raw1000", "data.standardize=false").resolve("particles.parquet"));
        double differs = 0;
        for (int i = 0; i < q1.x.length; i++) {
            differs = Math.max(differs, Math.abs(q1000.x[i] / 1000.0 - q1.x[i]) / featureScale[i % 3]);
        }
        assertTrue(differs > 1e-2, "unstandardised runs differ by " + differs);
    }

    /** The source file with its data lines sorted by their text, as Spark orders a CSV source's rows in a partition. */
    Path sortedAsText(double factor) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("source-" + factor + ".csv"));
        List<String> rows = new java.util.ArrayList<>(lines.subList(1, lines.size()));
        java.util.Collections.sort(rows);
        rows.add(0, lines.get(0));
        return Files.write(dir.resolve("sorted-source-" + factor + ".csv"), rows);
    }

    /**
     * Why the Spark x1000 check puts an id column first: the same source rows in Spark's text order move the particles
     * by rounding only when the discriminator is smooth (tanh: measured 1.2e-6 of a feature's scale after 20 steps).
     * With ReLU the velocity, the gradient of a piecewise-linear network, is piecewise constant, so a rounding-level
     * difference (another summation order) that leaves a particle on the other side of a kink changes its step by a
     * finite amount: measured 1.3e-3 at the ReLU default (one particle jumps at step 12, five more follow by step 20;
     * not asserted: where a kink falls is luck of the rounding).
     */
    @Test
    void theSourcesRowsInAnotherOrderMoveBySmoothDiscriminatorsRoundingOnly() throws IOException {
        inputs(1, 0);
        String[] tanh = {"discriminator.learning-rate=0.001", "discriminator.activation=tanh"};
        float[][] fileOrder = sortedRows(read(run(1, "tanh-file-order", tanh).resolve("particles.parquet")));
        float[][] textOrder = sortedRows(read(run(dir.resolve("target-1.0.csv"), sortedAsText(1), "tanh-text-order", tanh)
                .resolve("particles.parquet")));
        double[] featureScale = {10, 0.2};
        double worst = 0;
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < 2; j++) {
                worst = Math.max(worst, Math.abs(fileOrder[i][j] - textOrder[i][j]) / featureScale[j]);
            }
        }
        assertTrue(worst < 1e-4, "largest difference / feature scale = " + worst);
        assertTrue(worst > 0, "the order changed no rounding: the check proves nothing");
    }

    @Test
    void standardizeFalseIsTheFlowOnTheRawDataBitForBit() throws IOException {
        inputs(1, 1);
        Block written = read(run(1, "raw", "data.standardize=false").resolve("particles.parquet"));
        Config c = LipflowConfig.load(null, List.of("flow.steps=20"));
        Block target = read(dir.resolve("target-1.0.csv")), source = read(dir.resolve("source-1.0.csv"));
        try (InProcessEngine engine = new InProcessEngine(1)) {
            Block direct = engine.run(FlowProblem.of(LipflowConfig.flowOptions(c), target, source), FlowListener.NONE)
                    .particles().collect();
            assertArrayEquals(direct.x, written.x);
        }
    }

    @Test
    void changingDataStandardizeOnResumeIsRefusedInOneLine() throws IOException {
        inputs(1, 1);
        Path out = run(1, "resumed", "flow.steps=6", "checkpoint.interval=3");
        String[] args = {"run", "--quiet", "--target", dir.resolve("target-1.0.csv").toString(), "--source",
            dir.resolve("source-1.0.csv").toString(), "--out", out.toString(), "--format", "parquet", "--resume",
            "--set", "engine.threads=1", "--set", "output.plots=false", "--set", "output.discriminator=false",
            "--set", "flow.steps=9", "--set", "checkpoint.interval=3", "--set", "data.standardize=false"};
        CliTest.Result r = CliTest.lipflow(args);
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("resume refused: data.standardize was true, is false now"), r.err());
    }

    /** Rows sorted by their first feature (the Spark engine writes its partitions' rows in its own order). */
    static float[][] sortedRows(Block b) {
        float[][] r = new float[b.rows][];
        for (int i = 0; i < b.rows; i++) {
            r[i] = java.util.Arrays.copyOfRange(b.x, i * b.dimension, (i + 1) * b.dimension);
        }
        java.util.Arrays.sort(r, java.util.Comparator.comparingDouble(v -> v[0]));
        return r;
    }

    @Test
    @Tag("spark")
    void onSparkACoPartitionedTargetsStatisticsAreTheSameAndTheMapIsInvertedAndScaleFree() throws IOException {
        SparkTestSession.get("local[2]");
        inputs(1, 1);
        // 1,200 bytes of target over a 1,048-byte broadcast limit: co-partitioned, its statistics from one pass over the shards
        String[] spark = {"engine.type=spark", "engine.partitions=2", "engine.broadcast-limit-mb=0.001"};
        Path still = run(1, "spark-still", concat(spark, "flow.dt=1e-9", "flow.steps=1"));
        Config m = ConfigFactory.parseString(Files.readString(still.resolve("manifest.json")));
        Config local = ConfigFactory.parseString(Files.readString(run(1, "local-stats", "flow.steps=1").resolve("manifest.json")));
        for (String k : List.of("standardization.mean", "standardization.std")) {
            List<Double> a = m.getDoubleList(k), b = local.getDoubleList(k);
            for (int j = 0; j < 3; j++) {
                assertEquals(b.get(j), a.get(j), 1e-12 * Math.abs(b.get(j)), k + " " + j); // merged shard moments: rounding only
            }
        }
        float[][] source = sortedRows(read(dir.resolve("source-1.0.csv"))), moved = sortedRows(read(still.resolve("particles.parquet")));
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(source[i][j], moved[i][j], 1e-5 * Math.max(1, Math.abs(source[i][j])), "row " + i);
            }
        }
        // × 1,000 on one partition (with several, Spark hash-partitions a file's rows by their text, which × 1,000 changes:
        // another flow under parameter averaging, 0.08 of a feature's scale apart after 20 steps with 2 partitions).
        // Spark sorts a CSV source's lines by their text within a partition, so without ids the × 1,000 file's rows
        // come in another order than the × 1 file's; the flow is permutation-equivariant only to float rounding, and the
        // ReLU discriminator's piecewise-constant gradient turns a rounding-level difference into a finite jump of a
        // particle near a kink (up to 1.3e-3 of a feature's scale measured that way, and in-process too when its rows are
        // put in that order: see theSourcesRowsInAnotherOrderMoveBySmoothDiscriminatorsRoundingOnly). An id column first
        // makes the text order the file's at both scales.
        inputs(1, 0, true);
        inputs(1000, 0, true);
        // Adam at 0.001 as in the in-process check: at the default 0.005 its near-sign steps amplify float rounding
        String[] broadcast = {"engine.type=spark", "engine.partitions=1", "discriminator.learning-rate=0.001"};
        float[][] p1 = sortedRows(read(run(1, "spark-x1", broadcast).resolve("particles.parquet")));
        float[][] p1000 = sortedRows(read(run(1000, "spark-x1000", broadcast).resolve("particles.parquet")));
        // the rows in the same order: one partition computes what the in-process engine computes, bit for bit (the
        // statistics, the map of the source, the flow, the map back)
        float[][] local1000 = sortedRows(read(run(1000, "local-x1000", "discriminator.learning-rate=0.001")
                .resolve("particles.parquet")));
        for (int i = 0; i < M; i++) {
            assertArrayEquals(local1000[i], p1000[i], "row " + i + " of the x1000 run, in-process vs Spark");
        }
        double[] featureScale = {10, 0.2};
        double worst = 0;
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < 2; j++) { // c is constant on the target (scale 1): not scale-free, see the in-process test
                worst = Math.max(worst, Math.abs(p1000[i][j] / 1000.0 - p1[i][j]) / featureScale[j]);
            }
        }
        // the in-process bound (measured 1.6e-6 here as in-process; without the ids 1.3e-3, see above)
        assertTrue(worst < 1e-4, "largest difference / feature scale = " + worst);
    }

    static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
