package org.lipflow.engine.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lipflow.data.SyntheticData;
import org.lipflow.engine.FlowProblem;
import org.lipflow.engine.InProcessEngine;
import org.lipflow.flow.Block;
import org.lipflow.flow.FlowListener;
import org.lipflow.flow.FlowOptions;
import org.lipflow.flow.StepMetrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Spark engine against the in-process engine on the mixture example. */
@Tag("spark")
class SparkEngineTest {
    static final SyntheticData.Spec TARGET = new SyntheticData.Spec("mixture4", 200, 0, 2, 0, 0.5, 0.5, false);
    static final SyntheticData.Spec SOURCE = new SyntheticData.Spec("gaussian", 200, 100, 2, 0, 0.5, 0.5, false);

    static JavaSparkContext sc() {
        return JavaSparkContext.fromSparkContext(SparkTestSession.get("local[2]").sparkContext());
    }

    static Block collect(JavaRDD<Block> rdd) {
        List<Block> parts = new ArrayList<>(rdd.collect());
        parts.sort((a, b) -> Long.compare(a.ids[0], b.ids[0]));
        return Blocks.concatCopy(parts.iterator());
    }

    static FlowOptions options(int steps) {
        return FlowOptions.defaults().withSteps(steps);
    }

    @ParameterizedTest(name = "averaging every {0} steps")
    @ValueSource(ints = {1, 4})
    void onePartitionReproducesTheInProcessEngine(int averagingFrequency) {
        FlowOptions o = options(50);
        Block target = SyntheticData.generate(TARGET);
        Block source = SyntheticData.generate(SOURCE);
        List<StepMetrics> local = new ArrayList<>(), spark = new ArrayList<>();
        Block expected = new InProcessEngine(2).run(new FlowProblem(o, target, source, 1), local::add).particles();
        SparkEngine engine = new SparkEngine(sc(), new SparkSettings(1, 7, "", 1 << 20, 1, averagingFrequency));
        SparkFlowResult r = engine.run(o, target, engine.generate(SOURCE), 2, 1, spark::add);
        Block actual = collect(r.particles());
        r.particles().unpersist(false);
        assertEquals(expected.rows, actual.rows);
        for (int i = 0; i < expected.x.length; i++) {
            assertEquals(expected.x[i], actual.x[i], 1e-4, "coordinate " + i);
        }
        assertEquals(local.size(), spark.size());
        for (int n = 0; n < local.size(); n++) {
            assertEquals(local.get(n).divergence(), spark.get(n).divergence(), 1e-6, "H at step " + (n + 1));
            assertEquals(local.get(n).kineticEnergy(), spark.get(n).kineticEnergy(), 1e-8, "KE at step " + (n + 1));
        }
    }

    @ParameterizedTest(name = "averaging every {0} steps")
    @ValueSource(ints = {1, 5})
    void fourPartitionsAreStatisticallyEquivalentAndKeepEveryParticleOnce(int averagingFrequency) {
        FlowOptions o = options(500);
        Block target = SyntheticData.generate(TARGET);
        SparkEngine engine = new SparkEngine(sc(), new SparkSettings(4, 50, "", 1 << 20, 1, averagingFrequency));
        SparkFlowResult r = engine.run(o, target, engine.generate(new SyntheticData.Spec("gaussian", 400, 100, 2, 0, 0.5, 0.5, false)),
                2, 1, FlowListener.NONE);
        Block p = collect(r.particles());
        r.particles().unpersist(false);
        assertEquals(400, p.rows);
        long[] ids = p.ids.clone();
        Arrays.sort(ids);
        for (int i = 0; i < ids.length; i++) {
            assertEquals(i, ids[i], "ids unique and complete");
        }
        int[] counts = new int[4];
        for (int i = 0; i < p.rows; i++) {
            int best = 0;
            double bd = Double.MAX_VALUE;
            for (int k = 0; k < 4; k++) {
                double d = Math.hypot(p.x[2 * i] - SyntheticData.MIXTURE4_MODES[k][0], p.x[2 * i + 1] - SyntheticData.MIXTURE4_MODES[k][1]);
                if (d < bd) {
                    bd = d;
                    best = k;
                }
            }
            counts[best]++;
        }
        for (int k = 0; k < 4; k++) {
            assertEquals(0.25, counts[k] / (double) p.rows, 0.07, "mode " + k + ": " + Arrays.toString(counts));
        }
    }

    @Test
    void stepsStayFlatAcrossCheckpoints() {
        FlowOptions o = options(300);
        Block target = SyntheticData.generate(TARGET);
        SparkEngine engine = new SparkEngine(sc(), new SparkSettings(2, 20, "", 1 << 20, 1, 1));
        List<StepMetrics> m = new ArrayList<>();
        SparkFlowResult r = engine.run(o, target, engine.generate(SOURCE), 2, 1, m::add);
        r.particles().unpersist(false);
        double early = m.subList(40, 100).stream().mapToDouble(StepMetrics::millis).sorted().skip(30).findFirst().orElseThrow();
        double late = m.subList(240, 300).stream().mapToDouble(StepMetrics::millis).sorted().skip(30).findFirst().orElseThrow();
        assertTrue(late < 2.5 * early + 5, "median step " + early + " ms early, " + late + " ms late");
    }
}
