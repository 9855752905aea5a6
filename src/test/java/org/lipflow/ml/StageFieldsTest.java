package org.lipflow.ml;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lipflow.config.LipflowConfig;
import org.lipflow.data.SyntheticData;
import org.lipflow.discriminator.Activation;
import org.lipflow.discriminator.MlpLayout;
import org.lipflow.flow.Block;
import org.lipflow.flow.FlowOptions;
import org.lipflow.flow.FlowTrajectory;
import org.lipflow.flow.Integrator;
import org.lipflow.flow.ShardFlow;
import org.lipflow.util.ChunkPool;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The driver's re-trace of a heun or rk4 fit under each-stage re-training: fed the θ_n that the
 * engine reports after each step (the single-shard average, as the Spark engine's driver computes
 * it for one partition), it moves its particles as the engine's step (ShardFlow) does, and the
 * trajectory of θ_n and the re-traced stage fields replays the source to the fitted particles.
 */
class StageFieldsTest {
    static final int STEPS = 6;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"heun", "rk4"})
    void theReTracedStageFieldsReplayTheSourceToTheFittedParticlesBitForBit(String name) {
        FlowOptions o = LipflowConfig.defaultFlowOptions().toBuilder().seed(3).activation(Activation.RELU).hidden(16, 16)
                .integrator(Integrator.parse(name)).steps(STEPS).dt(0.5).build();
        Block target = SyntheticData.generate(new SyntheticData.Spec("mixture4", 150, 0, 2, 0, 0.5, 0.5, false));
        Block source = SyntheticData.generate(new SyntheticData.Spec("gaussian", 120, 100, 2, 0, 0.5, 0.5, false));
        MlpLayout layout = o.layout(2, 1);
        Block shard = source.copy();
        List<float[]> fields = new ArrayList<>();
        try (ChunkPool pool = new ChunkPool(1);
             StageFields stages = new StageFields(o, layout, source, target, 2)) {
            ShardFlow fit = new ShardFlow(o, target, shard, org.lipflow.flow.DiscriminatorState.initial(layout, o), 0, pool);
            for (int n = 0; n <= STEPS; n++) {
                fit.step(n); // moves by step n (n >= 1), trains θ_n+1
                if (n > 0) {
                    assertArrayEquals(shard.x, stages.particles().x, 0f, name + " step " + n + ": the driver's particles");
                }
                if (n < STEPS) { // the engine reports θ_n+1, the field the next step starts with
                    fields.add(fit.averagedState().params.clone());
                    stages.step(n + 1, fit.averagedState());
                }
            }
            assertEquals(STEPS, stages.fields().size());
            assertEquals(Integrator.parse(name).stages() - 1, stages.fields().get(0).length);
            FlowTrajectory t = FlowTrajectory.of(layout, Integrator.parse(name), fields, stages.fields(), 0.5, 1);
            Block replayed = source.copy();
            t.transport(replayed);
            assertArrayEquals(shard.x, replayed.x, 0f, name + ": the replayed source is the fitted particles");
            Block euler = source.copy(); // the test can fail: the fields each step started with, by forward Euler, land elsewhere
            FlowTrajectory.of(layout, fields, 0.5, 1).transport(euler);
            double max = 0;
            for (int i = 0; i < euler.x.length; i++) {
                max = Math.max(max, Math.abs(euler.x[i] - shard.x[i]));
            }
            org.junit.jupiter.api.Assertions.assertTrue(max > 1e-3, "euler replay vs " + name + " fit: " + max);
        }
    }
}
