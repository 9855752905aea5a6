package org.lipflow.engine.spark;

import org.apache.spark.api.java.JavaRDD;
import org.lipflow.flow.Block;

/**
 * How the target reaches the tasks: broadcast whole (small targets), or co-partitioned with the
 * particles, one target block per particle partition (targets above the broadcast limit).
 *
 * @param whole  the target on the driver, or null when co-partitioned
 * @param shards the target as one block per partition, or null when broadcast
 * @param dimension d of the target
 */
public record SparkTarget(Block whole, JavaRDD<Block> shards, int dimension) {
    public SparkTarget {
        if ((whole == null) == (shards == null)) {
            throw new IllegalArgumentException("a target is either whole or co-partitioned");
        }
    }

    public static SparkTarget broadcast(Block target) {
        return new SparkTarget(target, null, target.dimension);
    }

    public static SparkTarget coPartitioned(JavaRDD<Block> shards, int dimension) {
        return new SparkTarget(null, shards, dimension);
    }
}
