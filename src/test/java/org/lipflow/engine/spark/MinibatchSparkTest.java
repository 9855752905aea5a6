package org.lipflow.engine.spark;

import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lipflow.data.SyntheticData;
import org.lipflow.engine.FlowProblem;
import org.lipflow.engine.InProcessEngine;
import org.lipflow.engine.ParticleSource;
import org.lipflow.engine.TargetSamples;
import org.lipflow.flow.Block;
import org.lipflow.flow.FlowListener;
import org.lipflow.flow.FlowOptions;
import org.lipflow.flow.StepMetrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * discriminator.batch-size on the Spark engine: a global minibatch, each partition training on the
 * draws that fall in its rows. One partition computes exactly what the in-process engine computes;
 * several partitions (of unequal sizes) draw the same global minibatch but average θ over the
 * shards, so they agree with it statistically: every mode within the core tolerance.
 */
@Tag("spark")
class MinibatchSparkTest {
    static final int M = 10_000;

    static FlowOptions options(int steps, int batch) {
        return SparkEngineTest.options(steps).toBuilder().batchSize(batch).build();
    }

    /** The mixture's source as partitions of exactly these sizes (ids = global row index). */
    static ParticleSource unequal(int... sizes) {
        Block all = SyntheticData.generate(new SyntheticData.Spec("gaussian", M, 100, 2, 0, 0.5, 0.5, false));
        List<Block> parts = new ArrayList<>();
        int from = 0;
        for (int s : sizes) {
            parts.add(Blocks.slice(all, from, from + s));
            from += s;
        }
        JavaRDD<Block> rdd = SparkEngineTest.sc().parallelize(parts, sizes.length);
        return new SparkSource(rdd, 2);
    }

    static double[] modeWeights(Block p) {
        double[] w = new double[4];
        for (int i = 0; i < p.rows; i++) {
            w[org.lipflow.flow.FlowExamplesTest.nearestMode(p.x[2 * i], p.x[2 * i + 1])] += 1.0 / p.rows;
        }
        return w;
    }

    @Test
    void onePartitionWithAMinibatchIsBitIdenticalToTheInProcessEngine() {
        FlowProblem problem = SparkEngineTest.problem(options(30, 64), SparkEngineTest.TARGET,
                new SyntheticData.Spec("gaussian", 2000, 100, 2, 0, 0.5, 0.5, false));
        List<StepMetrics> local = new ArrayList<>(), spark = new ArrayList<>();
        Block expected = SparkEngineTest.run(new InProcessEngine(2), problem, local::add);
        Block actual = SparkEngineTest.run(new SparkEngine(SparkEngineTest.sc(), new SparkSettings(1, 50, "", 1 << 20, 1, 1)),
                problem, spark::add);
        assertArrayEquals(expected.x, actual.x);
        for (int n = 0; n < local.size(); n++) {
            assertEquals(local.get(n).divergence(), spark.get(n).divergence(), 1e-6, "H at step " + (n + 1));
        }
    }

    /**
     * M = 10⁴ particles, N = 200 targets, global minibatch 400, 500 steps: in process and on
     * local[2] with partitions of 7,000 + 3,000 and 5,000 + 2,000 + 3,000 rows, every mode holds
     * 25% ± 7% (the core tolerance) and each mode's weight is within 0.05 of the in-process run's.
     */
    @Test
    void twoAndThreeUnequalPartitionsKeepEveryModeAsTheInProcessEngineDoes() {
        FlowOptions o = options(500, 400);
        Block target = SyntheticData.generate(SparkEngineTest.TARGET);
        Block source = SyntheticData.generate(new SyntheticData.Spec("gaussian", M, 100, 2, 0, 0.5, 0.5, false));
        double[] inProcess = modeWeights(SparkEngineTest.run(new InProcessEngine(2), FlowProblem.of(o, target, source),
                FlowListener.NONE));
        for (int[] sizes : new int[][]{{7000, 3000}, {5000, 2000, 3000}}) {
            SparkEngine engine = new SparkEngine(SparkEngineTest.sc(), new SparkSettings(sizes.length, 50, "", 1 << 20, 1, 1));
            Block p = SparkEngineTest.run(engine, new FlowProblem(o, TargetSamples.of(target), unequal(sizes)), FlowListener.NONE);
            assertEquals(M, p.rows);
            double[] w = modeWeights(p);
            for (int k = 0; k < 4; k++) {
                String what = Arrays.toString(sizes) + " mode " + k + ": " + Arrays.toString(w) + " vs in process "
                        + Arrays.toString(inProcess);
                assertEquals(0.25, inProcess[k], 0.07, what);
                assertEquals(0.25, w[k], 0.07, what);
                assertEquals(inProcess[k], w[k], 0.05, what);
            }
        }
    }
}
