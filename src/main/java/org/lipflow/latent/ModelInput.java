package org.lipflow.latent;

/**
 * Rows as an autoencoder's network sees them: (x − shift) / scale per column, and for conv
 * networks of several channels in channel-major order (DL4J's [c, h, w], where rows are [h, w, c]).
 */
public final class ModelInput {
    private ModelInput() {
    }

    /**
     * Rows {@code from .. from+n} of the row-major {@code x} (d columns) scaled, reordered when
     * {@code channels > 1}.
     */
    public static float[] rows(float[] x, int from, int n, int d, double[] shift, double[] scale, int channels) {
        float[] out = new float[n * d];
        int base = from * d;
        for (int i = 0; i < n * d; i++) {
            int j = i % d;
            out[i] = (float) ((x[base + i] - shift[j]) / scale[j]);
        }
        return channels > 1 ? toChannelMajor(out, n, d, channels) : out;
    }

    /** Rows of [h, w, c] values as rows of [c, h, w] values. */
    static float[] toChannelMajor(float[] rows, int n, int d, int c) {
        int hw = d / c;
        float[] out = new float[rows.length];
        for (int r = 0; r < n; r++) {
            for (int p = 0; p < hw; p++) {
                for (int ch = 0; ch < c; ch++) {
                    out[r * d + ch * hw + p] = rows[r * d + p * c + ch];
                }
            }
        }
        return out;
    }

    /** The inverse of {@link #toChannelMajor}. */
    static float[] fromChannelMajor(float[] rows, int n, int d, int c) {
        int hw = d / c;
        float[] out = new float[rows.length];
        for (int r = 0; r < n; r++) {
            for (int p = 0; p < hw; p++) {
                for (int ch = 0; ch < c; ch++) {
                    out[r * d + p * c + ch] = rows[r * d + ch * hw + p];
                }
            }
        }
        return out;
    }

    /** The channel count a conv model reorders by (1: no reordering). */
    public static int channels(String type, int[] shape) {
        return type.equals("conv") && shape.length == 3 ? shape[2] : 1;
    }
}
