package org.lipflow.eval;

import org.junit.jupiter.api.Test;
import org.lipflow.flow.Block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quality monitors' distances against a fixed reference, checked against hand computations on
 * tiny samples, and their merge algebra (blocks and block pairs add up to the whole sample).
 */
class ReferenceDistancesTest {
    static final double TOL = 1e-9;

    static Block rows(int d, double... v) {
        float[] x = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            x[i] = (float) v[i];
        }
        return new Block(v.length / d, d, x, null, null);
    }

    /**
     * X = {0, 1, 3} against R = {0.5, 2} in 1-D, V-statistics over all pairs:
     * E|X−R| = (0.5 + 2 + 0.5 + 1 + 2.5 + 1)/6 = 1.25, E|X−X'| = 2·(1 + 3 + 2)/9 = 4/3, E|R−R'| = 2·1.5/4 = 0.75,
     * energy distance = 2·1.25 − 4/3 − 0.75 = 5/12. σ = the median pairwise distance of R = 1.5 (its only pair).
     * Sliced W1 in 1-D: every direction is ±1 and W1 is invariant under x ↦ −x, so it is W1 itself:
     * the quantile functions (0, 1, 3 on thirds; 0.5, 2 on halves) differ by 0.5 on [0, 1/3), 0.5 on [1/3, 1/2),
     * 1 on [1/2, 2/3) and 1 on [2/3, 1): 0.5/3 + 0.5/6 + 1/6 + 1/3 = 0.75.
     */
    @Test
    void threeParticlesAgainstTwoReferenceRowsMatchTheHandComputation() {
        Block x = rows(1, 0, 1, 3), r = rows(1, 0.5, 2);
        ReferenceDistances ref = new ReferenceDistances(r, 7);
        assertEquals(1.5, ref.bandwidth(), TOL, "median heuristic: the median pairwise distance of the reference");
        SampleDistances.Figures f = ref.compare(x);
        assertEquals(5.0 / 12, f.energyDistance(), TOL, "energy distance");
        double g = 1 / (2 * 1.5 * 1.5);
        double[] xs = {0, 1, 3}, rs = {0.5, 2};
        double kxx = 0, krr = 0, kxr = 0;
        for (double a : xs) {
            for (double b : xs) {
                kxx += Math.exp(-g * (a - b) * (a - b));
            }
            for (double b : rs) {
                kxr += Math.exp(-g * (a - b) * (a - b));
            }
        }
        for (double a : rs) {
            for (double b : rs) {
                krr += Math.exp(-g * (a - b) * (a - b));
            }
        }
        assertEquals(kxx / 9 + krr / 4 - 2 * kxr / 6, f.mmd2(), TOL, "MMD² with σ = 1.5");
        assertEquals(0.75, f.slicedW1(), TOL, "sliced W1 = W1 in 1-D");
    }

    /**
     * In 2-D: X = {(0,0), (3,4), (0,4)}, R = {(0,0), (6,8)}: |R1−R2| = 10 = σ; distances X–R: 0, 10, 5, 5, 4, √(36+16);
     * X–X: 5, 4, 3 (each twice). Energy = 2·(24 + √52)/6 − 24/9 − 20/4.
     */
    @Test
    void twoDimensionalEnergyDistanceAndBandwidthMatchTheHandComputation() {
        Block x = rows(2, 0, 0, 3, 4, 0, 4), r = rows(2, 0, 0, 6, 8);
        ReferenceDistances ref = new ReferenceDistances(r, 1);
        assertEquals(10, ref.bandwidth(), TOL);
        double expected = 2 * (24 + Math.sqrt(52)) / 6 - 24.0 / 9 - 20.0 / 4;
        assertEquals(expected, ref.compare(x).energyDistance(), TOL);
    }

    @Test
    void blocksAndBlockPairsAddUpToTheWholeSample() {
        Block x = rows(2, 0, 0, 3, 4, 0, 4, 1, 1, 2, -1), r = rows(2, 0, 0, 6, 8, 1, 2);
        Block a = rows(2, 0, 0, 3, 4), b = rows(2, 0, 4, 1, 1, 2, -1);
        ReferenceDistances ref = new ReferenceDistances(r, 3);
        SampleDistances.Figures whole = ref.compare(x);
        SampleDistances.Figures parts = ref.figures(ref.block(b).merge(ref.pair(a, b)).merge(ref.block(a)));
        assertEquals(whole.energyDistance(), parts.energyDistance(), TOL);
        assertEquals(whole.mmd2(), parts.mmd2(), TOL);
        assertEquals(whole.slicedW1(), parts.slicedW1(), TOL);
        SampleDistances.Figures withEmpty = ref.figures(new ReferenceDistances.Sums().merge(ref.block(x)));
        assertEquals(whole.energyDistance(), withEmpty.energyDistance(), 0, "merging with empty sums changes nothing");
    }

    /** The monitors and the eval command share one implementation: with the same σ they give eval's figures. */
    @Test
    void givenTheSameBandwidthTheFiguresAreTheEvalCommands() {
        Block x = rows(2, 0, 0, 3, 4, 0, 4, 1, 1, 2, -1), r = rows(2, 0, 0, 6, 8, 1, 2, 5, 5);
        ReferenceDistances ref = new ReferenceDistances(r, 11);
        SampleDistances.Figures mine = ref.compare(x), eval = SampleDistances.compare(x, r, ref.bandwidth(), 11);
        assertEquals(eval.energyDistance(), mine.energyDistance(), TOL);
        assertEquals(eval.mmd2(), mine.mmd2(), TOL);
        assertEquals(eval.slicedW1(), mine.slicedW1(), TOL);
        assertTrue(mine.energyDistance() > 0 && mine.mmd2() > 0 && mine.slicedW1() > 0);
    }
}
