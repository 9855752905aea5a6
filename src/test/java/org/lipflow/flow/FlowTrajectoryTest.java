package org.lipflow.flow;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lipflow.config.LipflowConfig;
import org.lipflow.data.SyntheticData;
import org.lipflow.discriminator.Activation;
import org.lipflow.discriminator.MlpKernel;
import org.lipflow.discriminator.MlpLayout;
import org.lipflow.util.ChunkPool;
import org.lipflow.util.Rng;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replaying stored velocity fields: the Euler steps, the merged times of a strided trajectory, and
 * every integrator's replay against the kernel's own move with the same fields (the fit's
 * arithmetic), including the re-trained stage fields of heun and rk4 under each-stage.
 */
class FlowTrajectoryTest {
    static final MlpLayout LAYOUT = new MlpLayout(2, new int[]{8, 8}, 1, Activation.RELU);

    static List<float[]> fields(int n) {
        List<float[]> f = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            float[] p = new float[LAYOUT.parameterCount()];
            long s = Rng.stream(j, Rng.INIT);
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) (0.5 * Rng.gaussian(s, i));
            }
            f.add(p);
        }
        return f;
    }

    static Block points(int rows) {
        float[] x = new float[rows * 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Rng.gaussian(Rng.stream(9, Rng.SOURCE), i);
        }
        return new Block(rows, 2, x, null, null);
    }

    @Test
    void strideKeepsEveryNthFieldAndMergesTheTimes() {
        FlowTrajectory t = FlowTrajectory.of(LAYOUT, fields(7), 0.5, 3);
        assertEquals(3, t.fields());
        assertArrayEquals(new int[]{1, 4, 7}, new int[]{t.step(0), t.step(1), t.step(2)});
        assertArrayEquals(new double[]{1.5, 1.5, 0.5}, new double[]{t.time(0), t.time(1), t.time(2)}, 1e-12);
        FlowTrajectory twice = FlowTrajectory.of(LAYOUT, fields(7), 0.5, 1).coarsened(3);
        assertArrayEquals(t.params(1), twice.params(1));
        assertEquals(3.5, total(FlowTrajectory.of(LAYOUT, fields(7), 0.5, 5)), 1e-12, "the total time is kept");
        assertThrows(IllegalArgumentException.class, () -> t.coarsened(0));
    }

    private static double total(FlowTrajectory t) {
        double s = 0;
        for (int j = 0; j < t.fields(); j++) {
            s += t.time(j);
        }
        return s;
    }

    @Test
    void transportIsForwardEulerThroughTheFieldsInOrder() {
        List<float[]> f = fields(4);
        Block b = points(3000); // more than one chunk
        Block expected = b.copy();
        MlpKernel k = new MlpKernel(LAYOUT);
        float[] v = new float[expected.x.length];
        for (float[] theta : f) {
            k.inputGradient(theta, expected.x, null, 0, expected.rows, v, 0, null);
            for (int i = 0; i < v.length; i++) {
                expected.x[i] -= 0.5f * v[i];
            }
        }
        FlowTrajectory.of(LAYOUT, f, 0.5, 1).transport(b);
        assertArrayEquals(expected.x, b.x, 1e-5f);
    }

    @Test
    void aConditionalFlowNeedsLabelsOfItsClasses() {
        MlpLayout two = new MlpLayout(2, new int[]{4}, 2, Activation.RELU);
        List<float[]> f = List.of(new float[two.parameterCount()]);
        FlowTrajectory t = FlowTrajectory.of(two, f, 0.5, 1);
        assertThrows(IllegalArgumentException.class, () -> t.transport(points(3)));
        Block bad = new Block(1, 2, new float[2], new int[]{2}, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.transport(bad));
        assertEquals("label 2 (row 1) is not a class of the flow, which has labels 0..1", e.getMessage());
    }

    /** The options of a flow with {@link #LAYOUT}'s network and {@code integrator}. */
    static FlowOptions options(Integrator integrator) {
        return LipflowConfig.defaultFlowOptions().toBuilder().seed(7).activation(Activation.RELU).hidden(8, 8)
                .integrator(integrator).dt(0.5).build();
    }

    static Block target() {
        return SyntheticData.generate(new SyntheticData.Spec("mixture4", 100, 0, 2, 0, 0.5, 0.5, false));
    }

    /** The fit's arithmetic: FlowKernel.move at step n with θ = fields[n − 1] (never trained: the reuse policy). */
    static float[] kernelMoves(Integrator integrator, List<float[]> fields, Block start) {
        FlowOptions o = options(integrator);
        Block p = ShardFlow.prepare(o, start.copy(), 0, 0);
        DiscriminatorState s = DiscriminatorState.initial(LAYOUT, o);
        try (ChunkPool pool = new ChunkPool(2)) {
            FlowKernel kernel = new FlowKernel(o, LAYOUT, target(), pool);
            for (int n = 1; n <= fields.size(); n++) {
                System.arraycopy(fields.get(n - 1), 0, s.params, 0, s.params.length);
                kernel.move(s, p, n, 0);
            }
        }
        return p.x;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"euler", "heun", "ab2", "ab3", "rk4"})
    void transportReplaysEveryIntegratorAsTheKernelMovedWithTheSameFieldsBitForBit(String name) {
        Integrator integrator = Integrator.parse(name, "reuse");
        List<float[]> f = fields(6);
        Block b = points(3000); // more than one chunk: a multistep method's history is kept per chunk
        float[] expected = kernelMoves(integrator, f, b);
        FlowTrajectory t = FlowTrajectory.of(LAYOUT, integrator, f, null, 0.5, 1);
        assertSame(integrator, t.integrator());
        t.transport(b);
        assertArrayEquals(expected, b.x, 0f, name + ": the replay is the kernel's move");
        if (!name.equals("euler")) { // the test can fail: forward Euler through the same fields lands elsewhere
            Block euler = points(3000);
            FlowTrajectory.of(LAYOUT, f, 0.5, 1).transport(euler);
            double max = 0;
            for (int i = 0; i < expected.length; i++) {
                max = Math.max(max, Math.abs(expected[i] - euler.x[i]));
            }
            assertTrue(max > 1e-3, name + " vs euler: " + max);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"heun", "rk4"})
    void retraceReTrainsTheStagesAsTheKernelsMoveDoesAndItsFieldsReplayTheFit(String name) {
        Integrator integrator = Integrator.parse(name); // each-stage: stage i >= 1 re-trains at its positions
        FlowOptions o = options(integrator);
        Block source = points(300);
        Block fit = source.copy(), traced = source.copy();
        List<float[]> fields = new ArrayList<>();
        List<float[][]> stages = new ArrayList<>();
        try (ChunkPool pool = new ChunkPool(2)) {
            FlowKernel kernel = new FlowKernel(o, LAYOUT, target(), pool), again = new FlowKernel(o, LAYOUT, target(), pool);
            DiscriminatorState theta = DiscriminatorState.initial(LAYOUT, o);
            kernel.train(theta, fit, 1, 0, 0);
            for (int n = 1; n <= 4; n++) {
                fields.add(theta.params.clone());
                DiscriminatorState s = theta.copy();
                int step = n;
                float[][] trained = FlowTrajectory.retrace(LAYOUT, integrator, n, o.flow().dt(), theta.params.clone(), traced,
                        stage -> {
                            again.train(s, traced, step, 0, stage);
                            return s.params.clone();
                        });
                stages.add(trained);
                kernel.move(theta, fit, n, 0); // re-trains theta in place at each stage
                assertEquals(integrator.stages() - 1, trained.length);
                assertArrayEquals(theta.params, trained[trained.length - 1], 0f, "step " + n + ": the last stage's field");
                assertArrayEquals(fit.x, traced.x, 0f, "step " + n + ": the particles");
                assertFalse(java.util.Arrays.equals(fields.get(n - 1), trained[0]), "the stage re-trained");
                kernel.train(theta, fit, n + 1, 0, 0); // the next step's field, warm-started from the stages'
            }
        }
        FlowTrajectory t = FlowTrajectory.of(LAYOUT, integrator, fields, stages, 0.5, 1);
        Block replayed = source.copy();
        t.transport(replayed);
        assertArrayEquals(fit.x, replayed.x, 0f, "the stored fields replay the fit");
        assertThrows(IllegalArgumentException.class, () -> FlowTrajectory.of(LAYOUT, integrator, fields, null, 0.5, 1),
                "without its stage fields");
    }

    @Test
    void aCoarsenedTrajectoryReplaysWithForwardEulerAndAMultistepOneNeedsEveryStep() {
        List<float[]> f = fields(5);
        FlowTrajectory heun = FlowTrajectory.of(LAYOUT, Integrator.parse("heun", "reuse"), f, null, 0.5, 1);
        assertSame(heun, heun.coarsened(1));
        FlowTrajectory coarse = heun.coarsened(2);
        assertEquals("euler", coarse.integrator().name());
        assertEquals(3, coarse.fields());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FlowTrajectory(LAYOUT, Integrator.AB2,
                new int[]{1, 3}, new double[]{1, 1}, new float[][]{f.get(0), f.get(2)}, null));
        assertEquals("trajectory field 1 stands for step 3: a trajectory replayed with flow.integrator = ab2 needs every step's "
                + "field in order (stride 1)", e.getMessage());
    }
}
