package org.lipflow.io;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class PlotsEnvelopeTest {

    @Test
    void aShortCurveIsDrawnAsIs() {
        double[] x = {1, 2, 3, 4}, v = {4, 3, 2, 1};
        double[][] e = Plots.envelope(x, v, 2);
        assertSame(x, e[0]);
        assertSame(v, e[1]);
    }

    /** 3,000 steps of a decaying curve with one spike and one dip: both survive, in step order. */
    @Test
    void aLongCurveKeepsEveryBucketsExtremesInStepOrder() {
        int n = 3000;
        double[] x = new double[n], v = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
            v[i] = Math.exp(-i / 500.0);
        }
        v[1234] = 50; // a blow-up's first sign
        v[2345] = -7;
        double[][] e = Plots.envelope(x, v, 100);
        assertTrue(e[0].length <= 200, "at most two points per bucket, got " + e[0].length);
        for (int i = 1; i < e[0].length; i++) {
            assertTrue(e[0][i] > e[0][i - 1], "x increasing at " + i);
        }
        double max = Double.NEGATIVE_INFINITY, min = Double.POSITIVE_INFINITY;
        int spike = -1;
        for (int i = 0; i < e[0].length; i++) {
            max = Math.max(max, e[1][i]);
            min = Math.min(min, e[1][i]);
            if (e[1][i] == 50) {
                spike = i;
            }
        }
        assertEquals(50, max, 0);
        assertEquals(-7, min, 0);
        assertEquals(1235, e[0][spike], 0, "the spike keeps its step");
        // every kept point is a point of the curve
        for (int i = 0; i < e[0].length; i++) {
            assertEquals(v[(int) e[0][i] - 1], e[1][i], 0);
        }
        // a monotone bucket keeps its first and last point: the decay's ends are there
        assertArrayEquals(new double[] {1, 30}, new double[] {e[0][0], e[0][1]});
    }
}
