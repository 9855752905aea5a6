package org.lipflow.flow;

import org.lipflow.discriminator.MlpKernel;
import org.lipflow.discriminator.MlpLayout;

import java.io.Serializable;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A fitted flow as a sequence of velocity fields: the discriminators θ_1..θ_T that moved the
 * particles, each with the time it is applied, and the {@link Integrator} that moved them. The
 * flow is dY/dt = −∇ₓφ_θt(Y), so pushing new points through the stored fields with the fitted
 * integrator's tables transports them as the training particles were transported, without
 * retraining (like a normalizing flow, but the map is the gradient flow of the paper, section 3).
 * The replay does the kernel's arithmetic ({@link FlowKernel#move}) in the same order, so the
 * training's own source replays to its particles to float rounding whatever the integrator.
 *
 * <p>Step n (field j = n − 1) runs table n − 1 of the integrator with θ_j at every stage, except
 * that an integrator that re-trains its stages ({@link Integrator#retrainsStages()}: heun and rk4
 * under flow.integrator-retrain = each-stage) runs stage i ≥ 1 with the field re-trained there,
 * θ_j,i, which the trajectory stores too. A multistep method's previous velocities are kept per
 * row during the replay, as {@link Block#history} keeps them during the fit.
 *
 * <p>A trajectory may keep every {@code stride}-th field only: field j then stands for the
 * {@code stride} steps it starts, and is applied for τ_j = Δt·(steps it stands for) by forward
 * Euler, a coarser scheme of the same flow (whatever the fitted integrator: merged steps have no
 * stage fields and no equal spacing for a multistep method). Plain arrays, so it serialises for
 * broadcasts and is written as Parquet rows by the ML model.
 */
public final class FlowTrajectory implements Serializable {
    private static final long serialVersionUID = 2L;

    /** Rows transported at a time: the kernel's workspace stays in cache, no per-row allocation. */
    static final int CHUNK = FlowKernel.CHUNK;

    private final MlpLayout layout;
    private final Integrator integrator;
    private final int[] steps;
    private final double[] times;
    private final float[][] params;
    /** θ_j,i for i ≥ 1 at [j][i − 1] when the integrator re-trains its stages, else null. */
    private final float[][][] stageParams;

    /**
     * A trajectory replayed with forward Euler.
     *
     * @param layout the discriminator's layout (d inputs, K outputs)
     * @param steps  the first outer step each field stands for, increasing from 1
     * @param times  τ_j, the time each field is applied (Δt times the steps it stands for)
     * @param params θ_j, each {@link MlpLayout#parameterCount()} long
     */
    public FlowTrajectory(MlpLayout layout, int[] steps, double[] times, float[][] params) {
        this(layout, Integrator.EULER, steps, times, params, null);
    }

    /**
     * A trajectory replayed with {@code integrator}: unless that is euler, every step's field in
     * order (steps 1, 2, ..., T: stride 1).
     *
     * @param stageParams when the integrator re-trains its stages, [j][i − 1] = θ_j,i, the field stage
     *                    i ≥ 1 of step j ran with; else null
     */
    public FlowTrajectory(MlpLayout layout, Integrator integrator, int[] steps, double[] times, float[][] params,
                          float[][][] stageParams) {
        if (steps.length != times.length || steps.length != params.length) {
            throw new IllegalArgumentException("trajectory has " + steps.length + " steps, " + times.length + " times and "
                    + params.length + " fields");
        }
        for (int j = 0; j < params.length; j++) {
            requireField(layout, params[j], "trajectory field " + j);
            if (!(times[j] > 0) || Double.isInfinite(times[j])) {
                throw new IllegalArgumentException("trajectory field " + j + " has time " + times[j] + ", expected > 0 and finite");
            }
            if (!euler(integrator) && steps[j] != j + 1) {
                throw new IllegalArgumentException("trajectory field " + j + " stands for step " + steps[j] + ": a trajectory "
                        + "replayed with flow.integrator = " + integrator.name() + " needs every step's field in order (stride 1)");
            }
        }
        if (integrator.retrainsStages() != (stageParams != null)) {
            throw new IllegalArgumentException("a trajectory replayed with flow.integrator = " + integrator.name() + " and "
                    + "flow.integrator-retrain = " + integrator.retrain().key() + (integrator.retrainsStages()
                    ? " needs the fields its stages re-trained" : " has no re-trained stage fields"));
        }
        if (stageParams != null) {
            if (stageParams.length != params.length) {
                throw new IllegalArgumentException("trajectory has " + params.length + " fields and stage fields of "
                        + stageParams.length + " steps");
            }
            for (int j = 0; j < params.length; j++) {
                int stages = integrator.table(j).stages();
                if (stageParams[j].length != stages - 1) {
                    throw new IllegalArgumentException("trajectory field " + j + " has " + stageParams[j].length + " stage fields, "
                            + integrator.name() + " re-trains " + (stages - 1));
                }
                for (int i = 0; i < stageParams[j].length; i++) {
                    requireField(layout, stageParams[j][i], "trajectory field " + j + " stage " + (i + 1));
                }
            }
        }
        this.layout = layout;
        this.integrator = integrator;
        this.steps = steps.clone();
        this.times = times.clone();
        this.params = params;
        this.stageParams = stageParams;
    }

    private static void requireField(MlpLayout layout, float[] theta, String what) {
        if (theta.length != layout.parameterCount()) {
            throw new IllegalArgumentException(what + " has " + theta.length + " parameters, the layout " + layout + " needs "
                    + layout.parameterCount());
        }
    }

    private static boolean euler(Integrator i) {
        return i.name().equals(Integrator.EULER.name());
    }

    /**
     * Every {@code stride}-th of the fields θ_1..θ_T of a flow with step Δt: θ_1, θ_(1+s), ...;
     * each applied for Δt times the steps it stands for (the last may stand for fewer); forward Euler.
     */
    public static FlowTrajectory of(MlpLayout layout, List<float[]> fields, double dt, int stride) {
        return of(layout, Integrator.EULER, fields, null, dt, stride);
    }

    /**
     * The flow of fields θ_1..θ_T moved by {@code integrator} with step Δt (with stage fields
     * θ_j,1.. when it re-trains its stages, else null); at stride 1 replayed with that
     * integrator, at a larger stride coarsened ({@link #coarsened}).
     */
    public static FlowTrajectory of(MlpLayout layout, Integrator integrator, List<float[]> fields, List<float[][]> stageFields,
                                    double dt, int stride) {
        FlowTrajectory every = new FlowTrajectory(layout, integrator, range(fields.size()), filled(fields.size(), dt),
                fields.toArray(new float[0][]), stageFields == null ? null : stageFields.toArray(new float[0][][]));
        return every.coarsened(stride);
    }

    /**
     * This trajectory with every {@code stride} consecutive fields merged into their first, times
     * added, replayed by forward Euler; stride 1 is this trajectory as it is.
     */
    public FlowTrajectory coarsened(int stride) {
        if (stride < 1) {
            throw new IllegalArgumentException("trajectory stride must be >= 1, got " + stride);
        }
        if (stride == 1) {
            return this;
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

    /** The scheme {@link #transport} replays the fields with (the fitted one, or euler for a coarsened trajectory). */
    public Integrator integrator() {
        return integrator;
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

    /** θ_j, the field step j starts with (its first stage's). */
    public float[] params(int j) {
        return params[j];
    }

    /** θ_j,1.. the fields the later stages of step j re-trained (empty unless the integrator re-trains its stages). */
    public float[][] stageParams(int j) {
        return stageParams == null ? new float[0][] : stageParams[j];
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
        Stepper stepper = new Stepper(layout, integrator, Math.min(CHUNK, Math.max(1, b.rows)));
        for (int from = 0; from < b.rows; from += CHUNK) {
            int to = Math.min(b.rows, from + CHUNK);
            for (int j = 0; j < params.length; j++) { // a chunk through every step: its rows and velocities stay in cache
                int field = j;
                stepper.step(j + 1, times[j], params[j], b.x, labels, from, to,
                        i -> stageParams == null ? params[field] : stageParams[field][i - 1]);
            }
        }
    }

    /** The field that stage i ≥ 1 of a step re-trains, at the stage's positions (in the block's rows when it is called). */
    @FunctionalInterface
    public interface StageTraining {
        float[] train(int stage);
    }

    /**
     * Step n of an integrator that re-trains its stages, on all rows of {@code b} in place, as the
     * fit ran it: stage 0 with θ_n, stage i ≥ 1 with the field {@code training} returns once b's
     * rows hold the stage's positions. Returns θ_n,1.., the stage fields a trajectory of the flow
     * stores ({@code ml.ParticleFlow} re-traces a fit with it: the engines keep them inside their step).
     */
    public static float[][] retrace(MlpLayout layout, Integrator integrator, int n, double dt, float[] theta, Block b,
                                    StageTraining training) {
        if (!integrator.retrainsStages()) {
            throw new IllegalArgumentException("flow.integrator = " + integrator.name() + " with flow.integrator-retrain = "
                    + integrator.retrain().key() + " re-trains no stage");
        }
        float[][] trained = new float[integrator.table(n - 1).stages() - 1][];
        new Stepper(layout, integrator, Math.max(1, b.rows)).step(n, dt, theta, b.x, layout.outputs() > 1 ? b.labels : null,
                0, b.rows, i -> trained[i - 1] = training.train(i));
        return trained;
    }

    /**
     * One step of an integrator's table on rows [from, to): FlowKernel's stage positions and step
     * end in the same float operations, so a replay reproduces the fit's rounding. Workspaces for
     * a chunk of rows: its stages' velocities, the step's start and the previous steps' velocities.
     */
    private static final class Stepper {
        private final MlpKernel kernel;
        private final Integrator integrator;
        private final int d;
        private final float[][] k;
        private final float[] base;
        /** Slot n mod h holds the k₀ of step n, as {@link Block#history} does. */
        private final float[][] history;

        Stepper(MlpLayout layout, Integrator integrator, int rows) {
            this.kernel = new MlpKernel(layout);
            this.integrator = integrator;
            this.d = layout.inputs();
            this.k = new float[integrator.maxStages()][rows * d];
            this.base = new float[integrator.maxStages() > 1 ? rows * d : 0];
            this.history = new float[integrator.history()][rows * d];
        }

        /** Step n ≥ 1 with field θ at stage 0 and {@code stageField.apply(i)} at stage i ≥ 1. */
        void step(int n, double time, float[] theta, float[] x, int[] labels, int from, int to, IntFunction<float[]> stageField) {
            Integrator.Table t = integrator.table(n - 1);
            float dt = (float) time;
            int off = from * d, len = (to - from) * d, slots = history.length;
            for (int i = 0; i < t.stages; i++) {
                if (i == 0) {
                    if (t.stages > 1) {
                        System.arraycopy(x, off, base, 0, len);
                    }
                } else {
                    float[] c = t.negA[i]; // Y_n,i = Y_n − Δt Σ_j a_ij k_j
                    for (int o = 0; o < len; o++) {
                        float acc = c[0] * k[0][o];
                        for (int j = 1; j < i; j++) {
                            acc += c[j] * k[j][o];
                        }
                        x[off + o] = base[o] + dt * acc;
                    }
                }
                kernel.inputGradient(i == 0 ? theta : stageField.apply(i), x, labels, from, to, k[i], 0, null);
            }
            float[] last = t.last, negBeta = t.negBeta;
            for (int o = 0; o < len; o++) {
                float acc = last[0] * k[0][o]; // Y_n+1 = Y_n,s−1 + Δt Σ_j (a_s−1,j − b_j) k_j − Δt Σ_j β_j h_j
                for (int j = 1; j < t.stages; j++) {
                    acc += last[j] * k[j][o];
                }
                for (int j = 0; j < t.history(); j++) {
                    acc += negBeta[j] * history[(n - 1 - j) % slots][o]; // h_j+1: the k₀ of step n − j − 1
                }
                x[off + o] += dt * acc;
                if (slots > 0) {
                    history[n % slots][o] = k[0][o];
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
