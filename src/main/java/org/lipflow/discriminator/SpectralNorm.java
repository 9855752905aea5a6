package org.lipflow.discriminator;

/**
 * Keeps Lip(φ) ≤ L: with ℓ weight layers and 1-Lipschitz activations, every ‖W_l‖₂ ≤ c = L^(1/ℓ)
 * implies Lip(φ) ≤ L.
 *
 * <p>{@code project}: W ← W·min(1, c/‖W‖). The spectral ball is convex, so an average of
 * projected matrices (parameter averaging across executors) stays inside it.
 * {@code rescale} (the reference code): W ← W·c/‖W‖ after every step, even when smaller.
 *
 * <p>‖W‖₂ comes from power iteration with a persistent right-singular vector per layer, iterated
 * until the estimate is stable to {@link #TOLERANCE}: the persistent vector makes that one or two
 * iterations per optimizer step, and convergence keeps the underestimate of ‖W‖₂ (power
 * iteration approaches it from below) negligible.
 */
public final class SpectralNorm {
    public static final double TOLERANCE = 1e-7;
    private static final int MAX_ITERATIONS = 200;

    private SpectralNorm() {
    }

    /** Initial unit power-iteration vectors, one per layer, from a seeded stream. */
    public static float[][] initialVectors(MlpLayout layout, long stream) {
        float[][] u = new float[layout.layers()][];
        long counter = 0;
        for (int l = 0; l < layout.layers(); l++) {
            u[l] = new float[layout.out(l)];
            double n = 0;
            for (int j = 0; j < u[l].length; j++) {
                u[l][j] = (float) org.lipflow.util.Rng.gaussian(stream, counter++);
                n += u[l][j] * (double) u[l][j];
            }
            scale(u[l], 1.0 / Math.sqrt(n));
        }
        return u;
    }

    /** Estimated norm of layer l under {@code norm}, advancing its power-iteration vector u. */
    public static double layerNorm(MlpLayout layout, float[] params, int l, LayerNorm norm, float[] u) {
        int nin = layout.in(l), nout = layout.out(l), off = layout.weightOffset(l);
        if (norm == LayerNorm.FROBENIUS) {
            double s = 0;
            for (int i = off; i < off + nin * nout; i++) {
                s += params[i] * (double) params[i];
            }
            return Math.sqrt(s);
        }
        double[] v = new double[nin];
        double[] w = new double[nout];
        double sigma = 0;
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            // v = W u / |W u|
            double vn = 0;
            int k0 = 0;
            // four rows at a time: four independent sums (a single one waits on each add's latency),
            // each still in increasing j, so v is bit for bit the row-by-row result
            for (; k0 + 4 <= nin; k0 += 4) {
                double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                int r0 = off + k0 * nout, r1 = r0 + nout, r2 = r1 + nout, r3 = r2 + nout;
                for (int j = 0; j < nout; j++) {
                    double uj = u[j];
                    s0 += params[r0 + j] * uj;
                    s1 += params[r1 + j] * uj;
                    s2 += params[r2 + j] * uj;
                    s3 += params[r3 + j] * uj;
                }
                v[k0] = s0;
                v[k0 + 1] = s1;
                v[k0 + 2] = s2;
                v[k0 + 3] = s3;
                vn += s0 * s0;
                vn += s1 * s1;
                vn += s2 * s2;
                vn += s3 * s3;
            }
            for (int k = k0; k < nin; k++) {
                double s = 0;
                int row = off + k * nout;
                for (int j = 0; j < nout; j++) {
                    s += params[row + j] * (double) u[j];
                }
                v[k] = s;
                vn += s * s;
            }
            vn = Math.sqrt(vn);
            if (vn == 0) {
                return 0;
            }
            // u = Wᵀ v / |Wᵀ v|; |Wᵀ v| with unit v is the current estimate of σ₁
            java.util.Arrays.fill(w, 0);
            for (int k = 0; k < nin; k++) {
                double vk = v[k] / vn;
                int row = off + k * nout;
                for (int j = 0; j < nout; j++) {
                    w[j] += params[row + j] * vk;
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
            boolean converged = Math.abs(un - sigma) <= TOLERANCE * un;
            sigma = un;
            if (converged) {
                break;
            }
        }
        return sigma;
    }

    /** Applies {@code constraint} to every weight matrix of {@code params} in place. */
    public static void constrain(MlpLayout layout, float[] params, float[][] u, LipschitzConstraint constraint) {
        double c = perLayerBound(layout, constraint.lipschitz());
        boolean rescale = constraint.mode() == LipschitzConstraint.Mode.RESCALE;
        for (int l = 0; l < layout.layers(); l++) {
            double sigma = layerNorm(layout, params, l, constraint.norm(), u[l]);
            if (sigma <= 0 || !(sigma < Double.POSITIVE_INFINITY)) {
                continue; // a zero matrix is inside the ball; a non-finite one is caught by the flow
            }
            if (rescale || sigma > c) {
                int off = layout.weightOffset(l);
                float f = (float) (c / sigma);
                for (int i = off; i < off + layout.in(l) * layout.out(l); i++) {
                    float w = params[i] * f;
                    // a weight no gradient reaches (a dead unit's) only shrinks, step after step, into the
                    // subnormal range, where x86 arithmetic is ~100x slower: it is flushed to zero instead
                    params[i] = Math.abs(w) < Float.MIN_NORMAL ? 0f : w;
                }
            }
        }
    }

    /** c = L^(1/ℓ). */
    public static double perLayerBound(MlpLayout layout, double lipschitz) {
        return Math.pow(lipschitz, 1.0 / layout.layers());
    }

    private static void scale(float[] x, double f) {
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (x[i] * f);
        }
    }
}
