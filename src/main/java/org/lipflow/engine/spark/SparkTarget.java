package org.lipflow.engine.spark;

import org.apache.spark.api.java.JavaRDD;
import org.lipflow.engine.TargetSamples;
import org.lipflow.flow.Block;

/**
 * A target too large to broadcast, co-partitioned with the particles: one target block per
 * particle partition, zipped with them. (A target within the broadcast limit is an ordinary
 * {@link TargetSamples#of(Block)}, which the Spark engine broadcasts.)
 *
 * @param shards      the target as blocks, as many partitions as the particles
 * @param dimension   d of the target
 * @param rows        rows of the whole target
 * @param classCounts rows per class (computed by Spark), or null without labels
 */
public record SparkTarget(JavaRDD<Block> shards, int dimension, long rows, long[] classCounts) implements TargetSamples {

    @Override
    public Block local() {
        return null;
    }
}
