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
    /**
     * Relative KL weights e^(φ − c) below this are taken as 0: next to the largest weight (1) they
     * are far below float resolution, and their products in the backward pass become subnormal
     * floats, which the CPU multiplies ~15× slower (measured: the pixel network's weight gradients,
     * P ~ N(3, 0.5²) against Q ~ N(0, 1) in 784-D, where φ differs by ~80 between rows).
     */
    static final float EXP_WEIGHT_FLOOR = 1e-20f;

    private final MlpLayout layout;
    private final RowOps ops;
    private final float[][] z;
    private final float[][] a;
    private final float[][] delta;
    /** W_lᵀ of this kernel's own transpositions (allocated on first use). */
    private float[] transposed;
    /** The W_lᵀ the current call's backward pass reads: {@link #transposed} or the caller's. */
    private float[] weightsT;
    private final float[] tileWeights = new float[TILE];
    /** Gradient-penalty workspaces, allocated on first use (see {@link #accumulatePenalizedGradient}). */
    private float[][] unmasked;
    private float[][] deltaBar;
    private float[][] zBar;
    private float[] inputGrad;

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
        accumulateGradient(params, ownTranspose(params, 1), x, labels, from, to, weights, weight, grad, phi);
    }

    /** {@link #accumulateGradient} with W_lᵀ given: {@link #transposeWeights} of params, shared by a pass's chunks. */
    public void accumulateGradient(float[] params, float[] paramsT, float[] x, int[] labels, int from, int to,
                                   float[] weights, float weight, float[] grad, float[] phi) {
        weightsT = paramsT;
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
        accumulateExpWeightedGradient(params, ownTranspose(params, 1), x, labels, from, to, grad, shiftSum);
    }

    /** {@link #accumulateExpWeightedGradient} with W_lᵀ given ({@link #transposeWeights} of params). */
    public void accumulateExpWeightedGradient(float[] params, float[] paramsT, float[] x, int[] labels, int from, int to,
                                              float[] grad, double[] shiftSum) {
        weightsT = paramsT;
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
                    if (f < EXP_WEIGHT_FLOOR) {
                        Arrays.fill(grad, 0f); // what came before is below the float resolution of what follows
                        sum = 0;
                    } else {
                        for (int i = 0; i < grad.length; i++) {
                            grad[i] *= f;
                        }
                        sum *= Math.exp(c - max);
                    }
                }
                c = max;
            }
            for (int r = 0; r < rows; r++) {
                float w = (float) Math.exp(tileWeights[r] - c);
                w = w < EXP_WEIGHT_FLOOR ? 0f : w;
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
        inputGradient(params, ownTranspose(params, 0), x, labels, from, to, out, outBase, phi);
    }

    /** {@link #inputGradient} with W_lᵀ given ({@link #transposeWeights} of params). */
    public void inputGradient(float[] params, float[] paramsT, float[] x, int[] labels, int from, int to, float[] out,
                              int outBase, float[] phi) {
        weightsT = paramsT;
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

    /**
     * The penalised objective's gradient in one forward pass per tile: adds
     * ∇_θ Σ_r [w·φ(x_r, y_r) − c·ψ(‖∇ₓφ(x_r, y_r)‖)] over rows [from, to) to {@code grad}, where
     * ψ is {@link GradientPenalty#psi} with bound L. Returns Σ_r ψ (unscaled); φ of every row goes
     * to {@code phi} when it is not null.
     *
     * <p>The mixed derivative ∂θ‖∇ₓφ‖ by hand ("double backprop"): (1) forward; (2) the backward
     * pass for g = ∇ₓφ, keeping each layer's δ_l and the unmasked u_{l−1} = δ_l W_lᵀ
     * (δ_{l−1} = u_{l−1} ⊙ σ'(z_{l−1})); (3) with ḡ = −c ψ'(‖g‖) g/‖g‖, the reverse of that backward
     * pass from the input upwards: W̄_0 += ḡᵀδ_0, δ̄_0 = ḡ W_0, and for each hidden layer
     * z̄_l = δ̄_l ⊙ u_l ⊙ σ''(z_l), ū_l = δ̄_l ⊙ σ'(z_l), W̄_{l+1} += ū_lᵀδ_{l+1}, δ̄_{l+1} = ū_l W_{l+1};
     * (4) an ordinary backward pass from the output (seed w at the label) down, adding z̄_l to the
     * adjoint of each pre-activation z_l on the way. ReLU and leaky ReLU have σ'' = 0 a.e., so z̄ = 0.
     */
    public double accumulatePenalizedGradient(float[] params, float[] x, int[] labels, int from, int to, float weight,
                                              float penaltyScale, double lipschitz, boolean oneSided, float[] grad,
                                              float[] phi) {
        return accumulatePenalizedGradient(params, ownTranspose(params, 0), x, labels, from, to, weight, penaltyScale,
                lipschitz, oneSided, grad, phi);
    }

    /** {@link #accumulatePenalizedGradient} with W_lᵀ given ({@link #transposeWeights} of params). */
    public double accumulatePenalizedGradient(float[] params, float[] paramsT, float[] x, int[] labels, int from, int to,
                                              float weight, float penaltyScale, double lipschitz, boolean oneSided,
                                              float[] grad, float[] phi) {
        ensurePenaltyWorkspace();
        weightsT = paramsT;
        int layers = layout.layers(), d = layout.inputs(), last = layers - 1;
        Activation act = layout.activation();
        double total = 0;
        for (int t = from; t < to; t += TILE) {
            int rows = Math.min(TILE, to - t);
            forward(params, x, t, rows);
            if (phi != null) {
                readPhi(labels, t, rows, phi, t);
            }
            // (2) g = ∇ₓφ into inputGrad, keeping u_{l−1} before its σ' mask
            seedOutputDelta(labels, t, rows, null, 1f);
            for (int l = last; l >= 0; l--) {
                int nin = layout.in(l), nout = layout.out(l);
                float[] target = l > 0 ? unmasked[l - 1] : inputGrad;
                ops.tileTimesMatrix(delta[l], 0, nout, rows, weightsT, layout.weightOffset(l), nin, null, 0, target, 0);
                if (l > 0) {
                    System.arraycopy(target, 0, delta[l - 1], 0, rows * nin);
                    mask(z[l - 1], delta[l - 1], rows * nin);
                }
            }
            // ḡ_r = −c ψ'(s_r) g_r / s_r, in place (ψ' = 2(s − L), 0 below L when one-sided)
            for (int r = 0, o = 0; r < rows; r++, o += d) {
                double ss = 0;
                for (int k = 0; k < d; k++) {
                    ss += inputGrad[o + k] * (double) inputGrad[o + k];
                }
                double s = Math.sqrt(ss), e = s - lipschitz;
                boolean active = s > 0 && !(oneSided && e <= 0);
                total += GradientPenalty.psi(s, lipschitz, oneSided);
                float coef = active ? (float) (-penaltyScale * 2 * e / s) : 0f;
                for (int k = 0; k < d; k++) {
                    inputGrad[o + k] *= coef;
                }
            }
            // (3) reverse of the backward pass, from the input upwards
            ops.accumulateOuter(inputGrad, 0, d, delta[0], layout.out(0), rows, grad, layout.weightOffset(0));
            for (int l = 0; l < last; l++) {
                int n = layout.out(l), count = rows * n;
                float[] bar = deltaBar[l];
                float[] below = l == 0 ? inputGrad : deltaBar[l - 1];
                ops.tileTimesMatrix(below, 0, layout.in(l), rows, params, layout.weightOffset(l), n, null, 0, bar, 0);
                float[] zb = zBar[l];
                if (act.curved()) {
                    float[] u = unmasked[l];
                    for (int i = 0; i < count; i++) {
                        zb[i] = bar[i] * u[i];
                    }
                    act.curvature(z[l], zb, 0, count);
                } else {
                    Arrays.fill(zb, 0, count, 0f);
                }
                mask(z[l], bar, count);
                ops.accumulateOuter(bar, 0, n, delta[l + 1], layout.out(l + 1), rows, grad, layout.weightOffset(l + 1));
            }
            // (4) backward from the output with seed w, adding z̄_l to each pre-activation's adjoint
            seedOutputDelta(labels, t, rows, null, weight);
            for (int l = last; l >= 0; l--) {
                int nin = layout.in(l), nout = layout.out(l);
                float[] adj = l == last ? delta[last] : zBar[l];
                float[] in = l == 0 ? x : a[l - 1];
                ops.accumulateOuter(in, l == 0 ? t * nin : 0, nin, adj, nout, rows, grad, layout.weightOffset(l));
                ops.accumulateColumnSums(adj, nout, rows, grad, layout.biasOffset(l));
                if (l > 0) {
                    float[] u = unmasked[l - 1];
                    ops.tileTimesMatrix(adj, 0, nout, rows, weightsT, layout.weightOffset(l), nin, null, 0, u, 0);
                    mask(z[l - 1], u, rows * nin);
                    float[] zb = zBar[l - 1];
                    for (int i = 0; i < rows * nin; i++) {
                        zb[i] += u[i];
                    }
                }
            }
        }
        return total;
    }

    /** target[i] *= σ'(z[i]). */
    private void mask(float[] zl, float[] target, int count) {
        if (layout.activation() == Activation.RELU) {
            ops.reluMask(zl, target, count);
        } else {
            layout.activation().backprop(zl, target, 0, count);
        }
    }

    private void ensurePenaltyWorkspace() {
        if (inputGrad != null) {
            return;
        }
        int hiddenLayers = layout.layers() - 1;
        unmasked = new float[hiddenLayers][];
        deltaBar = new float[hiddenLayers][];
        zBar = new float[hiddenLayers][];
        for (int l = 0; l < hiddenLayers; l++) {
            unmasked[l] = new float[TILE * layout.out(l)];
            deltaBar[l] = new float[TILE * layout.out(l)];
            zBar[l] = new float[TILE * layout.out(l)];
        }
        inputGrad = new float[TILE * layout.inputs()];
    }

    /** This kernel's own W_lᵀ of params, layers from {@code firstLayer} on (the backward pass reads no other). */
    private float[] ownTranspose(float[] params, int firstLayer) {
        if (transposed == null) {
            transposed = new float[layout.parameterCount()];
        }
        transpose(layout, params, firstLayer, transposed);
        return transposed;
    }

    /**
     * W_lᵀ of every layer at W_l's offset in {@code into}, for the backward axpy loops. A pass over
     * many chunks transposes once and hands the result to each chunk's call: a wide layer's
     * transposition per chunk had cost 6% of a pixel-size step.
     */
    public static void transposeWeights(MlpLayout layout, float[] params, float[] into) {
        transpose(layout, params, 0, into);
    }

    private static void transpose(MlpLayout layout, float[] params, int firstLayer, float[] transposed) {
        for (int l = firstLayer; l < layout.layers(); l++) {
            int nin = layout.in(l), nout = layout.out(l), off = layout.weightOffset(l);
            // in 16 x 16 blocks: a row-by-row transpose of a 784 x 512 layer writes each cache line 16 times apart
            for (int k0 = 0; k0 < nin; k0 += 16) {
                int k1 = Math.min(nin, k0 + 16);
                for (int j0 = 0; j0 < nout; j0 += 16) {
                    int j1 = Math.min(nout, j0 + 16);
                    for (int k = k0; k < k1; k++) {
                        for (int j = j0; j < j1; j++) {
                            transposed[off + j * nin + k] = params[off + k * nout + j];
                        }
                    }
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
            ops.tileTimesMatrix(dl, 0, nout, rows, weightsT, wOff, nin, null, 0, target, tBase);
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
