package org.lipflow.discriminator;

import org.junit.jupiter.api.Test;
import org.lipflow.util.Rng;

import org.lipflow.testing.Jacobi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class SpectralNormTest {

    /** Largest singular value by Jacobi eigenvalues of WᵀW in double: the exact oracle. */
    public static double exactSpectralNorm(float[] params, int off, int rows, int cols) {
        double[][] a = new double[cols][cols];
        for (int i = 0; i < cols; i++) {
            for (int j = 0; j < cols; j++) {
                double s = 0;
                for (int k = 0; k < rows; k++) {
                    s += params[off + k * cols + i] * (double) params[off + k * cols + j];
                }
                a[i][j] = s;
            }
        }
        return Math.sqrt(Jacobi.symmetric(a).values()[0]); // σ_max(W)² is the largest eigenvalue of WᵀW
    }

    /** W = U diag(s) Vᵀ with random orthogonal U, V (Gram–Schmidt), rows × cols. */
    static float[] withSingularValues(int rows, int cols, double[] s, long seed) {
        double[][] u = orthonormal(rows, s.length, seed), v = orthonormal(cols, s.length, seed + 1);
        float[] w = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double x = 0;
                for (int k = 0; k < s.length; k++) {
                    x += u[k][i] * s[k] * v[k][j];
                }
                w[i * cols + j] = (float) x;
            }
        }
        return w;
    }

    private static double[][] orthonormal(int n, int count, long seed) {
        double[][] q = new double[count][n];
        long st = Rng.stream(seed, 11);
        for (int k = 0; k < count; k++) {
            for (int i = 0; i < n; i++) {
                q[k][i] = Rng.gaussian(st, k * n + i);
            }
            for (int j = 0; j < k; j++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += q[k][i] * q[j][i];
                }
                for (int i = 0; i < n; i++) {
                    q[k][i] -= dot * q[j][i];
                }
            }
            double norm = 0;
            for (int i = 0; i < n; i++) {
                norm += q[k][i] * q[k][i];
            }
            for (int i = 0; i < n; i++) {
                q[k][i] /= Math.sqrt(norm);
            }
        }
        return q;
    }

    @Test
    void powerIterationFindsTheKnownLargestSingularValue() {
        MlpLayout layout = new MlpLayout(6, new int[]{}, 4, Activation.RELU);
        float[] p = new float[layout.parameterCount()];
        float[] w = withSingularValues(6, 4, new double[]{3.0, 2.9, 1.0, 0.5}, 3);
        System.arraycopy(w, 0, p, 0, w.length);
        float[][] u = SpectralNorm.initialVectors(layout, 7);
        double sigma = SpectralNorm.layerNorm(layout, p, 0, LayerNorm.SPECTRAL, u[0]);
        assertEquals(3.0, sigma, 3e-5);
        assertEquals(3.0, exactSpectralNorm(p, 0, 6, 4), 1e-5, "the oracle itself");
    }

    @Test
    void projectionShrinksOnlyLayersAboveTheBoundAndRescaleSetsEveryLayerToIt() {
        MlpLayout layout = new MlpLayout(5, new int[]{5}, 5, Activation.RELU);
        float[] p = new float[layout.parameterCount()];
        System.arraycopy(withSingularValues(5, 5, new double[]{4, 1, 0.5}, 1), 0, p, layout.weightOffset(0), 25);
        System.arraycopy(withSingularValues(5, 5, new double[]{0.5, 0.2}, 2), 0, p, layout.weightOffset(1), 25);
        double lipschitz = 2.25; // c = 1.5 per layer
        float[] projected = p.clone();
        new LipschitzConstraint(lipschitz, LayerNorm.SPECTRAL, LipschitzConstraint.Mode.PROJECT)
                .apply(layout, projected, SpectralNorm.initialVectors(layout, 1));
        assertEquals(1.5, exactSpectralNorm(projected, layout.weightOffset(0), 5, 5), 1e-5);
        assertEquals(0.5, exactSpectralNorm(projected, layout.weightOffset(1), 5, 5), 1e-5, "inside the ball: unchanged");
        float[] rescaled = p.clone();
        new LipschitzConstraint(lipschitz, LayerNorm.SPECTRAL, LipschitzConstraint.Mode.RESCALE)
                .apply(layout, rescaled, SpectralNorm.initialVectors(layout, 1));
        assertEquals(1.5, exactSpectralNorm(rescaled, layout.weightOffset(1), 5, 5), 1e-5);
    }

    @Test
    void frobeniusBoundIsStricterThanTheSpectralOne() {
        MlpLayout layout = new MlpLayout(5, new int[]{}, 5, Activation.RELU);
        float[] p = new float[layout.parameterCount()];
        System.arraycopy(withSingularValues(5, 5, new double[]{2, 2, 2}, 4), 0, p, 0, 25);
        new LipschitzConstraint(1.0, LayerNorm.FROBENIUS, LipschitzConstraint.Mode.PROJECT)
                .apply(layout, p, SpectralNorm.initialVectors(layout, 1));
        double spectral = exactSpectralNorm(p, 0, 5, 5);
        assertEquals(1 / Math.sqrt(3), spectral, 1e-5, "|W|_F = sqrt(3)|W|_2 here");
        assertTrue(spectral < 1.0);
    }

    /** The power iteration as first written, one row of W at a time: the oracle of the four-row loop. */
    static double rowByRowNorm(MlpLayout layout, float[] params, int l, float[] u) {
        int nin = layout.in(l), nout = layout.out(l), off = layout.weightOffset(l);
        double[] v = new double[nin], w = new double[nout];
        double sigma = 0;
        for (int it = 0; it < 200; it++) {
            double vn = 0;
            for (int k = 0; k < nin; k++) {
                double s = 0;
                for (int j = 0; j < nout; j++) {
                    s += params[off + k * nout + j] * (double) u[j];
                }
                v[k] = s;
                vn += s * s;
            }
            vn = Math.sqrt(vn);
            java.util.Arrays.fill(w, 0);
            for (int k = 0; k < nin; k++) {
                double vk = v[k] / vn;
                for (int j = 0; j < nout; j++) {
                    w[j] += params[off + k * nout + j] * vk;
                }
            }
            double un = 0;
            for (int j = 0; j < nout; j++) {
                un += w[j] * w[j];
            }
            un = Math.sqrt(un);
            for (int j = 0; j < nout; j++) {
                u[j] = (float) (w[j] / un);
            }
            boolean converged = Math.abs(un - sigma) <= SpectralNorm.TOLERANCE * un;
            sigma = un;
            if (converged) {
                break;
            }
        }
        return sigma;
    }

    @Test
    void fourRowsAtATimeIsBitForBitTheRowByRowIteration() {
        MlpLayout layout = new MlpLayout(7, new int[]{33, 6}, 1, Activation.RELU); // 7 and 33 rows: not multiples of 4
        float[] params = new float[layout.parameterCount()];
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) Rng.gaussian(5, i);
        }
        float[][] u = SpectralNorm.initialVectors(layout, 9), v = SpectralNorm.initialVectors(layout, 9);
        for (int l = 0; l < layout.layers(); l++) {
            double a = SpectralNorm.layerNorm(layout, params, l, LayerNorm.SPECTRAL, u[l]);
            double b = rowByRowNorm(layout, params, l, v[l]);
            assertEquals(Double.doubleToLongBits(b), Double.doubleToLongBits(a), "layer " + l);
            for (int j = 0; j < u[l].length; j++) {
                assertEquals(Float.floatToIntBits(v[l][j]), Float.floatToIntBits(u[l][j]), "layer " + l + " u " + j);
            }
        }
    }
    /**
     * A weight no gradient reaches (a dead unit's) is only ever scaled down with its layer, step
     * after step, while the trained weights grow back. It must end as 0, never subnormal: x86
     * arithmetic on subnormal floats is ~100x slower (jobs/lipflow bench at d = 50, 1,000 steps:
     * 11.2 ms per step with them, 1.14 ms flushed). The other weights keep their exact values.
     */
    @Test
    void aWeightThatOnlyShrinksWithItsLayerEndsAsZeroNeverSubnormal() {
        MlpLayout layout = new MlpLayout(2, new int[]{2}, 1, Activation.RELU);
        float[] p = new float[layout.parameterCount()];
        int w = layout.weightOffset(0);
        p[w] = 1f;
        p[w + 1] = 1e-30f; // the dead unit's weight
        LipschitzConstraint clip = new LipschitzConstraint(1.0, LayerNorm.SPECTRAL, LipschitzConstraint.Mode.PROJECT);
        float[][] u = SpectralNorm.initialVectors(layout, 3);
        boolean zeroed = false;
        for (int step = 0; step < 400; step++) {
            p[w] *= 1.5f; // training regrows the live weight beyond the bound
            clip.apply(layout, p, u);
            for (float x : p) {
                assertTrue(x == 0f || Math.abs(x) >= Float.MIN_NORMAL, "step " + step + ": subnormal weight " + x);
            }
            double c = SpectralNorm.perLayerBound(layout, 1.0);
            assertEquals(c, p[w], 1e-5 * c, "step " + step + ": the live weight is projected onto the bound as before");
            zeroed |= p[w + 1] == 0f;
        }
        assertTrue(zeroed, "the dead weight fell below Float.MIN_NORMAL and was flushed");
    }
}
