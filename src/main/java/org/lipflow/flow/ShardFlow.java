package org.lipflow.flow;

import org.lipflow.discriminator.LipschitzConstraint;
import org.lipflow.util.ChunkPool;

/**
 * The composition of an outer step on one shard, written once for every engine. The reference
 * order is: train θ for k steps at the particles, average θ over the shards, move the particles
 * with the average. Engines run it shifted by half a step, so one pass over a shard does step n's
 * move and step n+1's training:
 *
 * <pre>
 *   local step n:  θ ← average(θ) if this shard trained since the last average   (single-shard averaging)
 *                  Y ← Y − Δt ∇φ_θ(Y)                    (n ≥ 1; the integrator's move)
 *                  θ ← k Adam steps at Y                  (n &lt; steps; gives H of step n+1)
 * </pre>
 *
 * The in-process engine runs local steps 0..steps on the whole ensemble; the Spark engine runs F
 * of them per job on each partition, starting from the driver's average (which is why it does
 * not average again before its first move), and returns the shard's {@link ShardStep}. The
 * single-shard average is exactly what the driver computes for one partition, so both engines
 * compute the same flow there. Holds the shard's kernel and workspaces: one per thread of control.
 */
public final class ShardFlow {
    private final FlowOptions options;
    private final LipschitzConstraint constraint;
    private final FlowKernel kernel;
    private final Block shard;
    private final int partition;
    /** The step the shard's particles are at when this object starts: 0, or the step of a resumed checkpoint. */
    private final int start;
    private DiscriminatorState state;
    private boolean trainedSinceAverage;

    /** What a local step reports: its move (null at step 0) and the H of its training (NaN after the last step). */
    public record LocalStep(MoveStats moved, double divergence) {
    }

    /**
     * @param shard     the shard's particles, moved in place
     * @param state     θ to start from, already averaged (updated in place)
     * @param partition the shard's index (the minibatch draws are global: they come from the rows, not from it)
     */
    public ShardFlow(FlowOptions options, Block target, Block shard, DiscriminatorState state, int partition, ChunkPool pool) {
        this(options, target, shard, state, partition, pool, 0);
    }

    /**
     * @param start the step the particles are already at (0, or a resumed checkpoint's step): local
     *              step {@code start} does not move them, it only trains for step start+1
     */
    public ShardFlow(FlowOptions options, Block target, Block shard, DiscriminatorState state, int partition, ChunkPool pool,
                     int start) {
        this(options, target, shard, state, partition, pool, start, null);
    }

    /**
     * @param rows where the shard sits in the ensemble, for the global minibatch draws
     *             ({@link Minibatch}); null when the shard is the whole ensemble
     */
    public ShardFlow(FlowOptions options, Block target, Block shard, DiscriminatorState state, int partition, ChunkPool pool,
                     int start, Minibatch.Rows rows) {
        this.options = options;
        this.start = start;
        this.constraint = options.constraint();
        this.kernel = new FlowKernel(options, state.layout, target, pool, rows);
        this.shard = shard;
        this.state = state;
        this.partition = partition;
    }

    /**
     * The shard's particles as the integrator needs them: with room for the previous steps'
     * velocities of a multistep method (empty at step 0; a resumed shard must bring its own), and
     * without one otherwise. Engines call it on every shard before {@link ShardFlow} moves it.
     *
     * @param start the step the particles are at (0, or a resumed checkpoint's)
     */
    public static Block prepare(FlowOptions options, Block shard, int start, int partition) {
        Integrator integrator = options.flow().integrator();
        int h = integrator.history();
        if (shard.rows == 0 || shard.historySteps() == h && (h > 0 || shard.history == null)) {
            return shard;
        }
        if (h == 0 || start == 0) {
            return shard.withEmptyHistory(h);
        }
        throw new IllegalArgumentException("resume refused: the checkpoint's particles of partition " + partition + " carry "
                + (shard.history == null ? "no velocity history" : "the velocities of " + shard.historySteps() + " steps")
                + " but flow.integrator = " + integrator.name() + " continues from the last " + h
                + " steps' velocities; start afresh without --resume");
    }

    /** Local step n: average what this shard trained, move (n &gt; start), train for step n+1 (n &lt; steps). */
    public LocalStep step(int n) {
        if (trainedSinceAverage) {
            state = ParameterAverage.single(state, shard.rows, constraint);
        }
        MoveStats moved = n > start ? kernel.move(state, shard, n, partition) : null;
        trainedSinceAverage = n < options.flow().steps();
        double h = trainedSinceAverage ? kernel.train(state, shard, n + 1, partition, 0) : Double.NaN;
        return new LocalStep(moved, h);
    }

    /**
     * Local steps first..first+count−1 as one unit of distributed work: the monitors of each and,
     * if the shard trained, its unaveraged θ weighted by its rows for the driver's average.
     */
    public ShardStep run(int first, int count) {
        ShardStep result = ShardStep.empty(count);
        for (int i = 0; i < count; i++) {
            LocalStep s = step(first + i);
            result.record(i, s.moved(), s.divergence(), shard.rows);
        }
        result.finish(trainedSinceAverage ? state : null, shard.rows);
        return result;
    }

    /** θ after the last local step (averaged unless the shard trained since). */
    public DiscriminatorState state() {
        return state;
    }

    /**
     * θ as the next local step will use it: what this shard trained, averaged (the single-shard
     * average is deterministic, so a run resumed from it computes what the next step computes).
     */
    public DiscriminatorState averagedState() {
        return trainedSinceAverage ? ParameterAverage.single(state, shard.rows, constraint) : state;
    }
}
