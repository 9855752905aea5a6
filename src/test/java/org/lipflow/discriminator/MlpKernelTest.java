package org.lipflow.discriminator;

import org.junit.jupiter.api.Test;
import org.lipflow.util.Rng;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MlpKernelTest {

    static float[] randomParams(MlpLayout layout, long seed) {
        float[] p = new float[layout.parameterCount()];
        long s = Rng.stream(seed, 99);
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (0.5 * Rng.gaussian(s, i));
        }
        return p;
    }

    static float[] randomRows(int rows, int d, long seed) {
        float[] x = new float[rows * d];
        long s = Rng.stream(seed, 98);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Rng.gaussian(s, i);
        }
        return x;
    }

    /** φ in double precision, straight from the definition, as the oracle. */
    static double phi(MlpLayout layout, float[] p, float[] x, int row, int label) {
        double[] h = new double[layout.inputs()];
        for (int k = 0; k < h.length; k++) {
            h[k] = x[row * layout.inputs() + k];
        }
        for (int l = 0; l < layout.layers(); l++) {
            double[] z = new double[layout.out(l)];
            for (int j = 0; j < z.length; j++) {
                double s = p[layout.biasOffset(l) + j];
                for (int k = 0; k < layout.in(l); k++) {
                    s += h[k] * p[layout.weightOffset(l) + k * layout.out(l) + j];
                }
                z[j] = l < layout.layers() - 1 ? activate(layout.activation(), s) : s;
            }
            h = z;
        }
        return h[label];
    }

    static double activate(Activation a, double z) {
        switch (a) {
            case RELU: return Math.max(0, z);
            case LEAKY_RELU: return z > 0 ? z : Activation.LEAK * z;
            case ELU: return z > 0 ? z : Math.expm1(z);
            default: return Math.tanh(z);
        }
    }

    @Test
    void valuesMatchTheDefinitionForEveryActivationAndAcrossTiles() {
        for (Activation act : Activation.values()) {
            MlpLayout layout = new MlpLayout(3, new int[]{7, 5}, 2, act);
            float[] p = randomParams(layout, 1);
            int rows = MlpKernel.TILE * 2 + 17;
            float[] x = randomRows(rows, 3, 2);
            int[] labels = new int[rows];
            for (int r = 0; r < rows; r++) {
                labels[r] = r % 2;
            }
            float[] phi = new float[rows];
            new MlpKernel(layout).values(p, x, labels, 0, rows, phi);
            for (int r = 0; r < rows; r++) {
                assertEquals(phi(layout, p, x, r, labels[r]), phi[r], 1e-5, act + " row " + r);
            }
        }
    }

    @Test
    void parameterGradientMatchesCentralDifferences() {
        for (Activation act : new Activation[]{Activation.ELU, Activation.TANH}) {
            MlpLayout layout = new MlpLayout(2, new int[]{6, 4}, 1, act);
            float[] p = randomParams(layout, 3);
            int rows = 9;
            float[] x = randomRows(rows, 2, 4);
            float[] w = new float[rows];
            for (int r = 0; r < rows; r++) {
                w[r] = (r % 3) - 1f;
            }
            float[] g = new float[p.length];
            new MlpKernel(layout).accumulateGradient(p, x, null, 0, rows, w, 0f, g, null);
            for (int i = 0; i < p.length; i++) {
                double eps = 1e-3;
                float orig = p[i];
                p[i] = (float) (orig + eps);
                double up = 0, down = 0;
                for (int r = 0; r < rows; r++) {
                    up += w[r] * phi(layout, p, x, r, 0);
                }
                p[i] = (float) (orig - eps);
                for (int r = 0; r < rows; r++) {
                    down += w[r] * phi(layout, p, x, r, 0);
                }
                p[i] = orig;
                assertEquals((up - down) / (2 * eps), g[i], 2e-3, act + " parameter " + i);
            }
        }
    }

    /**
     * ReLU, the default: φ is piecewise linear, so a central difference that does not cross a kink
     * is exact up to double rounding. A difference crosses one exactly when it changes with the
     * step size (h vs h/2); those parameters are counted, not silently dropped, and at most 10% may
     * be. Every row contributes to every checked parameter, with labels over three classes.
     */
    @Test
    void reluParameterGradientMatchesExactDifferencesAwayFromKinks() {
        MlpLayout layout = new MlpLayout(3, new int[]{32, 32, 32}, 3, Activation.RELU);
        float[] p = randomParams(layout, 7);
        int rows = 16;
        float[] x = randomRows(rows, 3, 8);
        int[] labels = new int[rows];
        float[] w = new float[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = r % 3;
            w[r] = r % 2 == 0 ? 1f / rows : -0.5f / rows;
        }
        float[] g = new float[p.length];
        new MlpKernel(layout).accumulateGradient(p, x, labels, 0, rows, w, 0f, g, null);
        int checked = 0, nonZero = 0;
        for (int i = 0; i < p.length; i++) {
            double fd = weightedDifference(layout, p, x, labels, w, i, 2e-3);
            double fdHalf = weightedDifference(layout, p, x, labels, w, i, 1e-3);
            if (Math.abs(fd - fdHalf) > 1e-9 * (1 + Math.abs(fd))) {
                continue; // the step crossed a ReLU kink
            }
            checked++;
            nonZero += fd != 0 ? 1 : 0;
            assertEquals(fd, g[i], 1e-5 * (1 + Math.abs(fd)), "parameter " + i);
        }
        assertTrue(checked >= 0.9 * p.length, checked + " of " + p.length + " parameters away from kinks");
        assertTrue(nonZero >= 0.3 * p.length, "the check is not vacuous: " + nonZero + " non-zero gradients");
    }

    /** Σ_r w_r ∂φ(x_r)/∂p_i by a central difference with the step p_i actually took in float. */
    private static double weightedDifference(MlpLayout layout, float[] p, float[] x, int[] labels, float[] w, int i, double h) {
        float orig = p[i];
        float up = (float) (orig + h), down = (float) (orig - h);
        double sum = 0;
        for (int r = 0; r < w.length; r++) {
            p[i] = up;
            double a = phi(layout, p, x, r, labels[r]);
            p[i] = down;
            double b = phi(layout, p, x, r, labels[r]);
            sum += w[r] * (a - b);
        }
        p[i] = orig;
        return sum / ((double) up - down);
    }

    /** The ReLU input gradient, every row and coordinate of the reference network, against exact differences. */
    @Test
    void reluInputGradientMatchesExactDifferencesOnEveryRow() {
        MlpLayout layout = new MlpLayout(2, new int[]{32, 32, 32}, 2, Activation.RELU);
        float[] p = randomParams(layout, 9);
        int rows = 40;
        float[] x = randomRows(rows, 2, 10);
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = r % 2;
        }
        float[] out = new float[rows * 2];
        new MlpKernel(layout).inputGradient(p, x, labels, 0, rows, out, 0, null);
        int checked = 0;
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < 2; k++) {
                double fd = inputDifference(layout, p, x, r, k, labels[r], 1e-3);
                if (Math.abs(fd - inputDifference(layout, p, x, r, k, labels[r], 5e-4)) > 1e-9 * (1 + Math.abs(fd))) {
                    continue;
                }
                checked++;
                assertEquals(fd, out[r * 2 + k], 1e-5 * (1 + Math.abs(fd)), "row " + r + " coord " + k);
            }
        }
        assertTrue(checked >= 0.9 * rows * 2, checked + " of " + rows * 2 + " coordinates away from kinks");
    }

    private static double inputDifference(MlpLayout layout, float[] p, float[] x, int r, int k, int label, double h) {
        int o = r * layout.inputs() + k;
        float orig = x[o];
        float up = (float) (orig + h), down = (float) (orig - h);
        x[o] = up;
        double a = phi(layout, p, x, r, label);
        x[o] = down;
        double b = phi(layout, p, x, r, label);
        x[o] = orig;
        return (a - b) / ((double) up - down);
    }

    @Test
    void inputGradientMatchesCentralDifferences() {
        MlpLayout layout = new MlpLayout(4, new int[]{8, 8}, 3, Activation.TANH);
        float[] p = randomParams(layout, 5);
        int rows = 5;
        float[] x = randomRows(rows, 4, 6);
        int[] labels = {0, 1, 2, 1, 0};
        float[] out = new float[rows * 4 + 4];
        new MlpKernel(layout).inputGradient(p, x, labels, 1, rows, out, 4, null);
        for (int r = 1; r < rows; r++) {
            for (int k = 0; k < 4; k++) {
                double eps = 1e-3;
                float orig = x[r * 4 + k];
                x[r * 4 + k] = (float) (orig + eps);
                double up = phi(layout, p, x, r, labels[r]);
                x[r * 4 + k] = (float) (orig - eps);
                double down = phi(layout, p, x, r, labels[r]);
                x[r * 4 + k] = orig;
                assertEquals((up - down) / (2 * eps), out[4 + (r - 1) * 4 + k], 2e-3, "row " + r + " coord " + k);
            }
        }
    }

    @Test
    void vectorAndScalarKernelsAgreeOnTheReferenceNetworkShapes() {
        assertEquals("vector256", RowOps.BEST.name(), "tests run with --add-modules jdk.incubator.vector");
        for (int d : new int[]{2, 3, 50}) {
            for (int k : new int[]{1, 3}) {
                MlpLayout layout = new MlpLayout(d, new int[]{32, 32, 32}, k, Activation.RELU);
                float[] p = randomParams(layout, d + k);
                int rows = 2 * MlpKernel.TILE + 33;
                float[] x = randomRows(rows, d, 9);
                int[] labels = new int[rows];
                float[] w = new float[rows];
                for (int r = 0; r < rows; r++) {
                    labels[r] = r % k;
                    w[r] = (r % 5) - 2f;
                }
                MlpKernel vec = new MlpKernel(layout), sca = new MlpKernel(layout, new RowOps());
                float[] gv = new float[p.length], gs = new float[p.length];
                float[] phiV = new float[rows], phiS = new float[rows];
                vec.accumulateGradient(p, x, labels, 0, rows, w, 0f, gv, phiV);
                sca.accumulateGradient(p, x, labels, 0, rows, w, 0f, gs, phiS);
                for (int r = 0; r < rows; r++) {
                    assertEquals(phiS[r], phiV[r], 1e-4 * (1 + Math.abs(phiS[r])));
                    assertEquals(phi(layout, p, x, r, labels[r]), phiV[r], 1e-3 * (1 + Math.abs(phiS[r])));
                }
                for (int i = 0; i < p.length; i++) {
                    assertEquals(gs[i], gv[i], 2e-3 * (1 + Math.abs(gs[i])), "d=" + d + " k=" + k + " param " + i);
                }
                float[] dv = new float[rows * d], ds = new float[rows * d];
                vec.inputGradient(p, x, labels, 0, rows, dv, 0, null);
                sca.inputGradient(p, x, labels, 0, rows, ds, 0, null);
                for (int i = 0; i < dv.length; i++) {
                    assertEquals(ds[i], dv[i], 1e-4 * (1 + Math.abs(ds[i])));
                }
            }
        }
    }

    @Test
    void expWeightedGradientEqualsTheExplicitlyWeightedOne() {
        MlpLayout layout = new MlpLayout(2, new int[]{32, 32}, 1, Activation.RELU);
        float[] p = randomParams(layout, 4);
        int rows = 3 * MlpKernel.TILE + 5;
        float[] x = randomRows(rows, 2, 10);
        float[] phi = new float[rows];
        MlpKernel kernel = new MlpKernel(layout);
        kernel.values(p, x, null, 0, rows, phi);
        double max = Double.NEGATIVE_INFINITY;
        for (float f : phi) {
            max = Math.max(max, f);
        }
        float[] w = new float[rows];
        for (int r = 0; r < rows; r++) {
            w[r] = (float) Math.exp(phi[r] - max);
        }
        float[] expected = new float[p.length], actual = new float[p.length];
        kernel.accumulateGradient(p, x, null, 0, rows, w, 0f, expected, null);
        double[] shiftSum = new double[2];
        kernel.accumulateExpWeightedGradient(p, x, null, 0, rows, actual, shiftSum);
        assertEquals(max, shiftSum[0], 1e-6);
        double scale = Math.exp(shiftSum[0] - max);
        for (int i = 0; i < p.length; i++) {
            assertEquals(expected[i], actual[i] * scale, 1e-3 * (1 + Math.abs(expected[i])));
        }
    }

    @Test
    void expWeightsFarBelowTheLargestContributeExactlyNothing() {
        // row 0 is far above the others (φ grows along x1 by ~1 per unit): their weights e^(φ − c) < 1e-20 are 0,
        // so the gradient is row 0's alone, bit for bit, also in the components where row 0's ReLUs are off
        MlpLayout layout = new MlpLayout(2, new int[]{32, 32}, 1, Activation.RELU);
        float[] p = randomParams(layout, 11);
        int rows = 40;
        float[] x = randomRows(rows, 2, 12);
        float[] phi = new float[rows];
        MlpKernel kernel = new MlpKernel(layout);
        kernel.values(p, x, null, 0, rows, phi);
        float[] x0 = x.clone();
        // scale row 0 outwards along the direction that raises φ until it exceeds every other row by > 60
        float[] grad0 = new float[2];
        kernel.inputGradient(p, x, null, 0, 1, grad0, 0, null);
        for (int step = 0; step < 10_000; step++) {
            kernel.values(p, x0, null, 0, rows, phi);
            double gap = Double.POSITIVE_INFINITY;
            for (int r = 1; r < rows; r++) {
                gap = Math.min(gap, phi[0] - phi[r]);
            }
            if (gap > 60) {
                break;
            }
            kernel.inputGradient(p, x0, null, 0, 1, grad0, 0, null);
            x0[0] += grad0[0];
            x0[1] += grad0[1];
        }
        kernel.values(p, x0, null, 0, rows, phi);
        float[] w = new float[rows];
        w[0] = 1f;
        for (int r = 1; r < rows; r++) {
            assertTrue(phi[0] - phi[r] > 46, "row " + r + " is within e^-46 of the largest");
        }
        float[] expected = new float[p.length], actual = new float[p.length];
        kernel.accumulateGradient(p, x0, null, 0, rows, w, 0f, expected, null);
        double[] shiftSum = new double[2];
        kernel.accumulateExpWeightedGradient(p, x0, null, 0, rows, actual, shiftSum);
        assertEquals(1.0, shiftSum[1], 0.0);
        for (int i = 0; i < p.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]), "param " + i);
        }
    }
}
