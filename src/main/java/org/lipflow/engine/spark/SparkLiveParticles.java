package org.lipflow.engine.spark;

import org.apache.spark.api.java.JavaRDD;
import org.lipflow.flow.Block;
import org.lipflow.flow.LiveParticles;

/**
 * The Spark engine's particles after a job, handed to a listener that measures them on the
 * executors (the quality monitors): the persisted RDD of blocks, never gathered here.
 */
public record SparkLiveParticles(JavaRDD<Block> blocks) implements LiveParticles {
    @Override
    public Block local() {
        return null;
    }
}
