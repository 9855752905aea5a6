package org.lipflow.discriminator;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class AdamTest {

    private static final double LR = 0.005, B1 = 0.9, B2 = 0.999, EPS = 1e-8;

    /** First step from zero moments: m̂ = g, v̂ = g², so θ moves by lr·g/(|g| + ε) ≈ lr·sign(g). */
    @Test
    void firstStepMovesEachParameterByTheLearningRateInTheGradientsDirection() {
        float[] params = {0.25f, -1f, 3f};
        float[] grad = {2f, -0.5f, 1e-3f};
        float[] m = new float[3], v = new float[3];
        double sum = Adam.ascend(params, grad, m, v, 1, LR, B1, B2, EPS);
        float[] before = {0.25f, -1f, 3f};
        double expectedSum = 0;
        for (int i = 0; i < 3; i++) {
            double step = LR * grad[i] / (Math.abs(grad[i]) + EPS);
            assertEquals(before[i] + step, params[i], 1e-6, "parameter " + i); // float state: 1e-7 relative
            assertEquals((1 - B1) * grad[i], m[i], 1e-7 * Math.abs(grad[i]), "m " + i);
            assertEquals((1 - B2) * grad[i] * grad[i], v[i], 1e-6 * grad[i] * grad[i], "v " + i);
            expectedSum += params[i];
        }
        assertEquals(expectedSum, sum, 1e-6, "the returned health aggregate is the parameters' sum");
    }

    /**
     * A parameter whose gradient is exactly zero (a dead ReLU unit) lets m decay by β₁ and v by β₂ per
     * step. Each moment must go straight from a normal float to zero, never through the subnormal
     * range (where x86 arithmetic is ~100× slower), and the parameter must not move measurably.
     */
    @Test
    void momentsOfAZeroGradientDecayToZeroWithoutTurningSubnormal() {
        float[] params = {0.5f, -0.75f};
        float[] m = {1e-3f, -2e-4f}, v = {1e-6f, 4e-8f}; // |m| ≈ √v, as after a run of steady gradients
        float[] grad = new float[2];
        boolean mZero = false, vZero = false;
        for (long t = 2; t <= 100_000; t++) { // v needs ~57,000 steps at β₂ = 0.999
            Adam.ascend(params, grad, m, v, t, LR, B1, B2, EPS);
            for (int i = 0; i < 2; i++) {
                assertTrue(m[i] == 0f || Math.abs(m[i]) >= Float.MIN_NORMAL, "m subnormal at step " + t + ": " + m[i]);
                assertTrue(v[i] == 0f || v[i] >= Float.MIN_NORMAL, "v subnormal at step " + t + ": " + v[i]);
            }
            mZero = m[0] == 0f && m[1] == 0f;
            vZero = v[0] == 0f && v[1] == 0f;
            if (mZero && vZero) {
                break;
            }
        }
        assertTrue(mZero && vZero, "both moments reach exactly zero: m " + m[0] + ", " + m[1] + "; v " + v[0] + ", " + v[1]);
        // m decays faster than √v (β₁ < √β₂), so the pushes sum to a few lr: a geometric series, not a drift
        assertTrue(Math.abs(params[0] - 0.5f) < 20 * LR && Math.abs(params[1] + 0.75f) < 20 * LR,
                "parameters moved " + (params[0] - 0.5f) + ", " + (params[1] + 0.75f));
        float p0 = params[0], p1 = params[1];
        Adam.ascend(params, grad, m, v, 200_000, LR, B1, B2, EPS);
        assertEquals(p0, params[0], 0f, "with flushed moments a zero gradient leaves the parameter exactly in place");
        assertEquals(p1, params[1], 0f);
    }
}
