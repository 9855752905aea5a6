package org.lipflow.ml;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.engine.spark.SparkTestSession;
import org.lipflow.flow.Block;
import org.lipflow.util.Rng;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The latent stage as an Estimator: PCA of rank-2 data in 4-D encodes to 2 codes and decodes back exactly; save and load. */
@Tag("spark")
class LatentEncoderTest {

    /** 300 rows (a, b, a + b, a − b): rank 2, so two components reconstruct them. */
    static Block rankTwo() {
        int n = 300;
        float[] x = new float[n * 4];
        long s = Rng.stream(5, Rng.DATASET);
        for (int i = 0; i < n; i++) {
            float a = (float) (3 * Rng.gaussian(s, 2L * i)), b = (float) Rng.gaussian(s, 2L * i + 1);
            x[4 * i] = a;
            x[4 * i + 1] = b;
            x[4 * i + 2] = a + b;
            x[4 * i + 3] = a - b;
        }
        return new Block(n, 4, x, null, null);
    }

    @Test
    void pcaEncodesToTheLatentDimensionDecodesBackAndSurvivesSaveAndLoad(@TempDir Path dir) throws Exception {
        SparkSession spark = SparkTestSession.get("local[2]");
        Block data = rankTwo();
        Dataset<Row> df = MlFrames.vectors(spark, data);
        LatentEncoderModel m = new LatentEncoder().setConfig("latent.type", "pca").setConfig("latent.dimension", 2).fit(df);
        Dataset<Row> coded = m.transform(df);
        Block codes = ParticleFlowModel.block(coded, "latent");
        assertEquals(2, codes.dimension);
        assertEquals(300, codes.rows);
        double var = 0;
        for (int i = 0; i < codes.rows; i++) {
            var += codes.x[2 * i] * codes.x[2 * i] / codes.rows;
        }
        assertEquals(1.0, var, 0.05, "codes are standardised");
        Block decoded = ParticleFlowModel.block(m.decode(coded, "latent", "decoded"), "decoded");
        assertArrayEquals(data.x, decoded.x, 1e-3f, "rank-2 data decode exactly from 2 components");

        String path = dir.resolve("encoder").toString();
        m.write().save(path);
        LatentEncoderModel loaded = LatentEncoderModel.load(path);
        assertEquals("pca", loaded.latentModel().descriptor().type());
        assertArrayEquals(codes.x, ParticleFlowModel.block(loaded.transform(df), "latent").x, 1e-6f);
        new LatentEncoder().setConfig("latent.dimension", 3).write().save(dir.resolve("estimator").toString());
        assertEquals(3, LatentEncoder.load(dir.resolve("estimator").toString()).getOrDefault(
                LatentEncoder.load(dir.resolve("estimator").toString()).getParam("latentDimension")));
    }

    @Test
    void latentParamsComeFromTheLatentKeysAndTheirErrorsNameThem() {
        LatentEncoder e = new LatentEncoder();
        assertEquals(16, e.getOrDefault(e.getParam("latentDimension")));
        assertEquals("dense", e.getOrDefault(e.getParam("latentType")));
        assertArrayEquals(new int[]{256, 64}, (int[]) e.getOrDefault(e.getParam("latentHidden")));
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> e.setConfig("latent.dimension", 0));
        assertEquals("param latentDimension (config key latent.dimension) given invalid value 0: latent.dimension must be >= 1, "
                + "got 0", x.getMessage());
        x = assertThrows(IllegalArgumentException.class, () -> e.setParam("latentType", "vae"));
        assertTrue(x.getMessage().startsWith("param latentType (config key latent.type) given invalid value 'vae'"), x.getMessage());
        assertThrows(java.util.NoSuchElementException.class, () -> e.getParam("latentModel"), "latent.model is the run's, not a param");
    }

    static final Path FIXTURE_V1 = Path.of("src/test/resources/ml/latent-encoder-model-v1");
    /** The v1 fixture's codes of the first three rows of {@link #rankTwo()} when it was written. */
    static final Path CODES_V1 = Path.of("src/test/resources/ml/latent-encoder-model-v1-codes.csv");

    @Test
    @EnabledIfSystemProperty(named = "lipflow.writeMlFixtures", matches = "true")
    void writeTheFixture() throws Exception {
        SparkSession spark = SparkTestSession.get("local[2]");
        Dataset<Row> df = MlFrames.vectors(spark, rankTwo());
        LatentEncoderModel m = new LatentEncoder().setConfig("latent.type", "pca").setConfig("latent.dimension", 2).fit(df);
        m.write().overwrite().save(FIXTURE_V1.toString());
        Block codes = ParticleFlowModel.block(m.transform(df), "latent");
        List<String> lines = new ArrayList<>(List.of("z1,z2"));
        for (int i = 0; i < 3; i++) {
            lines.add(codes.x[2 * i] + "," + codes.x[2 * i + 1]);
        }
        Files.write(CODES_V1, lines);
        try (var s = Files.walk(FIXTURE_V1)) {
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".crc")).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void aLatentEncoderModelSavedByFormatVersion1LoadsAndEncodesAsBefore() throws Exception {
        SparkSession spark = SparkTestSession.get("local[2]");
        LatentEncoderModel m = LatentEncoderModel.load(FIXTURE_V1.toString());
        Block codes = ParticleFlowModel.block(m.transform(MlFrames.vectors(spark, rankTwo())), "latent");
        List<String> lines = Files.readAllLines(CODES_V1);
        for (int i = 0; i < 3; i++) {
            String[] f = lines.get(i + 1).split(",");
            assertEquals(Float.parseFloat(f[0]), codes.x[2 * i], 1e-5, "row " + i + " z1");
            assertEquals(Float.parseFloat(f[1]), codes.x[2 * i + 1], 1e-5, "row " + i + " z2");
        }
    }
}
