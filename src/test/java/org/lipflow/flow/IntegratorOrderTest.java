package org.lipflow.flow;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lipflow.config.LipflowConfig;
import org.lipflow.data.SyntheticData;
import org.lipflow.discriminator.Activation;
import org.lipflow.discriminator.MlpLayout;
import org.lipflow.util.ChunkPool;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Order of accuracy of every integrator on a fixed velocity field. A frozen discriminator (a tanh
 * network with one hidden layer of 32, its seeded initial weights scaled by 3 so that the field
 * bends on the particles' scale, never trained: the reuse policy moves every stage with the step's
 * weights) gives the smooth time-independent field v = −∇φ(Y). Each method carries 64 particles to
 * T = 4 with Δt, Δt/2 and Δt/4; the reference is RK4 with Δt/16. The RMS error must shrink by 2^p
 * per halving, within [0.8·2^p, 1.25·2^p].
 *
 * <p>Δt is per method: as large as keeps the method in its asymptotic range, and large enough that
 * the smallest error stays far above float32 round-off (≈ 1e-6 here, which is why RK4 runs at
 * Δt = 1: its error at 1/4 is 1.2e-5). Measured ratios: euler 2.03/2.01, heun 3.90/3.94, ab2
 * 3.65/3.84, ab3 8.17/8.27, rk4 15.1/14.7. A wrong coefficient leaves the band: a wrong b in RK4
 * drops it to order ≤ 2 (asserted below), a wrong β in AB3 to order ≤ 2, b = (1, 0) makes Heun
 * Euler (ratio 2), and an AB3 started with an Euler step would be order 2.
 */
class IntegratorOrderTest {
    static final double T = 4;
    static final float SCALE = 3;
    static final Map<Double, float[]> REFERENCE = new HashMap<>();

    static FlowOptions options(Integrator integrator, double dt) {
        return LipflowConfig.defaultFlowOptions().toBuilder().seed(7).activation(Activation.TANH).hidden(32)
                .integrator(integrator.withRetrain(Integrator.Retrain.REUSE)).dt(dt).build();
    }

    /** The particles after T/dt steps of {@code integrator} through the frozen field. */
    static float[] integrate(Integrator integrator, double dt) {
        FlowOptions o = options(integrator, dt);
        Block target = SyntheticData.generate(new SyntheticData.Spec("gaussian", 16, 0, 2, 0, 1, 1, false));
        Block source = SyntheticData.generate(new SyntheticData.Spec("gaussian", 64, 3, 2, 0, 1, 1, false));
        Block p = ShardFlow.prepare(o, new Block(source.rows, 2, source.x.clone(), null, null), 0, 0);
        MlpLayout layout = o.layout(2, 1);
        DiscriminatorState s = DiscriminatorState.initial(layout, o);
        for (int i = 0; i < s.params.length; i++) {
            s.params[i] *= SCALE;
        }
        float[] frozen = s.params.clone();
        try (ChunkPool pool = new ChunkPool(1)) {
            FlowKernel kernel = new FlowKernel(o, layout, target, pool);
            int steps = (int) Math.round(T / dt);
            for (int n = 1; n <= steps; n++) {
                kernel.move(s, p, n, 0);
            }
        }
        assertArrayEquals(frozen, s.params, "the reuse policy never trains: the field stays fixed");
        return p.x;
    }

    static double rms(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - (double) b[i]) * (a[i] - (double) b[i]);
        }
        return Math.sqrt(s / (a.length / 2));
    }

    /** e(Δt)/e(Δt/2) and e(Δt/2)/e(Δt/4) against RK4 with Δt/16. */
    static double[] ratios(Integrator integrator, double dt) {
        float[] reference = REFERENCE.computeIfAbsent(dt, h -> integrate(Integrator.RK4, h / 16));
        double[] e = new double[3];
        for (int i = 0; i < 3; i++) {
            e[i] = rms(integrate(integrator, dt / (1 << i)), reference);
        }
        return new double[]{e[0] / e[1], e[1] / e[2], e[0], e[1], e[2]};
    }

    @ParameterizedTest(name = "{0}: order {1} at dt = {2}")
    @CsvSource({"euler, 1, 0.25", "heun, 2, 0.25", "ab2, 2, 0.25", "ab3, 3, 0.25", "rk4, 4, 1.0"})
    void theErrorShrinksByTwoToTheOrderWhenTheStepHalves(String name, int order, double dt) {
        double[] r = ratios(Integrator.parse(name), dt);
        double expected = 1 << order;
        for (int i = 0; i < 2; i++) {
            assertTrue(r[i] > 0.8 * expected && r[i] < 1.25 * expected, String.format(
                    "%s: errors %.3e, %.3e, %.3e at dt/1, /2, /4: ratio %.3f outside [%.2f, %.2f]", name, r[2], r[3], r[4], r[i],
                    0.8 * expected, 1.25 * expected));
        }
    }

    /** The test can fail: RK4 with b = (1/6, 1/6, 1/2, 1/6) (still consistent) is no longer fourth order. */
    @Test
    void aWrongWeightInRk4DropsItBelowTheFourthOrderBand() {
        Integrator.Table wrong = new Integrator.Table(new double[][]{{}, {0.5}, {0, 0.5}, {0, 0, 1}},
                new double[]{1 / 6.0, 1 / 6.0, 1 / 2.0, 1 / 6.0}, new double[0]);
        double[] r = ratios(Integrator.of("rk4-wrong-b", 4, Integrator.Retrain.REUSE, wrong), 1.0);
        assertTrue(r[0] < 0.8 * 16 && r[1] < 0.8 * 16, String.format("ratios %.3f, %.3f", r[0], r[1]));
    }
}
