package org.lipflow.engine.spark;

import org.apache.spark.broadcast.Broadcast;
import org.lipflow.flow.Block;
import org.lipflow.flow.DiscriminatorState;
import org.lipflow.flow.FlowOptions;
import org.lipflow.flow.Minibatch;
import org.lipflow.flow.ShardFlow;
import org.lipflow.flow.ShardStep;
import org.lipflow.util.ChunkPool;
import scala.Tuple2;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The fused pass of job n on one partition: {@link ShardFlow#run} for local steps n..n+F−1 from
 * the broadcast θ_n (step n's move, step n+1's training, ...), emitting the moved block with the
 * shard's {@link ShardStep}; the driver averages. The step composition itself lives in
 * {@link ShardFlow}; this class only brings the shard, θ and the target together. The cached parent block is never
 * mutated: a recomputed task starts from the same input and, with streams keyed by (seed, step,
 * partition), produces the same output.
 *
 * <p>A named Scala function rather than a Java lambda: Spark's ClosureCleaner re-parses the
 * class file of every lambda it is given, which cost more per step than a small step itself.
 */
final class ShardStepFunction
        extends AbstractFunction2<Object, Iterator<Tuple2<Block, ShardStep>>, Iterator<Tuple2<Block, ShardStep>>>
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Broadcast once per run: a task then deserializes a reference, not the options (records validate as they are read). */
    private final Broadcast<FlowOptions> options;
    private final Broadcast<DiscriminatorState> state;
    private final Broadcast<Block> target;
    private final int firstStep;
    private final int localSteps;
    private final KernelThreads threads;
    /** The step the run started from (0, or a resumed checkpoint's): local step {@code start} does not move. */
    private final int start;
    /** Where each partition sits in the ensemble, for the global minibatch draws; null under full batch. */
    private final Minibatch.Partitioning rows;

    /**
     * @param firstStep  n: the job moves with θ_n (when n &gt; 0) and trains θ_{n+1}
     * @param localSteps outer steps this job runs on each shard before the next averaging (≥ 1)
     */
    ShardStepFunction(Broadcast<FlowOptions> options, Broadcast<DiscriminatorState> state, Broadcast<Block> target, int firstStep,
                      int localSteps, KernelThreads threads, int start, Minibatch.Partitioning rows) {
        this.rows = rows;
        this.options = options;
        this.state = state;
        this.target = target;
        this.firstStep = firstStep;
        this.localSteps = localSteps;
        this.threads = threads;
        this.start = start;
    }

    @Override
    public Iterator<Tuple2<Block, ShardStep>> apply(Object partitionIndex, Iterator<Tuple2<Block, ShardStep>> input) {
        return step(options.value(), state.value(), target.value(), input, (Integer) partitionIndex, firstStep, localSteps, threads,
                start, rows);
    }

    /** The shard's work, whatever way the target reached the task. */
    static Iterator<Tuple2<Block, ShardStep>> step(FlowOptions options, DiscriminatorState broadcastState, Block target,
                                                    Iterator<Tuple2<Block, ShardStep>> input, int partition, int firstStep,
                                                    int localSteps, KernelThreads threads, int start, Minibatch.Partitioning rows) {
        List<Block> blocks = new ArrayList<>();
        while (input.hasNext()) {
            blocks.add(input.next()._1());
        }
        Block shard = blocks.isEmpty() ? null : Blocks.movable(blocks);
        if (shard != null) {
            shard = ShardFlow.prepare(options, shard, start, partition); // a multistep integrator's velocity history
        }
        List<Tuple2<Block, ShardStep>> out = new ArrayList<>(1);
        if (shard != null && shard.rows > 0) {
            if (target == null || target.rows == 0) {
                throw new IllegalArgumentException("partition " + partition + " has particles but no target rows; "
                        + "use fewer engine.partitions or a larger engine.broadcast-limit-mb");
            }
            ShardStep result;
            try (ChunkPool pool = threads.pool()) {
                result = new ShardFlow(options, target, shard, broadcastState.copy(), partition, pool, start,
                        rows == null ? null : rows.at(partition)).run(firstStep, localSteps);
            }
            out.add(new Tuple2<>(shard, result));
        }
        return JavaConverters.asScalaIterator(out.iterator());
    }
}
