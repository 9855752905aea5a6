package org.lipflow.ml;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.data.SyntheticData;
import org.lipflow.engine.spark.SparkTestSession;
import org.lipflow.flow.Block;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spark ML persistence of the lipflow stages: models saved by format version 1 (kept under
 * src/test/resources/ml) still load and replay the same points, with forward Euler whatever
 * integrator they were fitted with; a model whose replay needs its integrator is format 2; a newer
 * format, another class, a bad stored integrator or a directory without metadata/ is refused in one line.
 */
@Tag("spark")
class ParticleFlowPersistenceTest {
    static final Path FIXTURES = Path.of("src/test/resources/ml");
    static final Path MODEL_V1 = FIXTURES.resolve("particle-flow-model-v1");
    static final Path ESTIMATOR_V1 = FIXTURES.resolve("particle-flow-v1");
    /** sample(5, 3) of the v1 model when it was written: id, x1, x2. */
    static final Path SAMPLE_V1 = FIXTURES.resolve("particle-flow-model-v1-sample.csv");

    /** The small flow the fixtures hold: the mixture, 20 steps, a narrow discriminator. */
    static ParticleFlow small() {
        // Adam at 0.001: the fixtures were written when that was the default (Spark ML stores defaults with a stage)
        return new ParticleFlow().setSourceN(50).setConfig("source.std", 0.5).setFlowSteps(20)
                .setConfig("discriminator.learning-rate", 0.001)
                .setConfig("discriminator.hidden", List.of(8, 8)).setConfig("engine.partitions", 2).setTrajectoryStride(2);
    }

    static float[] sampleValues(ParticleFlowModel m) {
        Block b = ParticleFlowModel.block(m.sample(5, 3).orderBy("id"), "features");
        return b.x;
    }

    @Test
    @EnabledIfSystemProperty(named = "lipflow.writeMlFixtures", matches = "true")
    void writeTheFixtures() throws IOException {
        SparkSession spark = SparkTestSession.get("local[2]");
        ParticleFlow flow = small();
        ParticleFlowModel model = flow.fit(MlFrames.vectors(spark, SyntheticData.generate(ParticleFlowTest.TARGET)));
        model.write().overwrite().save(MODEL_V1.toString());
        flow.write().overwrite().save(ESTIMATOR_V1.toString());
        float[] x = sampleValues(model);
        List<String> lines = new ArrayList<>(List.of("id,x1,x2"));
        for (int i = 0; i < 5; i++) {
            lines.add(i + "," + x[2 * i] + "," + x[2 * i + 1]);
        }
        Files.write(SAMPLE_V1, lines);
        removeChecksums(FIXTURES);
    }

    /** Hadoop's .crc files are not needed to read the fixtures. */
    private static void removeChecksums(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".crc")).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void aModelSavedByFormatVersion1LoadsAndReplaysTheSamePoints() throws IOException {
        SparkTestSession.get("local[2]");
        ParticleFlowModel m = ParticleFlowModel.load(MODEL_V1.toString());
        assertEquals(2, m.dimension());
        assertNull(m.standardization(), "saved before data.standardize: it runs in data units");
        assertEquals(10, m.trajectory().fields(), "20 steps at stride 2");
        assertEquals(1.0, m.trajectory().time(0), 1e-12, "each kept field replays for dt * stride");
        assertEquals(20, m.getOrDefault(m.getParam("flowSteps")));
        assertEquals(50, m.particles().count());
        assertEquals(20, m.metrics().count());
        assertArrayEquals(savedSample(), sampleValues(m), 1e-4f, "sample(5, 3) as when the model was saved");
        Dataset<Row> moved = m.transform(m.particles().select("features"));
        assertEquals(50, moved.count());
    }

    /** The fixture's expected sample(5, 3). */
    static float[] savedSample() throws IOException {
        List<String> lines = Files.readAllLines(SAMPLE_V1, StandardCharsets.UTF_8);
        float[] expected = new float[10];
        for (int i = 0; i < 5; i++) {
            String[] f = lines.get(i + 1).split(",");
            expected[2 * i] = Float.parseFloat(f[1]);
            expected[2 * i + 1] = Float.parseFloat(f[2]);
        }
        return expected;
    }

    static Path metadataFile(Path model) throws IOException {
        try (Stream<Path> s = Files.list(model.resolve("metadata"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("part-")).findFirst().orElseThrow();
        }
    }

    @Test
    void aFormat1ModelFittedWithHeunStillReplaysWithForwardEulerAsItDid(@TempDir Path dir) throws IOException {
        SparkTestSession.get("local[2]");
        // what lipflow wrote for a heun fit before it stored the integrator: the params say heun, the format is 1
        Path copy = dir.resolve("heun-v1");
        copyTree(MODEL_V1, copy);
        Path meta = metadataFile(copy);
        Files.writeString(meta, Files.readString(meta).replace("\"paramMap\":{", "\"paramMap\":{\"flowIntegrator\":\"heun\","));
        ParticleFlowModel m = ParticleFlowModel.load(copy.toString());
        assertEquals("heun", m.getOrDefault(m.getParam("flowIntegrator")));
        assertEquals("euler", m.trajectory().integrator().name(), "format 1 replays with forward Euler");
        assertArrayEquals(savedSample(), sampleValues(m), 1e-4f, "sample(5, 3) as when the model was saved");
    }

    @Test
    void aModelFittedWithAb2IsFormat2AndABadStoredIntegratorIsRefusedInOneLine(@TempDir Path dir) throws IOException {
        SparkSession spark = SparkTestSession.get("local[2]");
        ParticleFlowModel m = small().setTrajectoryStride(1).setConfig("flow.integrator", "ab2")
                .fit(MlFrames.vectors(spark, SyntheticData.generate(ParticleFlowTest.TARGET)));
        Path path = dir.resolve("ab2");
        m.write().save(path.toString());
        String json = Files.readString(metadataFile(path));
        assertTrue(json.contains("\"lipflowFormatVersion\":2"), json);
        assertTrue(json.contains("\"replay\":{"), json);
        ParticleFlowModel loaded = ParticleFlowModel.load(path.toString());
        assertEquals(m.trajectory().integrator(), loaded.trajectory().integrator());
        assertArrayEquals(sampleValues(m), sampleValues(loaded), 0f, "the same points after loading");
        removeChecksums(path); // edited by hand: Hadoop would refuse the stale .crc
        Files.writeString(metadataFile(path), json.replace("\"integrator\":\"ab2\"", "\"integrator\":\"ab4\""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParticleFlowModel.load(path.toString()));
        assertEquals(path + "/metadata: replay: flow.integrator must be one of euler, forward-euler, heun, ab2, ab3, rk4, got 'ab4'",
                e.getMessage());
    }

    @Test
    void aStandardizedModelKeepsItsStatisticsThroughSaveAndLoadAndWorksInDataUnits(@TempDir Path dir) throws IOException {
        SparkSession spark = SparkTestSession.get("local[2]");
        Block target = SyntheticData.generate(ParticleFlowTest.TARGET);
        ParticleFlowModel m = small().fit(MlFrames.vectors(spark, target));
        org.lipflow.data.FeatureScaling expected = org.lipflow.data.FeatureScaling.fit(target);
        assertArrayEquals(expected.mean(), m.standardization().mean(), 1e-12, "fitted on the target frame (any row order)");
        assertArrayEquals(expected.scale(), m.standardization().scale(), 1e-12);
        m.write().overwrite().save(dir.resolve("m").toString());
        assertTrue(Files.readString(metadataFile(dir.resolve("m"))).contains("\"lipflowFormatVersion\":1"),
                "an euler model stays format 1: older lipflow reads it");
        ParticleFlowModel loaded = ParticleFlowModel.load(dir.resolve("m").toString());
        assertEquals(m.standardization(), loaded.standardization(), "bit for bit");
        assertArrayEquals(sampleValues(m), sampleValues(loaded), 0f, "the same points after loading");
        // particles and samples in data units: the mixture's centre is (2, 2); standardised they would sit around 0
        for (Block b : List.of(ParticleFlowModel.block(m.particles(), "features"), ParticleFlowModel.block(m.sample(200, 1), "features"))) {
            double mx = 0, my = 0;
            for (int i = 0; i < b.rows; i++) {
                mx += b.x[2 * i] / b.rows;
                my += b.x[2 * i + 1] / b.rows;
            }
            assertEquals(2, mx, 0.6);
            assertEquals(2, my, 0.6);
        }
    }

    @Test
    void anEstimatorRoundTripsItsParamsAndTheV1EstimatorLoads(@TempDir Path dir) throws IOException {
        SparkTestSession.get("local[2]");
        ParticleFlow saved = small().setDivergenceLipschitz(2).setLabelCol("y");
        saved.write().save(dir.resolve("est").toString());
        ParticleFlow loaded = ParticleFlow.load(dir.resolve("est").toString());
        assertEquals(saved.uid(), loaded.uid());
        assertEquals(saved.flowOptions(), loaded.flowOptions());
        assertEquals("y", loaded.getOrDefault(loaded.labelCol()));
        assertEquals(2, loaded.getOrDefault(loaded.trajectoryStride()));
        ParticleFlow v1 = ParticleFlow.load(ESTIMATOR_V1.toString());
        assertEquals(small().flowOptions(), v1.flowOptions());
    }

    @Test
    void aNewerFormatAnotherClassOrNoMetadataIsRefusedInOneLine(@TempDir Path dir) throws IOException {
        SparkTestSession.get("local[2]");
        Path copy = dir.resolve("model");
        copyTree(MODEL_V1, copy);
        Path meta;
        try (Stream<Path> s = Files.list(copy.resolve("metadata"))) {
            meta = s.filter(p -> p.getFileName().toString().startsWith("part-")).findFirst().orElseThrow();
        }
        Files.writeString(meta, Files.readString(meta).replace("\"lipflowFormatVersion\":1", "\"lipflowFormatVersion\":99"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParticleFlowModel.load(copy.toString()));
        assertEquals(copy + ": lipflow ML format version 99 is not readable by this lipflow (it reads versions 1..2); "
                + "load it with the lipflow that wrote it or a newer one", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ParticleFlowModel.load(ESTIMATOR_V1.toString()));
        assertEquals(ESTIMATOR_V1 + ": holds a org.lipflow.ml.ParticleFlow, not a org.lipflow.ml.ParticleFlowModel", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ParticleFlowModel.load(dir.resolve("nothing").toString()));
        assertEquals(dir.resolve("nothing") + ": not a saved Spark ML stage (no metadata/ directory)", e.getMessage());
        assertTrue(e.getMessage().lines().count() == 1);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
