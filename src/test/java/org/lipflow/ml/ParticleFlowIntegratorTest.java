package org.lipflow.ml;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lipflow.cli.Main;
import org.lipflow.data.SyntheticData;
import org.lipflow.engine.spark.SparkTestSession;
import org.lipflow.flow.Block;
import org.lipflow.io.ReadOptions;
import org.lipflow.io.Tables;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ParticleFlow runs every flow.integrator of {@code run}: with the same configuration and seeds
 * (conf/examples/gaussian-mixture.conf, one particle partition) {@code fit} moves the particles as
 * {@code lipflow run} does in process, the model's {@code transform} replays the training's source
 * to those particles with the same integrator (also after save and load), and {@code fit} refuses
 * what the Spark engine refuses with its message.
 */
@Tag("spark")
class ParticleFlowIntegratorTest {
    static final int STEPS = 40;
    /** Float rounding between the engines (measured: bit-identical, 0, for heun and ab2 at 40 steps). */
    static final double TOLERANCE = 1e-5;

    /** gaussian-mixture.conf as params: its target is the frame, its source is params (it keeps the default learning rate). */
    static ParticleFlow example(String integrator) {
        return new ParticleFlow().setSourceN(200).setConfig("source.std", 0.5).setConfig("source.seed", 100)
                .setFlowSteps(STEPS).setConfig("flow.integrator", integrator)
                .setConfig("engine.partitions", 1);
    }

    /** {@code lipflow run} on the example in process: its particles in id order. */
    static Block run(Path out, String integrator) {
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "run", "--conf",
                "conf/examples/gaussian-mixture.conf", "--steps", String.valueOf(STEPS), "--engine", "inprocess", "--quiet",
                "--format", "csv", "--out", out.toString(), "--set", "flow.integrator=" + integrator,
                "--set", "output.plots=false", "--set", "checkpoint.interval=0");
        assertEquals(0, code, err.toString());
        return Tables.read(out.resolve("particles.csv").toString(), ReadOptions.defaults()).block();
    }

    /**
     * Float rounding of the replay in data units: the model maps rows to the flow's standardised
     * units and back (data.standardize), the fit's particles were mapped back once.
     */
    static final double REPLAY_TOLERANCE = 1e-5;

    @ParameterizedTest
    @ValueSource(strings = {"heun", "ab2", "ab3", "rk4"})
    void fitMovesTheParticlesAsRunDoesInProcessAndTransformReplaysThem(String integrator, @TempDir Path dir) throws IOException {
        SparkSession spark = SparkTestSession.get("local[2]");
        Block expected = run(dir.resolve("run"), integrator);
        ParticleFlowModel model = example(integrator).fit(MlFrames.vectors(spark, SyntheticData.generate(ParticleFlowTest.TARGET)));
        Block actual = MlFrames.block(model.particles().orderBy("id"), "features");
        assertEquals(expected.rows, actual.rows);
        double max = 0;
        for (int i = 0; i < expected.x.length; i++) {
            max = Math.max(max, Math.abs(expected.x[i] - actual.x[i]));
        }
        System.out.printf("%s: max |fit - run| over %d coordinates = %.3g%n", integrator, expected.x.length, max);
        assertTrue(max <= TOLERANCE, integrator + ": max |fit - run| = " + max);
        assertEquals(integrator, model.getOrDefault(model.getParam("flowIntegrator")), "the model keeps the scheme it was fitted with");
        assertEquals(integrator, model.trajectory().integrator().name(), "and replays with it");

        // the training's own source (standardised units: data.standardize) through transform, in data units
        Block source = model.standardization().invert(
                SyntheticData.generate(new SyntheticData.Spec("gaussian", 200, 100, 2, 0, 0.5, 0.5, false)));
        double replay = maxDifference(actual, MlFrames.block(model.transform(MlFrames.vectors(spark, source)), "transported"));
        String path = dir.resolve("model").toString();
        model.write().save(path);
        ParticleFlowModel loaded = ParticleFlowModel.load(path);
        assertEquals(model.trajectory().integrator(), loaded.trajectory().integrator());
        double reloaded = maxDifference(actual, MlFrames.block(loaded.transform(MlFrames.vectors(spark, source)), "transported"));
        System.out.printf("%s: max |transform(source) - particles| = %.3g, after load %.3g%n", integrator, replay, reloaded);
        assertTrue(replay <= REPLAY_TOLERANCE, integrator + ": max |transform(source) - particles| = " + replay);
        assertTrue(reloaded <= REPLAY_TOLERANCE, integrator + " after load: max |transform(source) - particles| = " + reloaded);
    }

    static double maxDifference(Block a, Block b) {
        assertEquals(a.x.length, b.x.length);
        double max = 0;
        for (int i = 0; i < a.x.length; i++) {
            max = Math.max(max, Math.abs(a.x[i] - b.x[i]));
        }
        return max;
    }

    @Test
    void aRetrainingIntegratorOnSeveralPartitionsIsRefusedWithTheSparkEnginesMessage() {
        SparkSession spark = SparkTestSession.get("local[2]");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> example("heun")
                .setConfig("engine.partitions", 2).fit(MlFrames.vectors(spark, SyntheticData.generate(ParticleFlowTest.TARGET))));
        assertEquals("flow.integrator = heun needs one particle partition on the Spark engine (engine.partitions = 1), got 2: with "
                + "flow.integrator-retrain = each-stage each partition would re-train its stages' discriminator alone and never "
                + "average it; use flow.integrator-retrain = reuse, or flow.integrator = euler, ab2 or ab3", e.getMessage());
    }
}
