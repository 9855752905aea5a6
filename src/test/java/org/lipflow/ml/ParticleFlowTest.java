package org.lipflow.ml;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.data.SyntheticData;
import org.lipflow.engine.spark.SparkTestSession;
import org.lipflow.flow.Block;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mixture example through the Estimator: fit in a test session, save, reload in a new
 * session, then new points from the replayed flow land in the modes as the core's particles do
 * (FlowExamplesTest: 25% ± 7% per mode, under 5% beyond 3σ).
 */
@Tag("spark")
class ParticleFlowTest {
    static final SyntheticData.Spec TARGET = new SyntheticData.Spec("mixture4", 200, 0, 2, 0, 0.5, 0.5, false);

    /** The example's configuration (conf/examples/gaussian-mixture.conf) as params; the rest are the defaults. */
    static ParticleFlow mixture() {
        return new ParticleFlow().setSourceN(200).setConfig("source.std", 0.5).setConfig("source.seed", 100)
                .setFlowSteps(500).setFlowDt(0.5).setDivergenceLipschitz(1.0).setConfig("engine.partitions", 2);
    }

    static void assertLandsInTheModes(Block p, String what) {
        double[] w = MlFrames.modeWeights(p);
        for (int k = 0; k < 4; k++) {
            assertEquals(0.25, w[k], 0.07, what + ": mode " + k + " weight");
        }
        assertTrue(w[4] < 0.05, what + ": " + w[4] + " of the points farther than 3 sigma from every mode");
    }

    @Test
    void fitSaveReloadInANewSessionThenSampledAndTransportedPointsFillTheModes(@TempDir Path dir) throws Exception {
        SparkSession spark = SparkTestSession.get("local[2]");
        ParticleFlowModel model = mixture().fit(MlFrames.vectors(spark, SyntheticData.generate(TARGET)));
        assertFalse(spark.sparkContext().isStopped(), "fit must not stop the caller's session");
        assertEquals(500, model.metrics().count());
        assertEquals(500, model.trajectory().fields());
        assertLandsInTheModes(MlFrames.block(model.particles(), "features"), "trained particles");
        String path = dir.resolve("model").toString();
        model.write().save(path);

        SparkTestSession.stop();
        SparkSession fresh = SparkTestSession.get("local[2]");
        ParticleFlowModel loaded = ParticleFlowModel.load(path);
        assertEquals(500, loaded.trajectory().fields());
        assertEquals(200, loaded.particles().count());
        Dataset<Row> sampled = loaded.sample(1000, 7);
        assertEquals(1000, sampled.count());
        assertLandsInTheModes(MlFrames.block(sampled, "features"), "sample(1000)");

        Block fresh200 = SyntheticData.generate(new SyntheticData.Spec("gaussian", 200, 12345, 2, 0, 0.5, 0.5, false));
        Dataset<Row> moved = loaded.transform(MlFrames.vectors(fresh, fresh200));
        assertEquals(2, moved.columns().length, "features and transported");
        assertLandsInTheModes(MlFrames.block(moved, "transported"), "transform of 200 fresh source rows");
        assertFalse(fresh.sparkContext().isStopped());
    }
}
