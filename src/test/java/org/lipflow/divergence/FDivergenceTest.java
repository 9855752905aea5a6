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
        for (FDivergence f : new FDivergence[]{new KlDivergence(true), new KlDivergence(false), new AlphaDivergence(2),
                new ReverseKlDivergence(), new JensenShannonDivergence(), new HellingerDivergence(), new ChiSquaredDivergence()}) {
            assertEquals(0.0, Objective.evaluate(f, 0.7, phi, 3, null), 1e-7, f.name());
        }
    }

    @Test
    void invalidChoicesAreRejectedWithTheirName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new AlphaDivergence(1.0)).getMessage().contains("alpha must be > 1"));
        String m = assertThrows(IllegalArgumentException.class, () -> Divergences.of("jsd", 2, "dv")).getMessage();
        assertEquals("divergence.f must be one of kl | alpha | reverse-kl | js | hellinger | chi2, got 'jsd'", m);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Divergences.of("kl", 2, "xx")).getMessage().contains("formulation"));
    }

    /** The f of each new divergence on x ≥ 0 (χ²: on the whole line, as its f* assumes). */
    static double f(String name, double x) {
        return switch (name) {
            case "reverse-kl" -> x - 1 - Math.log(x);
            case "js" -> x == 0 ? Math.log(2) : x * Math.log(x) - (x + 1) * Math.log((x + 1) / 2);
            case "hellinger" -> Math.pow(Math.sqrt(x) - 1, 2);
            case "chi2" -> (x - 1) * (x - 1);
            default -> throw new IllegalArgumentException(name);
        };
    }

    static FDivergence[] newDivergences() {
        return new FDivergence[]{new ReverseKlDivergence(), new JensenShannonDivergence(), new HellingerDivergence(),
                new ChiSquaredDivergence()};
    }

    @Test
    void newConjugatesMatchTheSupremumDefinitionAndVanishWithSlopeOneAtZero() {
        for (FDivergence d : newDivergences()) {
            assertEquals(0.0, f(d.name(), 1), 1e-15, d.name() + ": f(1) = 0");
            assertEquals(0.0, d.conjugate(0), 1e-15, d.name() + ": f*(0) = -f(1) = 0");
            assertEquals(1.0, d.conjugateDerivative(0), 1e-15, d.name() + ": f*'(0) = 1 (f'(1) = 0)");
            double lowest = d.name().equals("chi2") ? -30 : 1e-6;
            for (double y : new double[]{-3, -1, -0.2, 0.1, 0.3}) {
                if (d.conjugate(y) == Double.POSITIVE_INFINITY) {
                    continue; // outside the domain: checked below
                }
                double sup = Double.NEGATIVE_INFINITY;
                for (double x = lowest; x < 60; x += 2e-4) {
                    sup = Math.max(sup, x * y - f(d.name(), x));
                }
                assertEquals(sup, d.conjugate(y), 1e-4 * Math.max(1, Math.abs(sup)), d.name() + " f*(" + y + ")");
                double h = 1e-6;
                assertEquals((d.conjugate(y + h) - d.conjugate(y - h)) / (2 * h), d.conjugateDerivative(y), 1e-5,
                        d.name() + " f*'(" + y + ")");
            }
        }
        assertEquals(Double.POSITIVE_INFINITY, new ReverseKlDivergence().conjugate(1));
        assertEquals(Double.POSITIVE_INFINITY, new JensenShannonDivergence().conjugate(Math.log(2)));
        assertEquals(Double.POSITIVE_INFINITY, new HellingerDivergence().conjugate(1));
    }

    @Test
    void newNuSolvesTheOptimalityEquationWithEveryArgumentInsideTheDomain() {
        float[][] cases = {PHI, {1000f, 999.5f, -1000f, 3f}, {0f, 0f, 0f}, {5f}, {40f, -40f, -40f, -40f, -40f, -40f}};
        for (FDivergence d : newDivergences()) {
            for (float[] phi : cases) {
                double nu = d.optimalNu(phi, phi.length);
                double mean = 0;
                for (float p : phi) {
                    assertTrue(Double.isFinite(d.conjugate(p - nu)), d.name() + ": f*(phi - nu) finite");
                    mean += d.conjugateDerivative(p - nu) / phi.length;
                }
                assertEquals(1.0, mean, 1e-9, d.name() + ": E_Q f*'(phi - nu) = 1");
                float[] w = new float[phi.length];
                d.targetWeights(phi, phi.length, nu, w);
                double sum = 0;
                for (float x : w) {
                    sum += x;
                }
                assertEquals(-1.0, sum, 1e-6, d.name() + ": target weights sum to -1");
                double best = d.legendreTerm(phi, phi.length, nu);
                for (double step : new double[]{-1e-3, 1e-3, -0.1, 0.1, 1}) {
                    assertTrue(d.legendreTerm(phi, phi.length, nu + step) >= best - 1e-9,
                            d.name() + ": nu* minimises nu + E_Q f*(phi - nu)");
                }
            }
        }
    }

    @Test
    void chiSquaredIsTheMeanGapMinusAQuarterOfTheVariance() {
        double mean = 0, sq = 0;
        for (float p : PHI) {
            mean += p / (double) PHI.length;
        }
        for (float p : PHI) {
            sq += (p - mean) * (p - mean) / PHI.length;
        }
        ChiSquaredDivergence c = new ChiSquaredDivergence();
        assertEquals(mean, c.optimalNu(PHI, PHI.length), 1e-12);
        assertEquals(0.9 - mean - sq / 4, Objective.evaluate(c, 0.9, PHI, PHI.length, null), 1e-12);
    }
}
