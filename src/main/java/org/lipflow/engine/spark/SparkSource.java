package org.lipflow.engine.spark;

import org.apache.spark.api.java.JavaRDD;
import org.lipflow.engine.ParticleSource;
import org.lipflow.flow.Block;

/**
 * Initial particles already distributed as an RDD of blocks with ids (a file read by Spark).
 *
 * @param blocks    the particles, as many partitions as the engine uses
 * @param dimension d
 */
public record SparkSource(JavaRDD<Block> blocks, int dimension) implements ParticleSource {

    @Override
    public long rows() {
        return -1;
    }

    @Override
    public Block local() {
        return null;
    }
}
