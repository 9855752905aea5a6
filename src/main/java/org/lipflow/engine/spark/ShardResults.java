package org.lipflow.engine.spark;

import org.apache.spark.TaskContext;
import org.lipflow.flow.Block;
import org.lipflow.flow.ShardStep;
import scala.Tuple2;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

import java.io.Serializable;

/**
 * The action of a step: each task returns its partition's {@link ShardStep}, the driver keeps
 * them by partition index and merges them in that order (deterministic whatever order tasks
 * finish in). Named functions for {@code SparkContext.runJob}, for the ClosureCleaner reason
 * given in {@link ShardStepFunction}.
 */
final class ShardResults {
    private final ShardStep[] parts;

    ShardResults(int partitions) {
        parts = new ShardStep[partitions];
    }

    /** Runs on the executor: the partition's steps merged. */
    static final class Extract extends AbstractFunction2<TaskContext, Iterator<Tuple2<Block, ShardStep>>, ShardStep>
            implements Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public ShardStep apply(TaskContext context, Iterator<Tuple2<Block, ShardStep>> it) {
            ShardStep s = ShardStep.empty(0);
            while (it.hasNext()) {
                s = s.merge(it.next()._2());
            }
            return s;
        }
    }

    /** Runs on the driver as results arrive. */
    AbstractFunction2<Object, ShardStep, BoxedUnit> handler() {
        return new AbstractFunction2<>() {
            @Override
            public BoxedUnit apply(Object index, ShardStep s) {
                parts[(Integer) index] = s;
                return BoxedUnit.UNIT;
            }
        };
    }

    ShardStep merged() {
        ShardStep all = ShardStep.empty(0);
        for (ShardStep s : parts) {
            if (s != null) {
                all = all.merge(s);
            }
        }
        return all;
    }

    /** Block of a (block, step) pair, for the one-off conversions at start and end. */
    static final class First extends AbstractFunction1<Tuple2<Block, ShardStep>, Block> implements Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Block apply(Tuple2<Block, ShardStep> t) {
            return t._1();
        }
    }
}
