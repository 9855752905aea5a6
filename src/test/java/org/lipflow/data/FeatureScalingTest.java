package org.lipflow.data;

import org.junit.jupiter.api.Test;
import org.lipflow.flow.Block;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FeatureScalingTest {
    static Block rows(int n, long seed, double mean, double std) {
        Random g = new Random(seed);
        float[] x = new float[n * 2];
        for (int i = 0; i < n; i++) {
            x[2 * i] = (float) (mean + std * g.nextGaussian());
            x[2 * i + 1] = 4.5f; // constant
        }
        return new Block(n, 2, x, null, null);
    }

    @Test
    void fitGivesMeanAndPopulationStdAndScaleOneForAConstantFeature() {
        Block b = new Block(4, 2, new float[]{1, 3, 2, 3, 3, 3, 6, 3}, null, null);
        FeatureScaling s = FeatureScaling.fit(b);
        assertArrayEquals(new double[]{3, 3}, s.mean(), 0);
        assertEquals(Math.sqrt((4 + 1 + 0 + 9) / 4.0), s.scale()[0], 1e-15);
        assertEquals(1, s.scale()[1]);
        assertEquals(List.of(1), s.constantFeatures());
    }

    @Test
    void applyThenInvertReturnsTheRowsToFloatTolerance() {
        Block b = rows(500, 1, 1e4, 3);
        FeatureScaling s = FeatureScaling.fit(b);
        Block z = s.apply(b);
        Block back = s.invert(z);
        for (int i = 0; i < b.x.length; i++) {
            assertEquals(b.x[i], back.x[i], Math.ulp(b.x[i]) * 2, "value " + i);
        }
        FeatureScaling zs = FeatureScaling.fit(z); // standardised: mean 0, std 1 (the constant feature 0, scale 1)
        assertEquals(0, zs.mean()[0], 1e-5);
        assertEquals(1, zs.scale()[0], 1e-5);
        assertEquals(0, zs.mean()[1], 0);
        assertSame(b.labels, z.labels);
    }

    @Test
    void mergedMomentsOfPartsEqualTheWholesToRounding() {
        Block a = rows(300, 2, -7, 2), c = rows(50, 3, 5, 0.5);
        float[] x = new float[(a.rows + c.rows) * 2];
        System.arraycopy(a.x, 0, x, 0, a.x.length);
        System.arraycopy(c.x, 0, x, a.x.length, c.x.length);
        FeatureScaling whole = FeatureScaling.fit(new Block(a.rows + c.rows, 2, x, null, null));
        FeatureScaling.Moments m = new FeatureScaling.Moments(2).merge(FeatureScaling.Moments.of(a))
                .merge(new FeatureScaling.Moments(2)).merge(FeatureScaling.Moments.of(c));
        FeatureScaling parts = FeatureScaling.fit(m);
        assertEquals(350, m.rows());
        assertArrayEquals(whole.mean(), parts.mean(), 1e-12);
        assertArrayEquals(whole.scale(), parts.scale(), 1e-12);
        assertEquals(whole.constantFeatures(), parts.constantFeatures());
    }

    @Test
    void aScalingOfTheWrongDimensionIsRefused() {
        FeatureScaling s = FeatureScaling.fit(rows(10, 4, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> s.apply(new Block(1, 3, new float[3], null, null)));
    }
}
