package org.lipflow.flow;

import org.lipflow.discriminator.Adam;
import org.lipflow.discriminator.LipschitzConstraint;
import org.lipflow.discriminator.MlpKernel;
import org.lipflow.discriminator.MlpLayout;
import org.lipflow.divergence.FDivergence;
import org.lipflow.divergence.KlDivergence;
import org.lipflow.util.ChunkPool;

import java.util.Arrays;

/**
 * The shard-agnostic math of one outer step on one shard of particles against the target:
 * train the discriminator (k Adam ascent steps on H, each followed by the Lipschitz constraint)
 * and move the particles along −∇ₓφ. The in-process engine runs it on the whole ensemble, the
 * Spark engine on each partition; neither the kernel nor its callers care which.
 *
 * <p>Rows are processed in fixed chunks of at most {@link #CHUNK} rows ({@link RowChunks}: fewer
 * for wide networks); each chunk's partial sums are kept apart and combined in chunk order, so
 * results do not depend on the number of threads.
 * Holds its pass buffers: one instance per thread of control (e.g. per Spark task); the per-chunk
 * workspaces belong to the threads that run the chunks ({@link #WORKSPACE}).
 */
public final class FlowKernel {
    public static final int CHUNK = 16 * MlpKernel.TILE;

    private final FlowOptions options;
    private final FlowOptions.Training training;
    private final LipschitzConstraint constraint;
    private final MlpLayout layout;
    private final RowChunks chunking;
    private final FDivergence divergence;
    private final Block target;
    private final ChunkPool pool;
    private final float[] grad;
    /** W_lᵀ of the parameters of the pass under way ({@link MlpKernel#transposeWeights}), read by every chunk. */
    private final float[] paramsT;
    /** Σ of {@link #grad} as {@link #reduceChunks} formed it: non-finite iff some component is. */
    private double gradientSum;
    private float[][] chunkGrad = new float[0][];
    private float[] phiP = new float[0];
    private float[] phiQ = new float[0];
    private float[] weightsQ = new float[0];
    private double[] chunkSum = new double[0];
    private double[][] shiftSum = new double[0][];
    private double[] chunkMax = new double[0];
    private double[] chunkDistance = new double[0];
    private double[] chunkPenalty = new double[0];
    /** E_P[ψ(‖∇ₓφ‖)] at the last discriminator step's particles (0 unless the bound is a gradient penalty). */
    private double penalty;
    /** mean(Q): the particles' spread is measured from it (the blow-up guard's monitor). */
    private final float[] center;
    /**
     * The kernel workspace of the thread that runs a chunk (forward and backward tiles, a chunk's
     * velocities). Workspaces belong to threads, not to kernels: a thread runs one chunk at a time,
     * and the tasks of an executor that share its kernel threads ({@link ChunkPool#shared}) would
     * otherwise each hold one per core (cores² per executor; ~8 MB each for the pixel network).
     */
    private static final ThreadLocal<Workspace> WORKSPACE = new ThreadLocal<>();

    private static final class Workspace {
        final MlpLayout layout;
        final MlpKernel kernel;
        float[] velocity = new float[0];

        Workspace(MlpLayout layout) {
            this.layout = layout;
            this.kernel = new MlpKernel(layout);
        }

        float[] velocity(int length) {
            if (velocity.length < length) {
                velocity = new float[length];
            }
            return velocity;
        }
    }
    /** Multi-stage tables: stage i's velocities k_i of every row, and the positions at the step's start. */
    private float[][] stages = new float[0][];
    private float[] base = new float[0];
    private Block batchP;
    private Block batchQ;
    private int[] drawP = new int[0];
    private int[] drawQ = new int[0];
    /** Where the shard sits in the ensemble (minibatch draws); null = the particles given are the whole ensemble. */
    private final Minibatch.Rows rows;

    public FlowKernel(FlowOptions options, MlpLayout layout, Block target, ChunkPool pool) {
        this(options, layout, target, pool, null);
    }

    /** @param rows where the shard sits in the ensemble; null when the particles trained on are all of them */
    public FlowKernel(FlowOptions options, MlpLayout layout, Block target, ChunkPool pool, Minibatch.Rows rows) {
        this.rows = rows;
        this.options = options;
        this.layout = layout;
        this.chunking = RowChunks.of(layout);
        this.training = options.training();
        this.constraint = options.constraint();
        this.divergence = options.divergence().function();
        this.target = target;
        this.pool = pool;
        this.grad = new float[layout.parameterCount()];
        this.paramsT = new float[layout.parameterCount()];
        this.center = mean(target);
    }

    public MlpLayout layout() {
        return layout;
    }

    /** This thread's workspace for this kernel's layout (a new one when the thread last worked on another shape). */
    private Workspace workspace() {
        Workspace ws = WORKSPACE.get();
        if (ws == null || !ws.layout.sameShape(layout)) {
            ws = new Workspace(layout);
            WORKSPACE.set(ws);
        }
        return ws;
    }

    private MlpKernel worker() {
        return workspace().kernel;
    }

    /**
     * k discriminator steps at the current particles, warm-started from {@code s} (updated in
     * place). Returns H of the last step, evaluated before its update (as the reference does).
     *
     * @param partition unused by the minibatch draws, which are global ({@link Minibatch}); kept for callers
     * @param round distinguishes several trainings within one outer step (stage i of a re-training integrator: round i)
     */
    public double train(DiscriminatorState s, Block particles, long step, int partition, int round) {
        if (training.resetOptimizer()) {
            Arrays.fill(s.m, 0f);
            Arrays.fill(s.v, 0f);
            s.t = 0;
        }
        double h = Double.NaN;
        Minibatch.Rows at = rows != null ? rows : Minibatch.Rows.whole(particles.rows, target.rows);
        long b = Minibatch.resolve(training.batchSize(), at.particles(), at.targets());
        boolean fullP = b == 0 || b >= at.particles(), fullQ = b == 0 || b >= at.targets();
        for (int i = 0; i < training.steps(); i++) {
            Block p = particles, q = target;
            if (!fullP || !fullQ) {
                int n = draws(Minibatch.stream(options.seed(), step, round, i), b, at, particles.rows);
                if (n == 0) {
                    continue; // none of this Adam step's global draws fall in this shard
                }
                p = fullP ? particles : gather(particles, drawP, n, true);
                q = fullQ ? target : gather(target, drawQ, n, false);
            }
            h = gradient(s.params, p, q);
            NumericalHealth.check(h, NumericalHealth.Quantity.PHI, step, options, target);
            NumericalHealth.check(gradientSum, NumericalHealth.Quantity.GRADIENT, step, options, target);
            s.t++;
            double weights = Adam.ascend(s.params, grad, s.m, s.v, s.t, training.learningRate(), training.beta1(),
                    training.beta2(), training.epsilon());
            NumericalHealth.check(weights, NumericalHealth.Quantity.WEIGHTS, step, options, target);
            constraint.apply(layout, s.params, s.power);
        }
        return h;
    }

    /** E_P[ψ(‖∇ₓφ‖)] of the last discriminator step, before its update; 0 under a weight constraint. */
    public double lastPenalty() {
        return penalty;
    }

    /** H[φ_θ] on the full shard and target, without training. */
    public double evaluate(float[] params, Block particles) {
        ensurePhi(particles.rows, target.rows);
        forEachChunk(particles.rows, (from, to, w) -> worker().values(params, particles.x, particles.labels, from, to, phiP));
        forEachChunk(target.rows, (from, to, w) -> worker().values(params, target.x, target.labels, from, to, phiQ));
        return org.lipflow.divergence.Objective.evaluate(divergence, mean(phiP, particles.rows), phiQ, target.rows, null);
    }

    /**
     * Moves the shard by step n ≥ 1 of the configured {@link Integrator}: its table for this step
     * (the start of a multistep method has its own), stage by stage with the field of {@code s}.
     * Under {@link Integrator#retrainsStages()} stage i ≥ 1 re-trains {@code s} at the stage's
     * positions (round i) and keeps those weights. A multistep method reads the previous steps'
     * velocities from {@link Block#history} and stores this step's k₀ there.
     */
    public MoveStats move(DiscriminatorState s, Block p, long step, int partition) {
        Integrator integrator = options.flow().integrator();
        Integrator.Table t = integrator.table(step - 1);
        int d = p.dimension;
        float dt = (float) options.flow().dt();
        if (p.rows > 0 && p.historySteps() != integrator.history()) {
            throw new IllegalStateException("flow.integrator = " + integrator.name() + " needs each particle's last "
                    + integrator.history() + " velocities, the block carries " + p.historySteps());
        }
        ensureChunks(chunks(p.rows));
        if (t.stages == 1) { // one pass, chunk by chunk, in the workers' scratch
            MlpKernel.transposeWeights(layout, s.params, paramsT);
            forEachChunk(p.rows, (from, to, w) -> {
                Workspace ws = workspace();
                float[] velocity = ws.velocity((to - from) * d);
                ws.kernel.inputGradient(s.params, paramsT, p.x, p.labels, from, to, velocity, 0, null);
                finishRows(t, p, step, from, to, dt, new float[][]{velocity}, from * d);
            });
            return checked(collectStats(p.rows), step);
        }
        ensureStages(t.stages, p.x.length);
        boolean retrain = integrator.retrainsStages();
        for (int i = 0; i < t.stages; i++) {
            int stage = i;
            if (stage > 0 && retrain) {
                forEachChunk(p.rows, (from, to, w) -> stagePositions(t, stage, p.x, from * d, to * d, dt));
                train(s, p, step, partition, stage);
            }
            MlpKernel.transposeWeights(layout, s.params, paramsT); // after a re-training: this stage's weights
            forEachChunk(p.rows, (from, to, w) -> {
                if (stage == 0) {
                    System.arraycopy(p.x, from * d, base, from * d, (to - from) * d);
                } else if (!retrain) {
                    stagePositions(t, stage, p.x, from * d, to * d, dt);
                }
                worker().inputGradient(s.params, paramsT, p.x, p.labels, from, to, stages[stage], from * d, null);
            });
        }
        forEachChunk(p.rows, (from, to, w) -> finishRows(t, p, step, from, to, dt, stages, 0));
        return checked(collectStats(p.rows), step);
    }

    /** Stage i's positions Y − Δt Σ_j a_ij k_j into x[from, to) (coordinates), from the step's start {@link #base}. */
    private void stagePositions(Integrator.Table t, int i, float[] x, int from, int to, float dt) {
        float[] c = t.negA[i];
        for (int o = from; o < to; o++) {
            float acc = c[0] * stages[0][o];
            for (int j = 1; j < i; j++) {
                acc += c[j] * stages[j][o];
            }
            x[o] = base[o] + dt * acc;
        }
    }

    /**
     * The step's end for rows [from, to): x holds the last stage's positions, k[j][o − kOff] stage
     * j's velocity at coordinate o. Stores k₀ in the history, leaves the effective velocity in k[0]
     * for the monitors, and records the chunk's speeds, distances and blow-up.
     */
    private void finishRows(Integrator.Table t, Block p, long step, int from, int to, float dt, float[][] k, int kOff) {
        int d = p.dimension;
        float[] x = p.x, hist = p.history, last = t.last, b = t.b, negBeta = t.negBeta, beta = t.beta;
        int n = t.stages, past = t.history();
        int rd = p.rows * d, slots = p.historySteps();
        int write = slots == 0 ? 0 : (int) (step % slots) * rd;
        for (int o = from * d; o < to * d; o++) {
            int i = o - kOff;
            float k0 = k[0][i];
            float acc = last[0] * k0; // Y_n+1 = Y_n,s−1 + Δt Σ_j (a_s−1,j − b_j) k_j − Δt Σ_j β_j h_j
            float eff = b[0] * k0;
            for (int j = 1; j < n; j++) {
                acc += last[j] * k[j][i];
                eff += b[j] * k[j][i];
            }
            for (int j = 0; j < past; j++) {
                float h = hist[(int) ((step - 1 - j) % slots) * rd + o]; // h_j+1: the velocity of step n − j − 1
                acc += negBeta[j] * h;
                eff += beta[j] * h;
            }
            x[o] += dt * acc;
            if (slots > 0) {
                hist[write + o] = k0;
            }
            k[0][i] = eff;
        }
        int chunk = from / chunking.rows(p.rows);
        speeds(k[0], from * d - kOff, to - from, d, chunk);
        distances(x, from, to, d, chunk);
        poisonIfNonFinite(x, from * d, to * d, chunk);
    }

    private void ensureStages(int n, int length) {
        if (stages.length < n || stages[0].length < length) {
            stages = new float[n][length];
            base = new float[length];
        }
    }

    /** The move's monitors, if finite: a non-finite particle or velocity makes one of their sums non-finite. */
    private MoveStats checked(MoveStats m, long step) {
        NumericalHealth.check(m.sumSquaredSpeed() + m.maxSpeed() + m.spread(), NumericalHealth.Quantity.PARTICLES, step, options,
                target);
        return m;
    }

    /** Σ_rows ∇_θH into {@link #grad}; returns H (values before the update). */
    private double gradient(float[] params, Block p, Block q) {
        if (divergence instanceof KlDivergence kl && kl.donskerVaradhan()) {
            return klGradient(params, p, q);
        }
        ensurePhi(p.rows, q.rows);
        forEachChunk(q.rows, (from, to, w) -> worker().values(params, q.x, q.labels, from, to, phiQ));
        double nu = divergence.optimalNu(phiQ, q.rows);
        divergence.targetWeights(phiQ, q.rows, nu, weightsQ);
        double term = divergence.legendreTerm(phiQ, q.rows, nu);
        fusedPass(params, p, q, (w, from, to, g, c) ->
                worker().accumulateGradient(params, paramsT, q.x, q.labels, from, to, weightsQ, 0f, g, null));
        reduceChunks(chunks(p.rows), chunks(q.rows), null);
        return mean(phiP, p.rows) - term;
    }

    /**
     * Donsker–Varadhan in a single pass over P and Q: ∂H/∂φ(X_j) = −e^(φ_j − ν*)/N with
     * ν* = log mean e^φ, so each Q chunk accumulates e^(φ − c_chunk)-weighted gradients and the
     * chunks are rescaled to a common shift and normalised at the end.
     */
    private double klGradient(float[] params, Block p, Block q) {
        int nP = chunks(p.rows), nQ = chunks(q.rows);
        if (shiftSum.length < nQ) {
            shiftSum = new double[nQ][2];
        }
        fusedPass(params, p, q, (w, from, to, g, c) ->
                worker().accumulateExpWeightedGradient(params, paramsT, q.x, q.labels, from, to, g, shiftSum[c]));
        double shift = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < nQ; c++) {
            shift = Double.isNaN(shiftSum[c][0]) ? Double.NaN : Math.max(shift, shiftSum[c][0]);
        }
        double total = 0;
        double[] scale = new double[nQ];
        for (int c = 0; c < nQ; c++) {
            scale[c] = Math.exp(shiftSum[c][0] - shift);
            total += shiftSum[c][1] * scale[c];
        }
        for (int c = 0; c < nQ; c++) {
            scale[c] = -scale[c] / total; // ∂H/∂φ(X_j) = −e^(φ_j − shift)/Σ e^(φ − shift)
        }
        reduceChunks(nP, nQ, scale);
        double nu = shift + Math.log(total / q.rows);
        return mean(phiP, p.rows) - nu;
    }

    /** Gradient work on the target rows of one chunk: rows [from, to) into g (Q chunk number c). */
    @FunctionalInterface
    private interface TargetChunk {
        void run(int worker, int from, int to, float[] g, int c);
    }

    /**
     * One pass over P (constant weight 1/M, φ-values kept for H) and Q (by {@code target}), each
     * chunk into its own gradient buffer: particle chunks first, then target chunks. Under a
     * gradient penalty the particle chunks also carry −λ·E_P[ψ(‖∇ₓφ‖)] (same forward pass).
     */
    private void fusedPass(float[] params, Block p, Block q, TargetChunk target) {
        int nP = chunks(p.rows), nQ = chunks(q.rows);
        ensurePhi(p.rows, 0);
        ensureChunks(nP + nQ);
        float wP = 1f / p.rows;
        boolean penalized = constraint.penalized();
        float penaltyScale = (float) (constraint.penalty().weight() / p.rows);
        boolean oneSided = constraint.penalty().oneSided();
        int sizeP = chunking.rows(p.rows), sizeQ = chunking.rows(q.rows);
        MlpKernel.transposeWeights(layout, params, paramsT); // once for all chunks (the target's included)
        pool.run(nP + nQ, (c, w) -> {
            float[] g = chunkGrad[c];
            Arrays.fill(g, 0f);
            if (c < nP) {
                int from = c * sizeP, to = Math.min(p.rows, from + sizeP);
                if (penalized) {
                    chunkPenalty[c] = worker().accumulatePenalizedGradient(params, paramsT, p.x, p.labels, from, to, wP, penaltyScale,
                            constraint.lipschitz(), oneSided, g, phiP);
                } else {
                    worker().accumulateGradient(params, paramsT, p.x, p.labels, from, to, null, wP, g, phiP);
                }
            } else {
                int from = (c - nP) * sizeQ;
                target.run(w, from, Math.min(q.rows, from + sizeQ), g, c - nP);
            }
        }, chunking.parallel(p.rows + q.rows, pool.shared()));
        double sum = 0;
        for (int c = 0; penalized && c < nP; c++) {
            sum += chunkPenalty[c];
        }
        penalty = sum / p.rows;
    }

    /** Parameter slices of a parallel {@link #reduceChunks}; fixed, so its sums do not depend on the threads. */
    private static final int REDUCE_SLICES = 8;
    /** Chunk-parameter additions from which {@link #reduceChunks} runs on the pool (a wide network's ~10⁶). */
    private static final long PARALLEL_REDUCE = 1L << 20;

    /**
     * grad = Σ particle chunks + Σ_c qScale[c]·(target chunk c), in chunk order; null scale = 1.
     * Large reductions run in parameter slices on the pool: each component's sum is formed as serially.
     */
    private void reduceChunks(int nP, int nQ, double[] qScale) {
        long work = (long) grad.length * (nP + nQ);
        if (work < PARALLEL_REDUCE || pool.threads() == 1) {
            gradientSum = reduceChunks(nP, nQ, qScale, 0, grad.length);
            return;
        }
        double[] totals = new double[REDUCE_SLICES];
        int n = grad.length;
        pool.run(REDUCE_SLICES, (c, w) -> totals[c] = reduceChunks(nP, nQ, qScale,
                (int) ((long) n * c / REDUCE_SLICES), (int) ((long) n * (c + 1) / REDUCE_SLICES)));
        double total = 0;
        for (double t : totals) {
            total += t;
        }
        gradientSum = total;
    }

    /** {@link #reduceChunks} of components [from, to); returns their sum. */
    private double reduceChunks(int nP, int nQ, double[] qScale, int from, int to) {
        double total = 0;
        for (int i = from; i < to; i++) {
            double sum = 0;
            for (int c = 0; c < nP; c++) {
                sum += chunkGrad[c][i];
            }
            for (int c = 0; c < nQ; c++) {
                sum += (qScale == null ? 1 : qScale[c]) * chunkGrad[nP + c][i];
            }
            grad[i] = (float) sum;
            total += grad[i];
        }
        return total;
    }

    /** This shard's draws of one Adam step into {@link #drawP}/{@link #drawQ}; returns how many ({@link Minibatch}). */
    private int draws(long stream, long b, Minibatch.Rows at, int shardRows) {
        if (drawP.length < b) {
            drawP = new int[(int) b];
            drawQ = new int[(int) b];
        }
        return Minibatch.draw(stream, b, at, shardRows, target.rows, drawP, drawQ);
    }

    /** Rows {@code idx[0..n)} of {@code all} as a block (a reused buffer while n stays the same). */
    private Block gather(Block all, int[] idx, int n, boolean particles) {
        Block buf = particles ? batchP : batchQ;
        if (buf == null || buf.rows != n || buf.dimension != all.dimension || (buf.labels == null) != (all.labels == null)) {
            buf = new Block(n, all.dimension, new float[n * all.dimension], all.labels == null ? null : new int[n], null);
            if (particles) {
                batchP = buf;
            } else {
                batchQ = buf;
            }
        }
        int d = all.dimension;
        for (int r = 0; r < n; r++) {
            System.arraycopy(all.x, idx[r] * d, buf.x, r * d, d);
            if (buf.labels != null) {
                buf.labels[r] = all.labels[idx[r]];
            }
        }
        return buf;
    }

    private void speeds(float[] vel, int off, int rows, int d, int chunk) {
        double sum = 0, max = 0;
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int k = 0, o = off + r * d; k < d; k++, o++) {
                s += vel[o] * (double) vel[o];
            }
            sum += s;
            max = Math.max(max, s);
        }
        chunkSum[chunk] = sum;
        chunkMax[chunk] = Math.sqrt(max);
    }

    /** Σ|Y − mean(Q)|² over rows [from, to) into the chunk's slot. */
    private void distances(float[] x, int from, int to, int d, int chunk) {
        double sum = 0;
        for (int o = from * d; o < to * d; o += d) {
            for (int k = 0; k < d; k++) {
                double e = x[o + k] - center[k];
                sum += e * e;
            }
        }
        chunkDistance[chunk] = sum;
    }

    private static float[] mean(Block b) {
        double[] s = new double[b.dimension];
        for (int r = 0, o = 0; r < b.rows; r++) {
            for (int k = 0; k < b.dimension; k++, o++) {
                s[k] += b.x[o];
            }
        }
        float[] m = new float[b.dimension];
        for (int k = 0; k < m.length; k++) {
            m[k] = (float) (s[k] / Math.max(1, b.rows));
        }
        return m;
    }

    /**
     * A particle can overflow to ±∞ while its velocity stays finite (Δt·v beyond float range):
     * marks the chunk's max speed NaN so the step's monitors report the blow-up.
     */
    private void poisonIfNonFinite(float[] x, int from, int to, int chunk) {
        float acc = 0f;
        for (int i = from; i < to; i++) {
            acc += x[i] * 0f; // 0·x is NaN exactly when x is NaN or ±∞
        }
        if (acc != 0f) {
            chunkMax[chunk] = Double.NaN;
        }
    }

    private MoveStats collectStats(int rows) {
        double sum = 0, max = 0, distance = 0;
        for (int c = 0; c < chunks(rows); c++) {
            sum += chunkSum[c];
            distance += chunkDistance[c];
            // NaN must survive: Math.max propagates it
            max = Math.max(max, chunkMax[c]);
        }
        return new MoveStats(sum, max, distance, rows);
    }

    @FunctionalInterface
    private interface RangeTask {
        void run(int from, int to, int worker);
    }

    private void forEachChunk(int rows, RangeTask task) {
        int size = chunking.rows(rows);
        pool.run(chunks(rows), (c, w) -> task.run(c * size, Math.min(rows, (c + 1) * size), w), chunking.parallel(rows, pool.shared()));
    }

    private int chunks(int rows) {
        return chunking.count(rows);
    }

    private void ensureChunks(int n) {
        if (chunkGrad.length < n) {
            float[][] g = Arrays.copyOf(chunkGrad, n);
            for (int c = chunkGrad.length; c < n; c++) {
                g[c] = new float[layout.parameterCount()];
            }
            chunkGrad = g;
        }
        if (chunkSum.length < n) {
            chunkSum = new double[n];
            chunkMax = new double[n];
            chunkDistance = new double[n];
            chunkPenalty = new double[n];
        }
    }

    private void ensurePhi(int m, int n) {
        if (phiP.length < m) {
            phiP = new float[m];
        }
        if (phiQ.length < n) {
            phiQ = new float[n];
            weightsQ = new float[n];
        }
    }

    private static double mean(float[] a, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a[i];
        }
        return s / n;
    }
}
