package org.lipflow.discriminator;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RowOps} on the Vector API: a panel of four vectors of the output row (or of a
 * weight-gradient row) stays in registers while the reduction index runs, so each step is one
 * broadcast, four loads and four fused multiply-adds. Loaded only when the jdk.incubator.vector
 * module is present.
 *
 * <p>Zero inputs (ReLU) are multiplied like any other: a data-dependent branch per input costs a
 * misprediction half of the time, several times the four FMAs it would save.
 *
 * <p>Each entry point handles a whole tile, so it is hot and large enough to be compiled as its own
 * root. When it was a small per-row method, C2 inlined it into the network's big forward/backward
 * methods, ran out of inlining budget there, left the vector operations as virtual calls and so
 * fell back to their boxed Java implementations: ~20× slower than scalar code.
 */
final class VectorRowOps extends RowOps {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = S.length();
    private static final int P = 4 * L;

    @Override
    public String name() {
        return "vector256";
    }

    @Override
    public void tileTimesMatrix(float[] in, int inBase, int m, int rows, float[] w, int wOff, int n,
                                float[] bias, int b, float[] out, int outBase) {
        int r = 0;
        if (n == P) {
            // the common hidden width: two rows at once, eight independent FMA chains
            for (; r + 2 <= rows; r += 2) {
                int i = inBase + r * m, o = outBase + r * n;
                rowPairPanel4(in, i, m, w, wOff, bias, b, out, o);
            }
        }
        for (; r < rows; r++) {
            int i = inBase + r * m, o = outBase + r * n;
            if (bias == null) {
                java.util.Arrays.fill(out, o, o + n, 0f);
            } else {
                System.arraycopy(bias, b, out, o, n);
            }
            if (n == 1) {
                out[o] += dot(in, i, w, wOff, m);
                continue;
            }
            int j = 0;
            for (; j + P <= n; j += P) {
                rowPanel4(in, i, m, w, wOff + j, n, out, o + j);
            }
            for (; j + L <= n; j += L) {
                rowPanel1(in, i, m, w, wOff + j, n, out, o + j);
            }
            if (j < n) {
                rowTail(in, i, m, w, wOff + j, n, n - j, out, o + j);
            }
        }
    }

    /** Rows i and i+m of a width-P output: out rows at o and o+P. */
    private static void rowPairPanel4(float[] in, int i, int m, float[] w, int wOff, float[] bias, int b,
                                      float[] out, int o) {
        FloatVector a0, a1, a2, a3;
        if (bias == null) {
            a0 = FloatVector.zero(S);
            a1 = a0;
            a2 = a0;
            a3 = a0;
        } else {
            a0 = FloatVector.fromArray(S, bias, b);
            a1 = FloatVector.fromArray(S, bias, b + L);
            a2 = FloatVector.fromArray(S, bias, b + 2 * L);
            a3 = FloatVector.fromArray(S, bias, b + 3 * L);
        }
        FloatVector c0 = a0, c1 = a1, c2 = a2, c3 = a3;
        int i2 = i + m;
        for (int k = 0; k < m; k++) {
            int wo = wOff + k * P;
            FloatVector w0 = FloatVector.fromArray(S, w, wo);
            FloatVector w1 = FloatVector.fromArray(S, w, wo + L);
            FloatVector w2 = FloatVector.fromArray(S, w, wo + 2 * L);
            FloatVector w3 = FloatVector.fromArray(S, w, wo + 3 * L);
            FloatVector u = FloatVector.broadcast(S, in[i + k]);
            FloatVector v = FloatVector.broadcast(S, in[i2 + k]);
            a0 = w0.fma(u, a0);
            a1 = w1.fma(u, a1);
            a2 = w2.fma(u, a2);
            a3 = w3.fma(u, a3);
            c0 = w0.fma(v, c0);
            c1 = w1.fma(v, c1);
            c2 = w2.fma(v, c2);
            c3 = w3.fma(v, c3);
        }
        a0.intoArray(out, o);
        a1.intoArray(out, o + L);
        a2.intoArray(out, o + 2 * L);
        a3.intoArray(out, o + 3 * L);
        c0.intoArray(out, o + P);
        c1.intoArray(out, o + P + L);
        c2.intoArray(out, o + P + 2 * L);
        c3.intoArray(out, o + P + 3 * L);
    }

    private static void rowPanel4(float[] in, int i, int m, float[] w, int wOff, int n, float[] out, int o) {
        FloatVector a0 = FloatVector.fromArray(S, out, o);
        FloatVector a1 = FloatVector.fromArray(S, out, o + L);
        FloatVector a2 = FloatVector.fromArray(S, out, o + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, out, o + 3 * L);
        for (int k = 0; k < m; k++) {
            float v = in[i + k];
            FloatVector bv = FloatVector.broadcast(S, v);
            int wo = wOff + k * n;
            a0 = FloatVector.fromArray(S, w, wo).fma(bv, a0);
            a1 = FloatVector.fromArray(S, w, wo + L).fma(bv, a1);
            a2 = FloatVector.fromArray(S, w, wo + 2 * L).fma(bv, a2);
            a3 = FloatVector.fromArray(S, w, wo + 3 * L).fma(bv, a3);
        }
        a0.intoArray(out, o);
        a1.intoArray(out, o + L);
        a2.intoArray(out, o + 2 * L);
        a3.intoArray(out, o + 3 * L);
    }

    private static void rowPanel1(float[] in, int i, int m, float[] w, int wOff, int n, float[] out, int o) {
        FloatVector a = FloatVector.fromArray(S, out, o);
        for (int k = 0; k < m; k++) {
            float v = in[i + k];
            a = FloatVector.fromArray(S, w, wOff + k * n).fma(FloatVector.broadcast(S, v), a);
        }
        a.intoArray(out, o);
    }

    private static void rowTail(float[] in, int i, int m, float[] w, int wOff, int n, int width, float[] out, int o) {
        for (int j = 0; j < width; j++) {
            float s = out[o + j];
            for (int k = 0; k < m; k++) {
                s = Math.fma(in[i + k], w[wOff + k * n + j], s);
            }
            out[o + j] = s;
        }
    }

    /** Σ_k a[i+k]·b[j+k], k &lt; m: a single-output layer. */
    private static float dot(float[] a, int i, float[] b, int j, int m) {
        FloatVector acc = FloatVector.zero(S);
        int k = 0;
        for (; k + L <= m; k += L) {
            acc = FloatVector.fromArray(S, a, i + k).fma(FloatVector.fromArray(S, b, j + k), acc);
        }
        float s = acc.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        for (; k < m; k++) {
            s = Math.fma(a[i + k], b[j + k], s);
        }
        return s;
    }

    @Override
    public void accumulateOuter(float[] in, int inBase, int m, float[] d, int n, int rows, float[] g, int gOff) {
        if (n == 1) {
            // g[k] += Σ_r d[r]·in[r][k]: rows of the input scaled by the output delta
            tileTimesMatrixAccumulate(d, rows, in, inBase, m, g, gOff);
            return;
        }
        int k0 = 0;
        if (n == P) {
            for (; k0 + 2 <= m; k0 += 2) {
                outerPairPanel4(in, inBase + k0, m, d, rows, g, gOff + k0 * P);
            }
        }
        for (int k = k0; k < m; k++) {
            int go = gOff + k * n;
            int j = 0;
            for (; j + P <= n; j += P) {
                outerPanel4(in, inBase + k, m, d, j, n, rows, g, go + j);
            }
            for (; j + L <= n; j += L) {
                outerPanel1(in, inBase + k, m, d, j, n, rows, g, go + j);
            }
            if (j < n) {
                outerTail(in, inBase + k, m, d, j, n, rows, g, go + j);
            }
        }
    }

    /** Weight-gradient rows k and k+1 (at go and go+P) of a width-P layer. */
    private static void outerPairPanel4(float[] in, int i, int m, float[] d, int rows, float[] g, int go) {
        FloatVector a0 = FloatVector.fromArray(S, g, go);
        FloatVector a1 = FloatVector.fromArray(S, g, go + L);
        FloatVector a2 = FloatVector.fromArray(S, g, go + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, g, go + 3 * L);
        FloatVector c0 = FloatVector.fromArray(S, g, go + P);
        FloatVector c1 = FloatVector.fromArray(S, g, go + P + L);
        FloatVector c2 = FloatVector.fromArray(S, g, go + P + 2 * L);
        FloatVector c3 = FloatVector.fromArray(S, g, go + P + 3 * L);
        for (int r = 0; r < rows; r++) {
            int o = r * P;
            FloatVector d0 = FloatVector.fromArray(S, d, o);
            FloatVector d1 = FloatVector.fromArray(S, d, o + L);
            FloatVector d2 = FloatVector.fromArray(S, d, o + 2 * L);
            FloatVector d3 = FloatVector.fromArray(S, d, o + 3 * L);
            FloatVector u = FloatVector.broadcast(S, in[i + r * m]);
            FloatVector v = FloatVector.broadcast(S, in[i + r * m + 1]);
            a0 = d0.fma(u, a0);
            a1 = d1.fma(u, a1);
            a2 = d2.fma(u, a2);
            a3 = d3.fma(u, a3);
            c0 = d0.fma(v, c0);
            c1 = d1.fma(v, c1);
            c2 = d2.fma(v, c2);
            c3 = d3.fma(v, c3);
        }
        a0.intoArray(g, go);
        a1.intoArray(g, go + L);
        a2.intoArray(g, go + 2 * L);
        a3.intoArray(g, go + 3 * L);
        c0.intoArray(g, go + P);
        c1.intoArray(g, go + P + L);
        c2.intoArray(g, go + P + 2 * L);
        c3.intoArray(g, go + P + 3 * L);
    }

    private static void outerPanel4(float[] in, int i, int m, float[] d, int dOff, int n, int rows, float[] g, int go) {
        FloatVector a0 = FloatVector.fromArray(S, g, go);
        FloatVector a1 = FloatVector.fromArray(S, g, go + L);
        FloatVector a2 = FloatVector.fromArray(S, g, go + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, g, go + 3 * L);
        for (int r = 0; r < rows; r++) {
            float v = in[i + r * m];
            FloatVector bv = FloatVector.broadcast(S, v);
            int o = dOff + r * n;
            a0 = FloatVector.fromArray(S, d, o).fma(bv, a0);
            a1 = FloatVector.fromArray(S, d, o + L).fma(bv, a1);
            a2 = FloatVector.fromArray(S, d, o + 2 * L).fma(bv, a2);
            a3 = FloatVector.fromArray(S, d, o + 3 * L).fma(bv, a3);
        }
        a0.intoArray(g, go);
        a1.intoArray(g, go + L);
        a2.intoArray(g, go + 2 * L);
        a3.intoArray(g, go + 3 * L);
    }

    private static void outerPanel1(float[] in, int i, int m, float[] d, int dOff, int n, int rows, float[] g, int go) {
        FloatVector a = FloatVector.fromArray(S, g, go);
        for (int r = 0; r < rows; r++) {
            float v = in[i + r * m];
            a = FloatVector.fromArray(S, d, dOff + r * n).fma(FloatVector.broadcast(S, v), a);
        }
        a.intoArray(g, go);
    }

    private static void outerTail(float[] in, int i, int m, float[] d, int dOff, int n, int rows, float[] g, int go) {
        for (int j = 0; dOff + j < n; j++) {
            float s = g[go + j];
            for (int r = 0; r < rows; r++) {
                s = Math.fma(in[i + r * m], d[dOff + j + r * n], s);
            }
            g[go + j] = s;
        }
    }

    /** g[gOff..+m) += Σ_r d[r]·in[inBase + r·m ..+m). */
    private static void tileTimesMatrixAccumulate(float[] d, int rows, float[] in, int inBase, int m, float[] g, int gOff) {
        int k = 0;
        for (; k + P <= m; k += P) {
            FloatVector a0 = FloatVector.fromArray(S, g, gOff + k);
            FloatVector a1 = FloatVector.fromArray(S, g, gOff + k + L);
            FloatVector a2 = FloatVector.fromArray(S, g, gOff + k + 2 * L);
            FloatVector a3 = FloatVector.fromArray(S, g, gOff + k + 3 * L);
            for (int r = 0; r < rows; r++) {
                FloatVector bv = FloatVector.broadcast(S, d[r]);
                int o = inBase + r * m + k;
                a0 = FloatVector.fromArray(S, in, o).fma(bv, a0);
                a1 = FloatVector.fromArray(S, in, o + L).fma(bv, a1);
                a2 = FloatVector.fromArray(S, in, o + 2 * L).fma(bv, a2);
                a3 = FloatVector.fromArray(S, in, o + 3 * L).fma(bv, a3);
            }
            a0.intoArray(g, gOff + k);
            a1.intoArray(g, gOff + k + L);
            a2.intoArray(g, gOff + k + 2 * L);
            a3.intoArray(g, gOff + k + 3 * L);
        }
        for (; k < m; k++) {
            float s = g[gOff + k];
            for (int r = 0; r < rows; r++) {
                s = Math.fma(d[r], in[inBase + r * m + k], s);
            }
            g[gOff + k] = s;
        }
    }

    @Override
    public void accumulateColumnSums(float[] d, int n, int rows, float[] g, int gOff) {
        int j = 0;
        for (; j + L <= n; j += L) {
            FloatVector a = FloatVector.fromArray(S, g, gOff + j);
            for (int r = 0; r < rows; r++) {
                a = a.add(FloatVector.fromArray(S, d, r * n + j));
            }
            a.intoArray(g, gOff + j);
        }
        for (; j < n; j++) {
            float s = g[gOff + j];
            for (int r = 0; r < rows; r++) {
                s += d[r * n + j];
            }
            g[gOff + j] = s;
        }
    }

    @Override
    public void reluMask(float[] z, float[] delta, int count) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (; i + L <= count; i += L) {
            FloatVector zv = FloatVector.fromArray(S, z, i);
            FloatVector dv = FloatVector.fromArray(S, delta, i);
            dv.blend(zero, zv.compare(jdk.incubator.vector.VectorOperators.LE, 0f)).intoArray(delta, i);
        }
        for (; i < count; i++) {
            delta[i] = z[i] > 0f ? delta[i] : 0f;
        }
    }
}
