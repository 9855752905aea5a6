package org.lipflow.engine.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.lipflow.flow.Block;
import org.lipflow.flow.DiscriminatorState;
import org.lipflow.flow.FlowOptions;
import org.lipflow.flow.Minibatch;
import org.lipflow.flow.ShardStep;
import scala.Tuple2;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The step of {@link ShardStepFunction} for a target too large to broadcast: particles and target
 * are zipped partition by partition, and each shard's discriminator trains against its own part
 * of the target (the shards' local objectives average to the full one).
 */
final class CoPartitionedStepFunction
        extends AbstractFunction2<Iterator<Tuple2<Block, ShardStep>>, Iterator<Block>, Iterator<Tuple2<Block, ShardStep>>>
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Broadcast once per run: a task then deserializes a reference, not the options (records validate as they are read). */
    private final Broadcast<FlowOptions> options;
    private final Broadcast<DiscriminatorState> state;
    private final int firstStep;
    private final int localSteps;
    private final KernelThreads threads;
    private final int start;
    private final Minibatch.Partitioning rows;

    CoPartitionedStepFunction(Broadcast<FlowOptions> options, Broadcast<DiscriminatorState> state, int firstStep, int localSteps,
                              KernelThreads threads, int start, Minibatch.Partitioning rows) {
        this.rows = rows;
        this.options = options;
        this.state = state;
        this.firstStep = firstStep;
        this.localSteps = localSteps;
        this.threads = threads;
        this.start = start;
    }

    @Override
    public Iterator<Tuple2<Block, ShardStep>> apply(Iterator<Tuple2<Block, ShardStep>> particles, Iterator<Block> targets) {
        List<Block> parts = new ArrayList<>();
        while (targets.hasNext()) {
            parts.add(targets.next());
        }
        Block target = parts.isEmpty() ? null : Blocks.concat(parts); // read only: a single cached block is used as it is
        return ShardStepFunction.step(options.value(), state.value(), target, particles, TaskContext.getPartitionId(), firstStep,
                localSteps, threads, start, rows);
    }
}
