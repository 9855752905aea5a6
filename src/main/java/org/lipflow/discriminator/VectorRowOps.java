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
        if (n > P && rows >= 4) {
            blockedTimes(in, inBase, m, rows, w, wOff, n, bias, b, out, outBase);
            return;
        }
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
        if (n > P) {
            blockedOuter(in, inBase, m, d, n, rows, g, gOff);
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

    // ------------------------------------------------------------------ wide layers (n > P)
    //
    // A layer like 784 -> 512 is GEMM-shaped (tile rows x m x n). The per-row panels above stream
    // the whole weight matrix (1.6 MB at 784 x 512) through the cache once per row or row pair; here
    // a 4-row x 2-vector block of the output stays in registers while k runs over a block of KC
    // weight rows (KC x 2 vectors stay in L1 for all rows of the tile), so each weight load feeds
    // four FMAs. Vectors are 256-bit like the rest of this class: with 512-bit ones JDK 17's C2 left
    // these FMAs unintrinsified inside the flow (a boxed vector per FMA, ~3x slower). Every output element is
    // still its bias (or its old value) plus the products in increasing k (or r), each with one
    // fused multiply-add, so the results are bit for bit those of the per-row loops.

    private static final VectorSpecies<Float> WIDE = FloatVector.SPECIES_256;
    private static final int WL = WIDE.length();
    /** Weight rows per block: KC x 2 vectors = 16 KB, within L1 with the 4 input rows. */
    private static final int KC = 256;

    private static void blockedTimes(float[] in, int inBase, int m, int rows, float[] w, int wOff, int n,
                                     float[] bias, int b, float[] out, int outBase) {
        for (int r = 0; r < rows; r++) {
            if (bias == null) {
                java.util.Arrays.fill(out, outBase + r * n, outBase + r * n + n, 0f);
            } else {
                System.arraycopy(bias, b, out, outBase + r * n, n);
            }
        }
        for (int k0 = 0; k0 < m; k0 += KC) {
            int kc = Math.min(KC, m - k0);
            int j = 0;
            for (; j + 2 * WL <= n; j += 2 * WL) {
                int r = 0;
                for (; r + 4 <= rows; r += 4) {
                    times4x2(in, inBase + r * m + k0, m, w, wOff + k0 * n + j, n, kc, out, outBase + r * n + j);
                }
                for (; r < rows; r++) {
                    times1x2(in, inBase + r * m + k0, w, wOff + k0 * n + j, n, kc, out, outBase + r * n + j);
                }
            }
            for (; j + WL <= n; j += WL) {
                for (int r = 0; r < rows; r++) {
                    times1x1(in, inBase + r * m + k0, w, wOff + k0 * n + j, n, kc, out, outBase + r * n + j);
                }
            }
            for (; j < n; j++) {
                for (int r = 0; r < rows; r++) {
                    int i = inBase + r * m + k0, o = outBase + r * n + j;
                    float s = out[o];
                    for (int k = 0; k < kc; k++) {
                        s = Math.fma(in[i + k], w[wOff + (k0 + k) * n + j], s);
                    }
                    out[o] = s;
                }
            }
        }
    }

    /** Output rows o, o+n, o+2n, o+3n (2 vectors each) += input rows i, i+m, i+2m, i+3m (kc values) times kc weight rows. */
    private static void times4x2(float[] in, int i, int m, float[] w, int wo, int n, int kc, float[] out, int o) {
        FloatVector a0 = FloatVector.fromArray(WIDE, out, o), a1 = FloatVector.fromArray(WIDE, out, o + WL);
        FloatVector b0 = FloatVector.fromArray(WIDE, out, o + n), b1 = FloatVector.fromArray(WIDE, out, o + n + WL);
        FloatVector c0 = FloatVector.fromArray(WIDE, out, o + 2 * n), c1 = FloatVector.fromArray(WIDE, out, o + 2 * n + WL);
        FloatVector d0 = FloatVector.fromArray(WIDE, out, o + 3 * n), d1 = FloatVector.fromArray(WIDE, out, o + 3 * n + WL);
        for (int k = 0; k < kc; k++) {
            int wk = wo + k * n;
            FloatVector w0 = FloatVector.fromArray(WIDE, w, wk), w1 = FloatVector.fromArray(WIDE, w, wk + WL);
            FloatVector x = FloatVector.broadcast(WIDE, in[i + k]);
            a0 = w0.fma(x, a0);
            a1 = w1.fma(x, a1);
            x = FloatVector.broadcast(WIDE, in[i + m + k]);
            b0 = w0.fma(x, b0);
            b1 = w1.fma(x, b1);
            x = FloatVector.broadcast(WIDE, in[i + 2 * m + k]);
            c0 = w0.fma(x, c0);
            c1 = w1.fma(x, c1);
            x = FloatVector.broadcast(WIDE, in[i + 3 * m + k]);
            d0 = w0.fma(x, d0);
            d1 = w1.fma(x, d1);
        }
        a0.intoArray(out, o);
        a1.intoArray(out, o + WL);
        b0.intoArray(out, o + n);
        b1.intoArray(out, o + n + WL);
        c0.intoArray(out, o + 2 * n);
        c1.intoArray(out, o + 2 * n + WL);
        d0.intoArray(out, o + 3 * n);
        d1.intoArray(out, o + 3 * n + WL);
    }

    private static void times1x2(float[] in, int i, float[] w, int wo, int n, int kc, float[] out, int o) {
        FloatVector a0 = FloatVector.fromArray(WIDE, out, o), a1 = FloatVector.fromArray(WIDE, out, o + WL);
        for (int k = 0; k < kc; k++) {
            int wk = wo + k * n;
            FloatVector x = FloatVector.broadcast(WIDE, in[i + k]);
            a0 = FloatVector.fromArray(WIDE, w, wk).fma(x, a0);
            a1 = FloatVector.fromArray(WIDE, w, wk + WL).fma(x, a1);
        }
        a0.intoArray(out, o);
        a1.intoArray(out, o + WL);
    }

    private static void times1x1(float[] in, int i, float[] w, int wo, int n, int kc, float[] out, int o) {
        FloatVector a = FloatVector.fromArray(WIDE, out, o);
        for (int k = 0; k < kc; k++) {
            a = FloatVector.fromArray(WIDE, w, wo + k * n).fma(FloatVector.broadcast(WIDE, in[i + k]), a);
        }
        a.intoArray(out, o);
    }

    /**
     * g[k, j] += Σ_r in[r, k]·d[r, j] for a wide layer: a block of 4 gradient rows x 2 vectors stays in
     * registers while r runs over the tile (the tile's 2-vector column of d stays in L1 for all k).
     */
    private static void blockedOuter(float[] in, int inBase, int m, float[] d, int n, int rows, float[] g, int gOff) {
        int j = 0;
        for (; j + 2 * WL <= n; j += 2 * WL) {
            int k = 0;
            for (; k + 4 <= m; k += 4) {
                outer4x2(in, inBase + k, m, d, j, n, rows, g, gOff + k * n + j);
            }
            for (; k < m; k++) {
                outer1x2(in, inBase + k, m, d, j, n, rows, g, gOff + k * n + j);
            }
        }
        for (; j + WL <= n; j += WL) {
            for (int k = 0; k < m; k++) {
                FloatVector a = FloatVector.fromArray(WIDE, g, gOff + k * n + j);
                for (int r = 0; r < rows; r++) {
                    a = FloatVector.fromArray(WIDE, d, r * n + j).fma(FloatVector.broadcast(WIDE, in[inBase + k + r * m]), a);
                }
                a.intoArray(g, gOff + k * n + j);
            }
        }
        for (; j < n; j++) {
            for (int k = 0; k < m; k++) {
                float s = g[gOff + k * n + j];
                for (int r = 0; r < rows; r++) {
                    s = Math.fma(in[inBase + k + r * m], d[r * n + j], s);
                }
                g[gOff + k * n + j] = s;
            }
        }
    }

    /** Gradient rows at go, go+n, go+2n, go+3n (2 vectors each; inputs k..k+3 at i) over the tile's rows. */
    private static void outer4x2(float[] in, int i, int m, float[] d, int j, int n, int rows, float[] g, int go) {
        FloatVector a0 = FloatVector.fromArray(WIDE, g, go), a1 = FloatVector.fromArray(WIDE, g, go + WL);
        FloatVector b0 = FloatVector.fromArray(WIDE, g, go + n), b1 = FloatVector.fromArray(WIDE, g, go + n + WL);
        FloatVector c0 = FloatVector.fromArray(WIDE, g, go + 2 * n), c1 = FloatVector.fromArray(WIDE, g, go + 2 * n + WL);
        FloatVector e0 = FloatVector.fromArray(WIDE, g, go + 3 * n), e1 = FloatVector.fromArray(WIDE, g, go + 3 * n + WL);
        for (int r = 0; r < rows; r++) {
            int dr = r * n + j, ir = i + r * m;
            FloatVector d0 = FloatVector.fromArray(WIDE, d, dr), d1 = FloatVector.fromArray(WIDE, d, dr + WL);
            FloatVector x = FloatVector.broadcast(WIDE, in[ir]);
            a0 = d0.fma(x, a0);
            a1 = d1.fma(x, a1);
            x = FloatVector.broadcast(WIDE, in[ir + 1]);
            b0 = d0.fma(x, b0);
            b1 = d1.fma(x, b1);
            x = FloatVector.broadcast(WIDE, in[ir + 2]);
            c0 = d0.fma(x, c0);
            c1 = d1.fma(x, c1);
            x = FloatVector.broadcast(WIDE, in[ir + 3]);
            e0 = d0.fma(x, e0);
            e1 = d1.fma(x, e1);
        }
        a0.intoArray(g, go);
        a1.intoArray(g, go + WL);
        b0.intoArray(g, go + n);
        b1.intoArray(g, go + n + WL);
        c0.intoArray(g, go + 2 * n);
        c1.intoArray(g, go + 2 * n + WL);
        e0.intoArray(g, go + 3 * n);
        e1.intoArray(g, go + 3 * n + WL);
    }

    private static void outer1x2(float[] in, int i, int m, float[] d, int j, int n, int rows, float[] g, int go) {
        FloatVector a0 = FloatVector.fromArray(WIDE, g, go), a1 = FloatVector.fromArray(WIDE, g, go + WL);
        for (int r = 0; r < rows; r++) {
            FloatVector x = FloatVector.broadcast(WIDE, in[i + r * m]);
            a0 = FloatVector.fromArray(WIDE, d, r * n + j).fma(x, a0);
            a1 = FloatVector.fromArray(WIDE, d, r * n + j + WL).fma(x, a1);
        }
        a0.intoArray(g, go);
        a1.intoArray(g, go + WL);
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
