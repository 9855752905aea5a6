package org.lipflow.flow;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lipflow.config.LipflowConfig;
import org.lipflow.data.SyntheticData;
import org.lipflow.discriminator.MlpKernel;
import org.lipflow.discriminator.MlpLayout;
import org.lipflow.discriminator.SpectralNormTest;
import org.lipflow.divergence.Family;
import org.lipflow.divergence.Formulation;
import org.lipflow.util.Rng;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The (f, Γ_L)-divergence against closed forms, on P = N(1, 1) and Q = N(0, 1) in 1-D with 5000
 * samples each: KL(P‖Q) = (μ₁ − μ₂)²/2 = 0.5 and W1(P, Q) = |μ₁ − μ₂| = 1.
 */
class DivergenceEstimatorTest {
    static final double KL = 0.5, W1 = 1.0;
    static Block p, q;

    @BeforeAll
    static void samples() {
        p = SyntheticData.generate(new SyntheticData.Spec("gaussian", 5000, 1, 1, 1.0, 1, 1, false));
        q = SyntheticData.generate(new SyntheticData.Spec("gaussian", 5000, 2, 1, 0.0, 1, 1, false));
    }

    static FlowOptions options(String f, double lipschitz, int steps, double lr) {
        return LipflowConfig.defaultFlowOptions().toBuilder().seed(0).steps(1).dt(1).f(Family.parse(f)).alpha(2)
                .formulation(f.equals("kl") ? Formulation.DV : Formulation.LT).lipschitz(lipschitz).learningRate(lr)
                .discriminatorSteps(steps).batchSize(0).build();
    }

    static double estimate(double lipschitz) {
        return DivergenceEstimator.estimate(options("kl", lipschitz, 800, 0.005), p, q, 2).divergence();
    }

    @Test
    void divergenceOfASampleWithItselfIsZero() {
        for (String f : new String[]{"kl", "alpha"}) {
            double d = DivergenceEstimator.estimate(options(f, 1, 300, 0.005), q, q, 2).divergence();
            assertEquals(0.0, d, 1e-4, f + ": H = E_Q φ - inf_ν(...) <= 0 with equality at constant φ");
        }
    }

    @Test
    void growsTowardTheClosedFormKlAsLGrowsAndStaysBelowBothBounds() {
        double[] ls = {0.1, 0.5, 50};
        double previous = 0;
        for (double l : ls) {
            double d = estimate(l);
            assertTrue(d >= previous - 0.01, "D grows with L: " + d + " after " + previous);
            assertTrue(d <= Math.min(KL, l * W1) + 0.02, "D <= min(KL, L W1) + 0.02 at L = " + l + ": " + d);
            previous = d;
        }
        assertEquals(KL, previous, 0.1 * KL, "within 10% of KL at L = 50");
    }

    @Test
    void divergenceOverLApproachesW1AsLVanishes() {
        double l = 0.01;
        double d = estimate(l);
        assertEquals(W1, d / l, 0.1 * W1, "D/L -> W1 at L = 0.01");
        assertTrue(d <= l * W1 * 1.02, "D <= L W1");
    }

    @Test
    void trainedDiscriminatorIsLLipschitzEmpiricallyAndByItsLayerNorms() {
        double lipschitz = 2.0;
        Block q2 = SyntheticData.generate(new SyntheticData.Spec("mixture4", 2000, 3, 2, 0, 0.5, 1, false));
        Block p2 = SyntheticData.generate(new SyntheticData.Spec("gaussian", 2000, 4, 2, 2.0, 0.5, 1, false));
        DiscriminatorState s = DivergenceEstimator.estimate(options("kl", lipschitz, 500, 0.01), p2, q2, 2).discriminator();
        MlpLayout layout = s.layout;
        double product = 1;
        for (int l = 0; l < layout.layers(); l++) {
            product *= SpectralNormTest.exactSpectralNorm(s.params, layout.weightOffset(l), layout.in(l), layout.out(l));
        }
        assertTrue(product <= lipschitz * (1 + 1e-5), "product of exact layer norms " + product + " <= L");
        assertTrue(product > 0.5 * lipschitz, "the constraint is active, not trivially satisfied: " + product);
        int n = 10_000;
        float[] x = new float[2 * n];
        long st = Rng.stream(9, Rng.PROBE);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (2 + 4 * Rng.gaussian(st, i));
        }
        float[] grad = new float[2 * n];
        new MlpKernel(layout).inputGradient(s.params, x, null, 0, n, grad, 0, null);
        double max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, Math.hypot(grad[2 * i], grad[2 * i + 1]));
        }
        assertTrue(max <= lipschitz * (1 + 1e-3), "max |grad phi| " + max + " <= L (1 + 1e-3)");
        assertTrue(max > 0.1 * lipschitz, "the discriminator is not flat: " + max);
    }
}
