package org.lipflow.engine.spark;

import org.apache.spark.api.java.JavaRDD;
import org.lipflow.flow.Block;
import org.lipflow.flow.DiscriminatorState;

/** The transported particles, still distributed (persisted), and the last discriminator. */
public record SparkFlowResult(JavaRDD<Block> particles, DiscriminatorState discriminator) {
}
