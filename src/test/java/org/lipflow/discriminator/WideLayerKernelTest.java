package org.lipflow.discriminator;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The register-blocked loops of wide layers (n > 32, e.g. 784 -> 512): every output is its bias
 * (or old value) plus the products in increasing k (or row), one fused multiply-add each — bit
 * for bit the per-row loops' sums — at every edge of the blocking (rows not a multiple of 4, widths
 * not a multiple of the vector length, m beyond one block of weight rows).
 */
class WideLayerKernelTest {
    static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextInt(4) == 0 ? 0f : (float) r.nextDouble(-1, 1); // zeros, as after a ReLU
        }
        return a;
    }

    static final int[][] SHAPES = {{128, 784, 512}, {7, 300, 100}, {5, 512, 784}, {4, 33, 49}, {3, 256, 40}, {130, 20, 41}};

    @Test
    void timesMatrixIsTheFusedSumInIncreasingK() {
        RowOps ops = RowOps.BEST;
        for (int[] s : SHAPES) {
            int rows = s[0], m = s[1], n = s[2], inBase = 3, wOff = 5, b = 2, outBase = 7;
            float[] in = random(inBase + rows * m, 1), w = random(wOff + m * n, 2), bias = random(b + n, 3);
            for (float[] bs : new float[][]{bias, null}) {
                float[] out = new float[outBase + rows * n];
                ops.tileTimesMatrix(in, inBase, m, rows, w, wOff, n, bs, b, out, outBase);
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < n; j++) {
                        float e = bs == null ? 0f : bs[b + j];
                        for (int k = 0; k < m; k++) {
                            e = Math.fma(in[inBase + r * m + k], w[wOff + k * n + j], e);
                        }
                        assertEquals(Float.floatToIntBits(e), Float.floatToIntBits(out[outBase + r * n + j]),
                                () -> "shape " + java.util.Arrays.toString(s));
                    }
                }
            }
        }
    }

    @Test
    void outerProductIsTheFusedSumInIncreasingRow() {
        RowOps ops = RowOps.BEST;
        for (int[] s : SHAPES) {
            int rows = s[0], m = s[1], n = s[2], inBase = 3, gOff = 4;
            float[] in = random(inBase + rows * m, 4), d = random(rows * n, 5), g = random(gOff + m * n, 6), g0 = g.clone();
            ops.accumulateOuter(in, inBase, m, d, n, rows, g, gOff);
            for (int k = 0; k < m; k++) {
                for (int j = 0; j < n; j++) {
                    float e = g0[gOff + k * n + j];
                    for (int r = 0; r < rows; r++) {
                        e = Math.fma(in[inBase + r * m + k], d[r * n + j], e);
                    }
                    assertEquals(Float.floatToIntBits(e), Float.floatToIntBits(g[gOff + k * n + j]),
                            () -> "shape " + java.util.Arrays.toString(s));
                }
            }
        }
    }

    @Test
    void thePixelNetworkAgreesWithTheScalarKernel() {
        MlpLayout layout = new MlpLayout(784, new int[]{512, 256, 128}, 10, Activation.RELU);
        float[] p = new float[layout.parameterCount()];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (random.nextDouble(-1, 1) * 0.05);
        }
        int rows = MlpKernel.TILE + 9;
        float[] x = new float[rows * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble();
        }
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = r % 10;
        }
        MlpKernel vec = new MlpKernel(layout), sca = new MlpKernel(layout, new RowOps());
        float[] gv = new float[p.length], gs = new float[p.length], phiV = new float[rows], phiS = new float[rows];
        vec.accumulateGradient(p, x, labels, 0, rows, null, 1f / rows, gv, phiV);
        sca.accumulateGradient(p, x, labels, 0, rows, null, 1f / rows, gs, phiS);
        for (int r = 0; r < rows; r++) {
            assertEquals(phiS[r], phiV[r], 1e-4 * (1 + Math.abs(phiS[r])), "phi row " + r);
        }
        for (int i = 0; i < p.length; i++) {
            assertEquals(gs[i], gv[i], 1e-4 * (1 + Math.abs(gs[i])), "param " + i);
        }
        float[] dv = new float[rows * 784], ds = new float[rows * 784];
        vec.inputGradient(p, x, labels, 0, rows, dv, 0, null);
        sca.inputGradient(p, x, labels, 0, rows, ds, 0, null);
        for (int i = 0; i < dv.length; i++) {
            assertEquals(ds[i], dv[i], 1e-5 * (1 + Math.abs(ds[i])), "input gradient " + i);
        }
    }
}
