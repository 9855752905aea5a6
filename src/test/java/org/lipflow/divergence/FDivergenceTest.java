package org.lipflow.divergence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FDivergenceTest {
    private static final float[] PHI = {0.3f, -1.2f, 2.5f, 0.0f, 1.1f, -0.4f, 0.9f};

    @Test
    void klNuIsLogMeanExpAndStableForLargePhi() {
        KlDivergence kl = new KlDivergence(true);
        double s = 0;
        for (float p : PHI) {
            s += Math.exp(p);
        }
        assertEquals(Math.log(s / PHI.length), kl.optimalNu(PHI, PHI.length), 1e-12);
        float[] big = {1000f, 999f, -1000f};
        double nu = kl.optimalNu(big, 3);
        assertTrue(Double.isFinite(nu));
        assertEquals(1000 + Math.log((1 + Math.exp(-1)) / 3), nu, 1e-9);
        float[] w = new float[3];
        kl.targetWeights(big, 3, nu, w);
        assertEquals(-1.0, w[0] + w[1] + w[2], 1e-6, "softmax weights sum to -1");
    }

    @Test
    void klLegendreFormAtTheExactNuEqualsDonskerVaradhan() {
        KlDivergence dv = new KlDivergence(true), lt = new KlDivergence(false);
        double nu = dv.optimalNu(PHI, PHI.length);
        assertEquals(dv.legendreTerm(PHI, PHI.length, nu), lt.legendreTerm(PHI, PHI.length, nu), 1e-12);
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.2, 1.5, 2.0, 3.0, 5.0, 10.0})
    void alphaNuSolvesTheOptimalityEquation(double alpha) {
        AlphaDivergence f = new AlphaDivergence(alpha);
        for (float[] phi : new float[][]{PHI, {1000f, 999.5f, -1000f, 3f}, {0f, 0f, 0f}}) {
            double nu = f.optimalNu(phi, phi.length);
            double mean = 0;
            for (float p : phi) {
                mean += f.conjugateDerivative(p - nu) / phi.length;
            }
            assertEquals(1.0, mean, 1e-9, "E_Q f*'(phi - nu) = 1 at alpha " + alpha);
            float[] w = new float[phi.length];
            f.targetWeights(phi, phi.length, nu, w);
            double sum = 0;
            for (float x : w) {
                sum += x;
            }
            assertEquals(-1.0, sum, 1e-6, "target weights sum to -1");
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.5, 2.0, 4.0})
    void alphaNuMinimisesTheLegendreTerm(double alpha) {
        AlphaDivergence f = new AlphaDivergence(alpha);
        double nu = f.optimalNu(PHI, PHI.length);
        double best = f.legendreTerm(PHI, PHI.length, nu);
        for (double d : new double[]{-1e-3, 1e-3, -0.1, 0.1, 1}) {
            assertTrue(f.legendreTerm(PHI, PHI.length, nu + d) >= best - 1e-12);
        }
    }

    @Test
    void conjugatesMatchTheirDefinitionAsSupremum() {
        // f*(y) = sup_x (x y - f(x)), checked on a grid for alpha = 3 and KL
        double alpha = 3;
        AlphaDivergence a = new AlphaDivergence(alpha);
        KlDivergence kl = new KlDivergence(true);
        for (double y : new double[]{-1, 0, 0.5, 2}) {
            double supA = Double.NEGATIVE_INFINITY, supK = Double.NEGATIVE_INFINITY;
            for (double x = 0; x < 20; x += 1e-4) {
                supA = Math.max(supA, x * y - (Math.pow(x, alpha) - 1) / (alpha * (alpha - 1)));
                supK = Math.max(supK, x * y - (x == 0 ? 1 : x * Math.log(x) - x + 1));
            }
            assertEquals(supA, a.conjugate(y), 1e-6);
            assertEquals(supK, kl.conjugate(y), 1e-6);
        }
    }

    @Test
    void objectiveOfEqualConstantPhiIsZeroForEveryF() {
        float[] phi = {0.7f, 0.7f, 0.7f};
        for (FDivergence f : new FDivergence[]{new KlDivergence(true), new KlDivergence(false), new AlphaDivergence(2)}) {
            assertEquals(0.0, Objective.evaluate(f, 0.7, phi, 3, null), 1e-7, f.name());
        }
    }

    @Test
    void invalidChoicesAreRejectedWithTheirName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new AlphaDivergence(1.0)).getMessage().contains("alpha must be > 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Divergences.of("js", 2, "dv")).getMessage().contains("divergence.f"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Divergences.of("kl", 2, "xx")).getMessage().contains("formulation"));
    }
}
