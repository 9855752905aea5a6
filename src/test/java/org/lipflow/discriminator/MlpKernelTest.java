package org.lipflow.discriminator;

import org.junit.jupiter.api.Test;
import org.lipflow.util.Rng;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
