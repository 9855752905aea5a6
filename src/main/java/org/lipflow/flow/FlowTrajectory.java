package org.lipflow.flow;

import org.lipflow.discriminator.MlpKernel;
import org.lipflow.discriminator.MlpLayout;

import java.io.Serializable;
import java.util.List;

/**
 * A fitted flow as a sequence of velocity fields: the discriminators θ_1..θ_T that moved the
 * particles, each with the time it is applied. The flow is dY/dt = −∇ₓφ_θt(Y), so pushing new
 * points through the stored fields with forward Euler, Y ← Y − τ_j ∇ₓφ_θj(Y), transports them
 * as the training particles were transported, without retraining (like a normalizing flow, but
 * the map is the gradient flow of the paper, section 3).
 *
 * <p>A trajectory may keep every {@code stride}-th field only: field j then stands for the
 * {@code stride} steps it starts, and is applied for τ_j = Δt·(steps it stands for), a coarser
 * Euler scheme of the same flow. Plain arrays, so it serialises for broadcasts and is written
 * as Parquet rows by the ML model.
 */
public final class FlowTrajectory implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Rows transported at a time: the kernel's workspace stays in cache, no per-row allocation. */
    static final int CHUNK = FlowKernel.CHUNK;

    private final MlpLayout layout;
    private final int[] steps;
    private final double[] times;
    private final float[][] params;

    /**
     * @param layout the discriminator's layout (d inputs, K outputs)
     * @param steps  the first outer step each field stands for, increasing from 1
     * @param times  τ_j, the time each field is applied (Δt times the steps it stands for)
     * @param params θ_j, each {@link MlpLayout#parameterCount()} long
     */
    public FlowTrajectory(MlpLayout layout, int[] steps, double[] times, float[][] params) {
        if (steps.length != times.length || steps.length != params.length) {
            throw new IllegalArgumentException("trajectory has " + steps.length + " steps, " + times.length + " times and "
                    + params.length + " fields");
        }
        for (int j = 0; j < params.length; j++) {
            if (params[j].length != layout.parameterCount()) {
                throw new IllegalArgumentException("trajectory field " + j + " has " + params[j].length + " parameters, the layout "
                        + layout + " needs " + layout.parameterCount());
            }
            if (!(times[j] > 0) || Double.isInfinite(times[j])) {
                throw new IllegalArgumentException("trajectory field " + j + " has time " + times[j] + ", expected > 0 and finite");
            }
        }
        this.layout = layout;
        this.steps = steps.clone();
        this.times = times.clone();
        this.params = params;
    }

    /**
     * Every {@code stride}-th of the fields θ_1..θ_T of a flow with step Δt: θ_1, θ_(1+s), ...;
     * each applied for Δt times the steps it stands for (the last may stand for fewer).
     */
    public static FlowTrajectory of(MlpLayout layout, List<float[]> fields, double dt, int stride) {
        FlowTrajectory every = new FlowTrajectory(layout, range(fields.size()), filled(fields.size(), dt),
                fields.toArray(new float[0][]));
        return every.coarsened(stride);
    }

    /** This trajectory with every {@code stride} consecutive fields merged into their first, times added. */
    public FlowTrajectory coarsened(int stride) {
        if (stride < 1) {
            throw new IllegalArgumentException("trajectory stride must be >= 1, got " + stride);
        }
        int n = (params.length + stride - 1) / stride;
        int[] s = new int[n];
        double[] t = new double[n];
        float[][] p = new float[n][];
        for (int j = 0; j < n; j++) {
            s[j] = steps[j * stride];
            p[j] = params[j * stride];
            for (int i = j * stride; i < Math.min(params.length, (j + 1) * stride); i++) {
                t[j] += times[i];
            }
        }
        return new FlowTrajectory(layout, s, t, p);
    }

    public MlpLayout layout() {
        return layout;
    }

    /** The number of stored fields. */
    public int fields() {
        return params.length;
    }

    public int step(int j) {
        return steps[j];
    }

    public double time(int j) {
        return times[j];
    }

    public float[] params(int j) {
        return params[j];
    }

    /**
     * Moves the block's rows in place through every field in order (labels select each row's
     * output for a conditional flow). One kernel workspace per call: call it once per block from
     * each thread.
     */
    public void transport(Block b) {
        if (b.dimension != layout.inputs()) {
            throw new IllegalArgumentException("rows have " + b.dimension + " columns, the flow was fitted on " + layout.inputs());
        }
        if (layout.outputs() > 1 && b.labels == null) {
            throw new IllegalArgumentException("the flow is conditional (" + layout.outputs() + " classes): rows need labels");
        }
        int[] labels = layout.outputs() > 1 ? b.labels : null;
        if (labels != null) {
            for (int i = 0; i < b.rows; i++) {
                if (labels[i] < 0 || labels[i] >= layout.outputs()) {
                    throw new IllegalArgumentException("label " + labels[i] + " (row " + (i + 1) + ") is not a class of the flow, "
                            + "which has labels 0.." + (layout.outputs() - 1));
                }
            }
        }
        MlpKernel kernel = new MlpKernel(layout);
        int d = b.dimension;
        float[] velocity = new float[Math.min(CHUNK, Math.max(1, b.rows)) * d];
        for (int from = 0; from < b.rows; from += CHUNK) {
            int to = Math.min(b.rows, from + CHUNK);
            for (int j = 0; j < params.length; j++) {
                kernel.inputGradient(params[j], b.x, labels, from, to, velocity, 0, null);
                float tau = (float) times[j];
                for (int i = 0, o = from * d; i < (to - from) * d; i++, o++) {
                    b.x[o] -= tau * velocity[i]; // Y ← Y − τ_j ∇φ_θj(Y)
                }
            }
        }
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i + 1;
        }
        return r;
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
