package org.lipflow.engine.spark;

import org.apache.spark.broadcast.Broadcast;
import org.lipflow.flow.Block;
import org.lipflow.flow.DiscriminatorState;
import org.lipflow.flow.FlowKernel;
import org.lipflow.flow.FlowOptions;
import org.lipflow.flow.MoveStats;
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
 * The fused pass of job n on one partition: move the shard with the broadcast θ_n (step n's
 * move), then train a local copy of θ for k steps at the moved particles (step n+1's training),
 * and emit the moved block with the shard's {@link ShardStep}. The cached parent block is never
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

    private final FlowOptions options;
    private final Broadcast<DiscriminatorState> state;
    private final Broadcast<Block> target;
    private final int step;
    private final boolean move;
    private final boolean train;
    private final int threads;

    ShardStepFunction(FlowOptions options, Broadcast<DiscriminatorState> state, Broadcast<Block> target, int step,
                      boolean move, boolean train, int threads) {
        this.options = options;
        this.state = state;
        this.target = target;
        this.step = step;
        this.move = move;
        this.train = train;
        this.threads = threads;
    }

    @Override
    public Iterator<Tuple2<Block, ShardStep>> apply(Object partitionIndex, Iterator<Tuple2<Block, ShardStep>> input) {
        int partition = (Integer) partitionIndex;
        List<Block> blocks = new ArrayList<>();
        while (input.hasNext()) {
            blocks.add(input.next()._1());
        }
        Block shard = Blocks.concatCopy(blocks.iterator());
        List<Tuple2<Block, ShardStep>> out = new ArrayList<>(1);
        if (shard != null && shard.rows > 0) {
            DiscriminatorState s = state.value().copy();
            try (ChunkPool pool = new ChunkPool(threads)) {
                FlowKernel kernel = new FlowKernel(options, s.layout, target.value(), pool);
                MoveStats moved = move ? kernel.move(s, shard, step, partition) : null;
                double h = train ? kernel.train(s, shard, step + 1, partition, 0) : Double.NaN;
                out.add(new Tuple2<>(shard, ShardStep.of(train ? s : null, h, moved, shard.rows)));
            }
        }
        return JavaConverters.asScalaIterator(out.iterator());
    }
}
