package org.lipflow.discriminator;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lipflow.discriminator.MlpKernelTest.randomParams;
import static org.lipflow.discriminator.MlpKernelTest.randomRows;

/**
 * The penalised objective Σ_r [w·φ(x_r) − c·ψ(‖∇ₓφ(x_r)‖)] of {@link MlpKernel#accumulatePenalizedGradient}:
 * its θ-gradient (the mixed derivative ∂θ‖∇ₓφ‖) against central differences of a double-precision
 * oracle that computes ∇ₓφ by forward-mode differentiation, independently of the kernel's backprop.
 */
class GradientPenaltyTest {
    private static final float W = 0.3f, C = 0.7f;
    private static final double L = 0.5;

    /** ∇ₓφ(x_r, label) in double by forward-mode: carries h and the Jacobian dh/dx through the layers. */
    static double[] inputGradient(MlpLayout layout, float[] p, float[] x, int row, int label) {
        int d = layout.inputs();
        double[] h = new double[d];
        double[][] jac = new double[d][d];
        for (int k = 0; k < d; k++) {
            h[k] = x[row * d + k];
            jac[k][k] = 1;
        }
        for (int l = 0; l < layout.layers(); l++) {
            int nin = layout.in(l), nout = layout.out(l);
            double[] z = new double[nout];
            double[][] jz = new double[nout][d];
            for (int j = 0; j < nout; j++) {
                double s = p[layout.biasOffset(l) + j];
                for (int k = 0; k < nin; k++) {
                    double wkj = p[layout.weightOffset(l) + k * nout + j];
                    s += h[k] * wkj;
                    for (int i = 0; i < d; i++) {
                        jz[j][i] += wkj * jac[k][i];
                    }
                }
                z[j] = s;
            }
            if (l == layout.layers() - 1) {
                return jz[label];
            }
            for (int j = 0; j < nout; j++) {
                double slope = derivative(layout.activation(), z[j]);
                for (int i = 0; i < d; i++) {
                    jz[j][i] *= slope;
                }
                z[j] = MlpKernelTest.activate(layout.activation(), z[j]);
            }
            h = z;
            jac = jz;
        }
        throw new AssertionError("unreachable");
    }

    static double derivative(Activation a, double z) {
        switch (a) {
            case RELU: return z > 0 ? 1 : 0;
            case LEAKY_RELU: return z > 0 ? 1 : Activation.LEAK;
            case ELU: return z > 0 ? 1 : Math.exp(z);
            default: double t = Math.tanh(z); return 1 - t * t;
        }
    }

    /** The objective in double: Σ_r [w φ_r − c ψ(‖∇φ_r‖)]. */
    static double objective(MlpLayout layout, float[] p, float[] x, int[] labels, boolean oneSided) {
        double sum = 0;
        for (int r = 0; r < labels.length; r++) {
            double[] g = inputGradient(layout, p, x, r, labels[r]);
            double ss = 0;
            for (double v : g) {
                ss += v * v;
            }
            sum += W * MlpKernelTest.phi(layout, p, x, r, labels[r]) - C * GradientPenalty.psi(Math.sqrt(ss), L, oneSided);
        }
        return sum;
    }

    private static double difference(MlpLayout layout, float[] p, float[] x, int[] labels, boolean oneSided, int i, double h) {
        float orig = p[i];
        float up = (float) (orig + h), down = (float) (orig - h);
        p[i] = up;
        double a = objective(layout, p, x, labels, oneSided);
        p[i] = down;
        double b = objective(layout, p, x, labels, oneSided);
        p[i] = orig;
        return (a - b) / ((double) up - down);
    }

    private static int[] labels(int rows, int classes) {
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = r % classes;
        }
        return labels;
    }

    /**
     * ELU and tanh have σ'' ≠ 0, so the curvature term of the mixed derivative is exercised. Central
     * differences of the double oracle with h = 1e-4 against the float kernel: |error| ≤ 1e-5·(1 + |fd|)
     * (measured worst 2e-6), both sides, three layers, two classes, rows over two tiles. With h = 1e-3
     * ELU's differences reach 5e-3: they straddle the jump of its σ'' at 0.
     */
    @Test
    void penaltyGradientMatchesCentralDifferencesForSmoothActivations() {
        for (Activation act : new Activation[]{Activation.ELU, Activation.TANH}) {
            for (boolean oneSided : new boolean[]{true, false}) {
                MlpLayout layout = new MlpLayout(3, new int[]{6, 5}, 2, act);
                float[] p = randomParams(layout, 11);
                int rows = MlpKernel.TILE + 9;
                float[] x = randomRows(rows, 3, 12);
                int[] labels = labels(rows, 2);
                float[] g = new float[p.length];
                double psi = new MlpKernel(layout).accumulatePenalizedGradient(p, x, labels, 0, rows, W, C, L, oneSided, g, null);
                assertTrue(psi > 0, act + ": the penalty is active on some rows");
                double worst = 0;
                for (int i = 0; i < p.length; i++) {
                    double fd = difference(layout, p, x, labels, oneSided, i, 1e-4);
                    worst = Math.max(worst, Math.abs(fd - g[i]) / (1 + Math.abs(fd)));
                }
                assertTrue(worst <= 1e-5, act + (oneSided ? " one-sided" : " two-sided") + ": worst relative error " + worst);
            }
        }
    }

    /**
     * ReLU and leaky ReLU: σ'' = 0 almost everywhere, so only the first-order terms remain. A
     * difference is exact up to rounding unless it crosses a kink, which it does exactly when it
     * changes with the step (h vs h/2): such parameters are counted, at most 10% of them.
     */
    @Test
    void penaltyGradientMatchesExactDifferencesForPiecewiseLinearActivations() {
        for (Activation act : new Activation[]{Activation.RELU, Activation.LEAKY_RELU}) {
            for (boolean oneSided : new boolean[]{true, false}) {
                MlpLayout layout = new MlpLayout(3, new int[]{16, 16, 16}, 3, act);
                float[] p = randomParams(layout, 13);
                int rows = 12;
                float[] x = randomRows(rows, 3, 14);
                int[] labels = labels(rows, 3);
                float[] g = new float[p.length];
                new MlpKernel(layout).accumulatePenalizedGradient(p, x, labels, 0, rows, W, C, L, oneSided, g, null);
                int checked = 0, nonZero = 0;
                for (int i = 0; i < p.length; i++) {
                    double fd = difference(layout, p, x, labels, oneSided, i, 2e-3);
                    double fdHalf = difference(layout, p, x, labels, oneSided, i, 1e-3);
                    if (Math.abs(fd - fdHalf) > 1e-6 * (1 + Math.abs(fd))) {
                        continue; // the step crossed a kink
                    }
                    checked++;
                    nonZero += fd != 0 ? 1 : 0;
                    assertEquals(fd, g[i], 1e-4 * (1 + Math.abs(fd)), act + " parameter " + i);
                }
                assertTrue(checked >= 0.9 * p.length, act + ": " + checked + " of " + p.length + " parameters away from kinks");
                assertTrue(nonZero >= 0.3 * p.length, act + ": the check is not vacuous, " + nonZero + " non-zero");
            }
        }
    }

    /**
     * With Lip(φ) ≤ L (weights projected onto the spectral ball) the one-sided penalty is zero on
     * every row and the gradient is exactly the plain w·∇_θφ of {@link MlpKernel#accumulateGradient}.
     */
    @Test
    void oneSidedPenaltyIsZeroWhenTheSlopeStaysBelowTheBound() {
        for (Activation act : Activation.values()) {
            MlpLayout layout = new MlpLayout(4, new int[]{32, 32}, 2, act);
            float[] p = randomParams(layout, 15);
            double lipschitz = 1.0;
            new LipschitzConstraint(lipschitz, LayerNorm.FROBENIUS, LipschitzConstraint.Mode.PROJECT)
                    .apply(layout, p, SpectralNorm.initialVectors(layout, 16));
            int rows = MlpKernel.TILE * 2 + 3;
            float[] x = randomRows(rows, 4, 17);
            int[] labels = labels(rows, 2);
            float[] penalised = new float[p.length], plain = new float[p.length];
            MlpKernel kernel = new MlpKernel(layout);
            double psi = kernel.accumulatePenalizedGradient(p, x, labels, 0, rows, W, C, lipschitz, true, penalised, null);
            kernel.accumulateGradient(p, x, labels, 0, rows, null, W, plain, null);
            assertEquals(0.0, psi, act.toString());
            assertArrayEquals(plain, penalised, act.toString());
            // the two-sided penalty, by contrast, pulls slopes below L up
            assertTrue(kernel.accumulatePenalizedGradient(p, x, labels, 0, rows, W, C, lipschitz, false, new float[p.length], null) > 0);
        }
    }

    /** The Vector API and scalar row loops give the same penalised gradient on the reference shapes. */
    @Test
    void vectorAndScalarKernelsAgree() {
        for (Activation act : new Activation[]{Activation.RELU, Activation.TANH}) {
            for (int d : new int[]{2, 50}) {
                MlpLayout layout = new MlpLayout(d, new int[]{32, 32, 32}, 1, act);
                float[] p = randomParams(layout, d);
                int rows = 2 * MlpKernel.TILE + 33;
                float[] x = randomRows(rows, d, 19);
                float[] gv = new float[p.length], gs = new float[p.length];
                double pv = new MlpKernel(layout).accumulatePenalizedGradient(p, x, null, 0, rows, W, C, L, true, gv, null);
                double ps = new MlpKernel(layout, new RowOps()).accumulatePenalizedGradient(p, x, null, 0, rows, W, C, L, true, gs, null);
                assertEquals(ps, pv, 1e-4 * (1 + ps), act + " d=" + d);
                for (int i = 0; i < p.length; i++) {
                    assertEquals(gs[i], gv[i], 2e-3 * (1 + Math.abs(gs[i])), act + " d=" + d + " param " + i);
                }
            }
        }
    }

    @Test
    void badSettingsAreRejectedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GradientPenalty(0, GradientPenalty.Side.ONE_SIDED));
        assertEquals("discriminator.penalty-weight must be > 0 and finite, got 0.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GradientPenalty.Side.parse("both"));
        assertEquals("discriminator.penalty must be one-sided or two-sided, got 'both'", e.getMessage());
        assertEquals(LipschitzConstraint.Mode.GRADIENT_PENALTY, LipschitzConstraint.Mode.parse("gradient-penalty"));
        assertEquals("gradient-penalty", LipschitzConstraint.Mode.GRADIENT_PENALTY.configName());
    }
}
