package org.lipflow.discriminator;

import java.util.Arrays;

/**
 * Forward and backward passes of the discriminator over a block of rows, one tile of
 * {@link #TILE} rows at a time so that all intermediate activations stay in cache. This is the
 * hot path: plain Java loops whose innermost loop runs over a contiguous layer width, which the
 * JIT vectorises. An instance is a per-thread workspace (not thread-safe); it allocates nothing
 * after construction.
 *
 * <p>Weight gradients are accumulated into a caller-owned buffer with the flat layout of
 * {@link MlpLayout}. Rows carry an optional class label y; for K outputs φ(x, y) = output_y(x).
 */
public final class MlpKernel {
    public static final int TILE = 128;

    private final MlpLayout layout;
    private final RowOps ops;
    private final float[][] z;
    private final float[][] a;
    private final float[][] delta;
    private final float[] transposed;
    private final float[] tileWeights = new float[TILE];

    public MlpKernel(MlpLayout layout) {
        this(layout, RowOps.BEST);
    }

    /** With a given implementation of the row loops (tests compare them). */
    public MlpKernel(MlpLayout layout, RowOps ops) {
        this.layout = layout;
        this.ops = ops;
        int layers = layout.layers();
        z = new float[layers][];
        a = new float[layers][];
        delta = new float[layers][];
        for (int l = 0; l < layers; l++) {
            z[l] = new float[TILE * layout.out(l)];
            a[l] = new float[TILE * layout.out(l)];
            delta[l] = new float[TILE * Math.max(layout.out(l), layout.in(l))];
        }
        transposed = new float[layout.parameterCount()];
    }

    public MlpLayout layout() {
        return layout;
    }

    /** φ(x_r, y_r) for rows [from, to) of x (row-major, d columns) into phi[from..to). */
    public void values(float[] params, float[] x, int[] labels, int from, int to, float[] phi) {
        for (int t = from; t < to; t += TILE) {
            int rows = Math.min(TILE, to - t);
            forward(params, x, t, rows);
            readPhi(labels, t, rows, phi, t);
        }
    }

    /**
     * Adds Σ_r w_r ∇_θ φ(x_r, y_r) over rows [from, to) to {@code grad}. The row weight is
     * {@code weights[r]} or, when weights is null, the constant {@code weight}. φ of every row is
     * written to {@code phi} when it is not null.
     */
    public void accumulateGradient(float[] params, float[] x, int[] labels, int from, int to,
                                   float[] weights, float weight, float[] grad, float[] phi) {
        transpose(params, 1);
        for (int t = from; t < to; t += TILE) {
            int rows = Math.min(TILE, to - t);
            forward(params, x, t, rows);
            if (phi != null) {
                readPhi(labels, t, rows, phi, t);
            }
            seedOutputDelta(labels, t, rows, weights, weight);
            backward(params, x, t, rows, grad, null, 0);
        }
    }

    /**
     * The KL target gradient in one pass: adds Σ_r e^(φ_r − c)·∇_θφ(x_r, y_r) over rows [from, to)
     * to {@code grad}, where c is the running maximum of φ (grad and the sum are rescaled when it
     * grows, so nothing overflows). On return shiftSum = {c, Σ_r e^(φ_r − c)}. The softmax weights
     * −e^(φ_j − ν*)/N differ from these by one positive factor for all rows, applied by the caller
     * after all chunks are merged: no separate pass to find ν* first.
     */
    public void accumulateExpWeightedGradient(float[] params, float[] x, int[] labels, int from, int to,
                                              float[] grad, double[] shiftSum) {
        transpose(params, 1);
        double c = Double.NEGATIVE_INFINITY, sum = 0;
        for (int t = from; t < to; t += TILE) {
            int rows = Math.min(TILE, to - t);
            forward(params, x, t, rows);
            readPhi(labels, t, rows, tileWeights, 0);
            float max = Float.NEGATIVE_INFINITY;
            for (int r = 0; r < rows; r++) {
                max = Math.max(max, tileWeights[r]);
            }
            if (!(max < Float.POSITIVE_INFINITY)) {
                c = Double.NaN; // NaN or +inf φ: let the caller see a non-finite H
                break;
            }
            if (max > c) {
                if (sum > 0) {
                    float f = (float) Math.exp(c - max);
                    for (int i = 0; i < grad.length; i++) {
                        grad[i] *= f;
                    }
                    sum *= Math.exp(c - max);
                }
                c = max;
            }
            for (int r = 0; r < rows; r++) {
                float w = (float) Math.exp(tileWeights[r] - c);
                tileWeights[r] = w;
                sum += w;
            }
            seedOutputDelta(labels, t, rows, tileWeights, 0f, 0);
            backward(params, x, t, rows, grad, null, 0);
        }
        shiftSum[0] = c;
        shiftSum[1] = sum;
    }

    /**
     * ∇_x φ(x_r, y_r) for rows [from, to) into {@code out}, row r at {@code outBase + (r − from)·d}.
     * φ values are written to {@code phi} when it is not null.
     */
    public void inputGradient(float[] params, float[] x, int[] labels, int from, int to, float[] out, int outBase,
                              float[] phi) {
        transpose(params, 0);
        for (int t = from; t < to; t += TILE) {
            int rows = Math.min(TILE, to - t);
            forward(params, x, t, rows);
            if (phi != null) {
                readPhi(labels, t, rows, phi, t);
            }
            seedOutputDelta(labels, t, rows, null, 1f);
            backward(params, x, t, rows, null, out, outBase + (t - from) * layout.inputs());
        }
    }

    /** W_l^T of every layer from {@code firstLayer} on, at W_l's offset, for the backward axpy loops. */
    private void transpose(float[] params, int firstLayer) {
        for (int l = firstLayer; l < layout.layers(); l++) {
            int nin = layout.in(l), nout = layout.out(l), off = layout.weightOffset(l);
            for (int k = 0; k < nin; k++) {
                for (int j = 0; j < nout; j++) {
                    transposed[off + j * nin + k] = params[off + k * nout + j];
                }
            }
        }
    }

    private void forward(float[] params, float[] x, int row0, int rows) {
        int layers = layout.layers();
        for (int l = 0; l < layers; l++) {
            int nin = layout.in(l), nout = layout.out(l);
            int wOff = layout.weightOffset(l), bOff = layout.biasOffset(l);
            float[] in = l == 0 ? x : a[l - 1];
            int inBase = l == 0 ? row0 * nin : 0;
            float[] zl = z[l];
            ops.tileTimesMatrix(in, inBase, nin, rows, params, wOff, nout, params, bOff, zl, 0);
            if (l < layers - 1) {
                layout.activation().apply(zl, a[l], 0, rows * nout);
            }
        }
    }

    private void readPhi(int[] labels, int row0, int rows, float[] phi, int phiOff) {
        int k = layout.outputs();
        float[] out = z[layout.layers() - 1];
        for (int r = 0; r < rows; r++) {
            phi[phiOff + r] = out[r * k + (labels == null ? 0 : labels[row0 + r])];
        }
    }

    private void seedOutputDelta(int[] labels, int row0, int rows, float[] weights, float weight) {
        seedOutputDelta(labels, row0, rows, weights, weight, row0);
    }

    /** Output deltas of a tile: weights[weightOff + r] (or the constant weight) at each row's label. */
    private void seedOutputDelta(int[] labels, int row0, int rows, float[] weights, float weight, int weightOff) {
        int k = layout.outputs();
        float[] d = delta[layout.layers() - 1];
        if (k > 1) {
            Arrays.fill(d, 0, rows * k, 0f);
        }
        for (int r = 0; r < rows; r++) {
            d[r * k + (labels == null ? 0 : labels[row0 + r])] = weights == null ? weight : weights[weightOff + r];
        }
    }

    /**
     * Back-propagates the output deltas of a forwarded tile. Accumulates weight gradients into
     * grad when it is not null; writes ∂/∂x into dx (at dxOff) when it is not null.
     */
    private void backward(float[] params, float[] x, int row0, int rows, float[] grad, float[] dx, int dxOff) {
        for (int l = layout.layers() - 1; l >= 0; l--) {
            int nin = layout.in(l), nout = layout.out(l);
            int wOff = layout.weightOffset(l), bOff = layout.biasOffset(l);
            float[] dl = delta[l];
            float[] in = l == 0 ? x : a[l - 1];
            int inBase = l == 0 ? row0 * nin : 0;
            if (grad != null) {
                ops.accumulateOuter(in, inBase, nin, dl, nout, rows, grad, wOff);
                ops.accumulateColumnSums(dl, nout, rows, grad, bOff);
            }
            if (l == 0 && dx == null) {
                break;
            }
            float[] target = l > 0 ? delta[l - 1] : dx;
            int tBase = l > 0 ? 0 : dxOff;
            ops.tileTimesMatrix(dl, 0, nout, rows, transposed, wOff, nin, null, 0, target, tBase);
            if (l > 0) {
                if (layout.activation() == Activation.RELU) {
                    ops.reluMask(z[l - 1], target, rows * nin);
                } else {
                    layout.activation().backprop(z[l - 1], target, 0, rows * nin);
                }
            }
        }
    }
}
