package org.lipflow.discriminator;

/**
 * The three loops the discriminator spends its time in, over row-major float arrays. Two
 * implementations: {@link VectorRowOps} (jdk.incubator.vector, register-blocked, used when the
 * JVM was started with {@code --add-modules jdk.incubator.vector}) and this scalar one, which the
 * JIT auto-vectorises less well. Both compute the same sums in the same order of k, so they agree
 * to float rounding.
 */
public class RowOps {

    /** The fastest implementation this JVM supports. */
    public static final RowOps BEST = load();

    private static RowOps load() {
        boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                && !Boolean.getBoolean("lipflow.scalar");
        if (vector) {
            try {
                return (RowOps) Class.forName("org.lipflow.discriminator.VectorRowOps").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                return new RowOps();
            }
        }
        return new RowOps();
    }

    public String name() {
        return "scalar";
    }

    /**
     * For each row r &lt; rows: out[o_r..o_r+n) = (bias == null ? 0 : bias[b..b+n)) + Σ_k in[i_r+k]·W[w + k·n ..+n)
     * over k &lt; m, where i_r = inBase + r·m and o_r = outBase + r·n. Zero inputs (ReLU) are skipped.
     * A whole tile per call: the vector implementation must be a compilation root of its own
     * (inlined into large callers, C2 runs out of inlining budget and stops intrinsifying it).
     */
    public void tileTimesMatrix(float[] in, int inBase, int m, int rows, float[] w, int wOff, int n,
                                float[] bias, int b, float[] out, int outBase) {
        for (int r = 0; r < rows; r++) {
            int i = inBase + r * m, o = outBase + r * n;
            if (bias == null) {
                java.util.Arrays.fill(out, o, o + n, 0f);
            } else {
                System.arraycopy(bias, b, out, o, n);
            }
            for (int k = 0; k < m; k++) {
                float v = in[i + k];
                if (v != 0f) {
                    int wo = wOff + k * n;
                    for (int j = 0; j < n; j++) {
                        out[o + j] += v * w[wo + j];
                    }
                }
            }
        }
    }

    /** g[gOff + k·n + j] += Σ_r in[r·m + k]·d[r·n + j] over rows r &lt; rows (in and d tiles start at 0). */
    public void accumulateOuter(float[] in, int inBase, int m, float[] d, int n, int rows, float[] g, int gOff) {
        for (int r = 0; r < rows; r++) {
            int io = inBase + r * m, dOff = r * n;
            for (int k = 0; k < m; k++) {
                float v = in[io + k];
                if (v != 0f) {
                    int go = gOff + k * n;
                    for (int j = 0; j < n; j++) {
                        g[go + j] += v * d[dOff + j];
                    }
                }
            }
        }
    }

    /** g[gOff + j] += Σ_r d[r·n + j]: the bias gradient of a tile. */
    public void accumulateColumnSums(float[] d, int n, int rows, float[] g, int gOff) {
        for (int r = 0; r < rows; r++) {
            int o = r * n;
            for (int j = 0; j < n; j++) {
                g[gOff + j] += d[o + j];
            }
        }
    }

    /** delta[i] = z[i] &gt; 0 ? delta[i] : 0 for i &lt; count: ReLU's backward pass. */
    public void reluMask(float[] z, float[] delta, int count) {
        for (int i = 0; i < count; i++) {
            delta[i] = z[i] > 0f ? delta[i] : 0f;
        }
    }
}
