package org.lipflow.data;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.lipflow.flow.Block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticDataTest {

    private static Block gaussian(int n, int d) {
        return SyntheticData.generate(new SyntheticData.Spec("gaussian", n, 3, d, 0, 1, 1, false));
    }

    /**
     * Rows of a wide Gaussian share no shifted runs of values: with counters i·64 + k, row i's
     * coordinate k + 64 equalled row i+1's coordinate k for every k < d − 64.
     */
    @ParameterizedTest
    @ValueSource(ints = {100, 784})
    void rowsOfWideGaussiansDoNotRepeatEachOther(int d) {
        Block b = gaussian(40, d);
        int worst = 0;
        for (int i = 0; i + 1 < b.rows; i++) {
            for (int shift = 1; shift < d; shift++) {
                int equal = 0;
                for (int k = 0; k + shift < d; k++) {
                    if (b.x[i * d + k + shift] == b.x[(i + 1) * d + k]) {
                        equal++;
                    }
                }
                worst = Math.max(worst, equal);
            }
        }
        // independent float draws coincide with probability ~1e-8 per pair: at most one accident
        assertTrue(worst <= 1, "row i+1 repeats " + worst + " values of row i (d = " + d + ")");
    }

    /** Consecutive rows are uncorrelated, coordinates standard normal: sample statistics within 5 standard errors. */
    @ParameterizedTest
    @ValueSource(ints = {100, 784})
    void wideGaussianRowsAreIndependentStandardNormals(int d) {
        int n = 400;
        Block b = gaussian(n, d);
        double sum = 0, sumSq = 0, lag = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                double v = b.x[i * d + k];
                sum += v;
                sumSq += v * v;
                if (i + 1 < n) {
                    lag += v * b.x[(i + 1) * d + k]; // same coordinate, next row
                }
            }
        }
        double count = (double) n * d;
        double mean = sum / count, var = sumSq / count - mean * mean, lagCorr = lag / ((n - 1.0) * d);
        assertEquals(0, mean, 5 / Math.sqrt(count));
        assertEquals(1, var, 5 * Math.sqrt(2 / count));
        assertEquals(0, lagCorr, 5 / Math.sqrt((n - 1.0) * d));
    }

    /** The counter scheme changes only above 64 coordinates: narrower data sets keep their values. */
    @Test
    void narrowGaussiansKeepTheirValuesAndRangesAgreeWithTheWhole() {
        Block two = gaussian(3, 2);
        assertEquals(-0.36916754f, two.x[0]); // value of the original i·64 + k scheme, seed 3
        assertEquals(1.9940395f, two.x[2]);
        for (int d : new int[]{64, 65, 784}) {
            Block whole = gaussian(10, d);
            Block part = SyntheticData.generate(new SyntheticData.Spec("gaussian", 10, 3, d, 0, 1, 1, false), 4, 7);
            float[] expected = java.util.Arrays.copyOfRange(whole.x, 4 * d, 7 * d);
            assertArrayEquals(expected, part.x, "rows 4..6 generated alone, d = " + d);
        }
    }
}
