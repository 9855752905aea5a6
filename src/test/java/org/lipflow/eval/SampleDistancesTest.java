package org.lipflow.eval;

import org.junit.jupiter.api.Test;
import org.lipflow.flow.Block;
import org.lipflow.util.Rng;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sample distances against closed forms (fixed seeds, two-sided bounds). */
class SampleDistancesTest {

    /** n rows of N(mean, I_d) from a counter-based stream. */
    static Block gaussian(int n, int d, double mean, long seed) {
        long stream = Rng.stream(seed, 99);
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (mean + Rng.gaussian(stream, i));
        }
        return new Block(n, d, x, null, null);
    }

    @Test
    void identicalSamplesAreAtDistanceZero() {
        Block x = gaussian(300, 5, 0, 1);
        SampleDistances.Figures f = SampleDistances.compare(x, x.copy(), 7);
        assertEquals(0, f.energyDistance(), 1e-9);
        assertEquals(0, f.mmd2(), 1e-12);
        assertEquals(0, f.slicedW1(), 1e-12);
        assertTrue(f.bandwidth() > 2.5 && f.bandwidth() < 3.7, "median distance of 5-D normals ~ sqrt(2*5) ~ 3.1: " + f.bandwidth());
    }

    @Test
    void w1OfEmpiricalDistributionsOfDifferentSizes() {
        // quantile functions differ by 1 on [1/3, 2/3): W1 = 1/3
        assertEquals(1 / 3.0, SampleDistances.w1(new double[]{2, 0, 1}, new double[]{2, 0}), 1e-15);
        assertEquals(0.5, SampleDistances.w1(new double[]{0, 1}, new double[]{0.5}), 1e-15);
    }

    /**
     * X ~ N(0, 1), Y ~ N(Δ, 1), n = m = 4000. W1 = |Δ|; energy distance
     * 2E|N(Δ, 2)| − 2E|N(0, 2)| with E|N(μ, s²)| = s√(2/π)e^(−μ²/2s²) + μ(1 − 2Φ(−μ/s)):
     * 0.541807 (Δ = 1) and 1.944260 (Δ = 2); MMD² for bandwidth σ: 2σ/√(σ²+2)·(1 − e^(−Δ²/(2(σ²+2)))).
     * Tolerances: 3 standard errors of the shift's estimate (√(2/n) = 0.022) times the figure's
     * slope in Δ (W1: 1; energy: 2(1 − 2Φ(−Δ/√2)) = 1.04 and 1.69), plus 0.01 for the rest.
     */
    @Test
    void twoShiftedGaussiansMatchTheClosedForms() {
        double se = Math.sqrt(2 / 4000.0);
        double[][] cases = {{1, 0.541807, 1.04}, {2, 1.944260, 1.69}};
        for (double[] c : cases) {
            double delta = c[0];
            SampleDistances.Figures f = SampleDistances.compare(gaussian(4000, 1, 0, 3), gaussian(4000, 1, delta, 4), 11);
            assertEquals(delta, f.slicedW1(), 3 * se + 0.01, "sliced W1, delta " + delta);
            assertEquals(c[1], f.energyDistance(), 3 * se * c[2] + 0.01, "energy distance, delta " + delta);
            double s = f.bandwidth();
            double mmd2 = 2 * s / Math.sqrt(s * s + 2) * (1 - Math.exp(-delta * delta / (2 * (s * s + 2))));
            assertEquals(mmd2, f.mmd2(), 0.02, "MMD^2, delta " + delta + ", sigma " + s);
        }
    }

    @Test
    void theNearestNeighbourRatioIsAboutOneForFreshSamplesAndZeroForCopies() {
        Block train = gaussian(500, 5, 0, 21), reference = gaussian(500, 5, 0, 22), fresh = gaussian(500, 5, 0, 23);
        double ref = SampleDistances.medianNearestNeighbour(reference, train);
        double ratio = SampleDistances.medianNearestNeighbour(fresh, train) / ref;
        assertTrue(ratio > 0.85 && ratio < 1.18, "independent samples: " + ratio);
        assertTrue(SampleDistances.medianNearestNeighbour(train.copy(), train) / ref < 1e-6, "copies of the training set");
    }

    @Test
    void aSubsampleIsDeterministicAndKeepsOrder() {
        Block b = gaussian(100, 1, 0, 5);
        Block s = SampleDistances.subsample(b, 10, 42);
        assertEquals(10, s.rows);
        assertEquals(java.util.Arrays.toString(s.x), java.util.Arrays.toString(SampleDistances.subsample(b, 10, 42).x));
        assertEquals(b, SampleDistances.subsample(b, 100, 42));
    }
}
