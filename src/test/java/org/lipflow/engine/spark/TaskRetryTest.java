package org.lipflow.engine.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lipflow.config.LipflowConfig;
import org.lipflow.data.SyntheticData;
import org.lipflow.engine.FlowProblem;
import org.lipflow.engine.Particles;
import org.lipflow.engine.TargetSamples;
import org.lipflow.flow.Block;
import org.lipflow.flow.FlowListener;
import org.lipflow.flow.FlowOptions;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A task that fails is retried by Spark and the flow loses and duplicates nothing: with master
 * local[2,3] (three attempts per task) the first attempt of partition 1 throws, and the result
 * equals that of a run without failures, particle for particle.
 */
@Tag("spark")
class TaskRetryTest {
    static final SyntheticData.Spec SOURCE = new SyntheticData.Spec("gaussian", 300, 100, 2, 0, 0.5, 0.5, false);

    static JavaRDD<Block> source(JavaSparkContext sc, boolean failFirstAttempt) {
        return sc.parallelize(List.of(0, 1, 2), 3).map(i -> {
            if (failFirstAttempt && i == 1 && TaskContext.get().attemptNumber() == 0) {
                throw new IllegalStateException("injected failure of the first attempt");
            }
            return SyntheticData.generate(SOURCE, 100L * i, 100L * (i + 1));
        });
    }

    static Block run(JavaSparkContext sc, boolean fail) {
        Block target = SyntheticData.generate(new SyntheticData.Spec("mixture4", 200, 0, 2, 0, 0.5, 0.5, false));
        SparkEngine engine = new SparkEngine(sc, new SparkSettings(3, 10, "", 1 << 20, 1, 1));
        FlowProblem problem = new FlowProblem(LipflowConfig.defaultFlowOptions().toBuilder().steps(30).build(),
                TargetSamples.of(target), new SparkSource(source(sc, fail), 2));
        try (Particles particles = engine.run(problem, FlowListener.NONE).particles()) {
            return particles.collect();
        }
    }

    @Test
    void aRetriedTaskLosesAndDuplicatesNoParticle() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSession.get("local[2,3]").sparkContext());
        Block clean = run(sc, false);
        Block retried = run(sc, true);
        assertEquals(300, retried.rows);
        long[] ids = retried.ids.clone();
        Arrays.sort(ids);
        for (int i = 0; i < ids.length; i++) {
            assertEquals(i, ids[i], "every id exactly once");
        }
        assertArrayEquals(clean.x, retried.x, "the retried run computes the same particles");
    }
}
