package org.lipflow.data;

import org.lipflow.flow.Block;
import org.lipflow.util.Rng;

/**
 * Two batches of one labelled, gene-expression-like data set with a known batch effect: the
 * synthetic example of data integration (the paper's gene-expression application, where samples
 * of two studies measure the same genes with a study-specific offset).
 *
 * <p>Each sample of class c (0 or 1) in batch b (0 = reference, 1 = shifted) has d features
 * <pre>  x = W z + classEffect·c·a + shift·b·u + noise·ε,   z ~ N(0, I_r), ε ~ N(0, I_d)</pre>
 * with r = {@link #FACTORS} shared biological factors (W, d × r) and the class direction a and
 * batch direction u, all with N(0, 1) entries fixed by the seed. So both batches share the
 * factors and the class structure; the shifted batch is the reference's distribution moved by
 * shift·u (|u| ≈ √d), which a perfect integration removes. Class proportions differ between the
 * batches ({@link #REFERENCE_CLASS1} vs {@link #SHIFTED_CLASS1} of class 1), so an integration
 * that ignores labels would pull the classes onto each other.
 *
 * @param d            features (genes)
 * @param rows         samples per batch
 * @param shift        the batch effect's size along u
 * @param classEffect  the class difference's size along a
 * @param noise        per-feature noise std
 * @param seed         all draws
 */
public record TwoBatch(int d, int rows, double shift, double classEffect, double noise, long seed) {
    public static final int FACTORS = 4;
    public static final double REFERENCE_CLASS1 = 0.4, SHIFTED_CLASS1 = 0.6;

    public TwoBatch {
        if (d < 2) {
            throw new IllegalArgumentException("--dimension must be >= 2 for two-batch, got " + d);
        }
        if (rows < 2) {
            throw new IllegalArgumentException("--n must be >= 2 for two-batch (samples per batch), got " + rows);
        }
        if (!Double.isFinite(shift) || !Double.isFinite(classEffect) || !(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("two-batch needs a finite --shift and class effect and a noise >= 0");
        }
    }

    /** Batch 0 (reference) or 1 (shifted), labelled, rows in id order. */
    public Block batch(int b) {
        return generate(b, b == 1);
    }

    /** Batch {@code b}'s samples without the batch effect: where a perfect integration would put the shifted batch. */
    public Block unshifted(int b) {
        return generate(b, false);
    }

    private Block generate(int b, boolean shifted) {
        long stream = Rng.stream(seed, Rng.DATASET, 0x7B47L);
        long samples = Rng.stream(stream, 1 + b);
        double[] w = directions(stream, 0, FACTORS), a = directions(stream, 1, 1), u = directions(stream, 2, 1);
        double class1 = b == 0 ? REFERENCE_CLASS1 : SHIFTED_CLASS1;
        float[] x = new float[rows * d];
        int[] labels = new int[rows];
        long[] ids = new long[rows];
        double[] z = new double[FACTORS];
        for (int r = 0; r < rows; r++) {
            long base = (long) r * (d + FACTORS + 1);
            labels[r] = r < Math.round(class1 * rows) ? 1 : 0;
            ids[r] = r;
            for (int j = 0; j < FACTORS; j++) {
                z[j] = Rng.gaussian(samples, base + j);
            }
            for (int g = 0; g < d; g++) {
                double v = noise * Rng.gaussian(samples, base + FACTORS + 1 + g) + classEffect * labels[r] * a[g]
                        + (shifted ? shift * u[g] : 0);
                for (int j = 0; j < FACTORS; j++) {
                    v += w[g * FACTORS + j] * z[j];
                }
                x[r * d + g] = (float) v;
            }
        }
        return new Block(rows, d, x, labels, ids);
    }

    /** A d × n matrix (row-major) of N(0, 1) entries, stream part {@code which}. */
    private double[] directions(long stream, int which, int n) {
        long s = Rng.stream(stream, 100 + which);
        double[] m = new double[d * n];
        for (int i = 0; i < m.length; i++) {
            m[i] = Rng.gaussian(s, i);
        }
        return m;
    }

    /** Gene columns g0001, g0002, ... */
    public String[] columns() {
        int width = Math.max(4, Integer.toString(d).length());
        String[] c = new String[d];
        for (int g = 0; g < d; g++) {
            c[g] = String.format("g%0" + width + "d", g + 1);
        }
        return c;
    }

    /** Sample names: ref-0001.. for the reference, shifted-0001.. for the shifted batch (non-numeric ids). */
    public String[] ids(int b) {
        int width = Math.max(4, Integer.toString(rows).length());
        String[] s = new String[rows];
        for (int r = 0; r < rows; r++) {
            s[r] = String.format("%s-%0" + width + "d", b == 0 ? "ref" : "shifted", r + 1);
        }
        return s;
    }
}
