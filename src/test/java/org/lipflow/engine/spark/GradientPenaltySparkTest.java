package org.lipflow.engine.spark;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lipflow.discriminator.GradientPenalty;
import org.lipflow.discriminator.LipschitzConstraint;
import org.lipflow.engine.FlowProblem;
import org.lipflow.engine.InProcessEngine;
import org.lipflow.flow.Block;
import org.lipflow.flow.FlowListener;
import org.lipflow.flow.FlowOptions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.lipflow.engine.spark.SparkEngineTest.SOURCE;
import static org.lipflow.engine.spark.SparkEngineTest.TARGET;

/** The gradient-penalty bound goes through the Spark engine's parameter average like any other objective. */
@Tag("spark")
class GradientPenaltySparkTest {

    @Test
    void onePartitionReproducesTheInProcessEngineBitForBit() {
        FlowOptions o = SparkEngineTest.options(30).toBuilder().constraint(LipschitzConstraint.Mode.GRADIENT_PENALTY)
                .penalty(new GradientPenalty(10, GradientPenalty.Side.ONE_SIDED)).build();
        FlowProblem problem = SparkEngineTest.problem(o, TARGET, SOURCE);
        Block expected = SparkEngineTest.run(new InProcessEngine(2), problem, FlowListener.NONE);
        Block actual = SparkEngineTest.run(new SparkEngine(SparkEngineTest.sc(), new SparkSettings(1, 7, "", 1 << 20, 1, 1)),
                problem, FlowListener.NONE);
        assertArrayEquals(expected.ids, actual.ids);
        assertArrayEquals(expected.x, actual.x, "the same ShardFlow and average on the same streams: bit-identical particles");
        Block projected = SparkEngineTest.run(new InProcessEngine(2), SparkEngineTest.problem(SparkEngineTest.options(30), TARGET,
                SOURCE), FlowListener.NONE);
        assertFalse(java.util.Arrays.equals(projected.x, expected.x), "the penalty, not projection, shaped the flow");
    }
}
