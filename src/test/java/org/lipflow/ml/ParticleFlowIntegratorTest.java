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

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ParticleFlow runs every flow.integrator of {@code run}: with the same configuration and seeds
 * (conf/examples/gaussian-mixture.conf, one particle partition) {@code fit} moves the particles as
 * {@code lipflow run} does in process, and refuses what the Spark engine refuses with its message.
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

    @ParameterizedTest
    @ValueSource(strings = {"heun", "ab2"})
    void fitMovesTheParticlesAsRunDoesInProcess(String integrator, @TempDir Path dir) {
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
