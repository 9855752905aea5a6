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
        Block trained = MlFrames.block(model.particles().orderBy("id"), "features");
        assertLandsInTheModes(trained, "trained particles");
        // the training's own source replayed through every step's field: the trained particles again (the source is drawn
        // in standardised units, data.standardize; transform takes data units, so it is mapped to them first)
        Block source = model.standardization().invert(
                SyntheticData.generate(new SyntheticData.Spec("gaussian", 200, 100, 2, 0, 0.5, 0.5, false)));
        Block replayed = MlFrames.block(model.transform(MlFrames.vectors(spark, source)), "transported");
        for (int i = 0; i < trained.x.length; i++) {
            assertEquals(trained.x[i], replayed.x[i], 1e-4, "replayed source row " + i / 2);
        }
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

        Block fresh200 = loaded.standardization().invert( // fresh draws of the training's source, in data units
                SyntheticData.generate(new SyntheticData.Spec("gaussian", 200, 12345, 2, 0, 0.5, 0.5, false)));
        Dataset<Row> moved = loaded.transform(MlFrames.vectors(fresh, fresh200));
        assertEquals(2, moved.columns().length, "features and transported");
        assertLandsInTheModes(MlFrames.block(moved, "transported"), "transform of 200 fresh source rows");
        assertFalse(fresh.sparkContext().isStopped());
    }

    @Test
    void aConditionalFlowSamplesLabelledPointsAndTransformNeedsTheLabelColumn() {
        SparkSession spark = SparkTestSession.get("local[2]");
        Block target = SyntheticData.generate(new SyntheticData.Spec("mixture4", 200, 0, 2, 0, 0.5, 0.5, true));
        ParticleFlowModel model = new ParticleFlow().setLabelCol("label").setSourceN(100).setFlowSteps(30)
                .setConfig("discriminator.hidden", java.util.List.of(8, 8)).setConfig("engine.partitions", 2)
                .fit(MlFrames.labelled(spark, target));
        assertTrue(model.conditional());
        assertEquals(4, model.classCounts().length);
        Block sampled = ParticleFlowModel.block(model.sample(400, 3), "features");
        int[] perClass = new int[4];
        for (int l : sampled.labels) {
            perClass[l]++;
        }
        for (int k = 0; k < 4; k++) {
            assertEquals(100, perClass[k], 35, "class " + k + " of 400 samples drawn from the target's equal class weights");
        }
        Dataset<Row> rows = MlFrames.labelled(spark, target);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> model.copy(org.apache.spark.ml.param.ParamMap.empty()).setLabelCol("").transform(rows));
        assertEquals("the flow is conditional (4 classes): set labelCol to the frame's label column", e.getMessage());
        assertEquals(200, model.transform(rows).count());
    }
}
