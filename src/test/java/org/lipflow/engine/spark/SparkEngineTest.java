package org.lipflow.engine.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lipflow.config.LipflowConfig;
import org.lipflow.data.SyntheticData;
import org.lipflow.engine.FlowEngine;
import org.lipflow.engine.FlowProblem;
import org.lipflow.engine.InProcessEngine;
import org.lipflow.engine.ParticleSource;
import org.lipflow.engine.Particles;
import org.lipflow.engine.TargetSamples;
import org.lipflow.flow.Block;
import org.lipflow.flow.FlowListener;
import org.lipflow.flow.FlowOptions;
import org.lipflow.flow.Integrator;
import org.lipflow.flow.StepMetrics;
import org.lipflow.flow.StopRule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Spark engine against the in-process engine on the mixture example. */
@Tag("spark")
class SparkEngineTest {
    static final SyntheticData.Spec TARGET = new SyntheticData.Spec("mixture4", 200, 0, 2, 0, 0.5, 0.5, false);
    static final SyntheticData.Spec SOURCE = new SyntheticData.Spec("gaussian", 200, 100, 2, 0, 0.5, 0.5, false);

    static JavaSparkContext sc() {
        return JavaSparkContext.fromSparkContext(SparkTestSession.get("local[2]").sparkContext());
    }

    static Block run(FlowEngine engine, FlowProblem problem, FlowListener listener) {
        try (Particles p = engine.run(problem, listener).particles()) {
            return p.collect();
        }
    }

    static FlowProblem problem(FlowOptions o, SyntheticData.Spec target, SyntheticData.Spec source) {
        return new FlowProblem(o, TargetSamples.of(SyntheticData.generate(target)), ParticleSource.generated(source));
    }

    static FlowOptions options(int steps) {
        return LipflowConfig.defaultFlowOptions().toBuilder().steps(steps).build();
    }

    @ParameterizedTest(name = "averaging every {0} steps")
    @ValueSource(ints = {1, 4})
    void onePartitionReproducesTheInProcessEngine(int averagingFrequency) {
        FlowProblem problem = problem(options(50), TARGET, SOURCE);
        List<StepMetrics> local = new ArrayList<>(), spark = new ArrayList<>();
        Block expected = run(new InProcessEngine(2), problem, local::add);
        Block actual = run(new SparkEngine(sc(), new SparkSettings(1, 7, "", 1 << 20, 1, averagingFrequency)), problem, spark::add);
        assertEquals(expected.rows, actual.rows);
        assertArrayEquals(expected.ids, actual.ids);
        assertArrayEquals(expected.x, actual.x, "the same ShardFlow on the same streams: bit-identical particles");
        assertEquals(local.size(), spark.size());
        for (int n = 0; n < local.size(); n++) {
            assertEquals(local.get(n).divergence(), spark.get(n).divergence(), 1e-6, "H at step " + (n + 1));
            assertEquals(local.get(n).kineticEnergy(), spark.get(n).kineticEnergy(), 1e-8, "KE at step " + (n + 1));
        }
    }

    /**
     * Particles that start as the target's samples: the kinetic energy oscillates around 1e-4 and
     * the rule (ε = 1e-4, w = 5) stops the in-process run at some step s &lt; 100. One partition,
     * averaging every F steps: the same monitors, decided at job boundaries, so the run ends after
     * the job that contains step s (jobs cover steps 0..F−1, F..2F−1, …; step 0 only trains).
     */
    @ParameterizedTest(name = "averaging every {0} steps")
    @ValueSource(ints = {1, 4})
    void theStoppingRuleEndsTheRunAfterTheJobWhoseStepsCompleteTheWindow(int averagingFrequency) {
        FlowOptions o = options(100).toBuilder().stop(new StopRule.Options(1e-4, 5)).build();
        FlowProblem problem = problem(o, TARGET, TARGET);
        List<StepMetrics> local = new ArrayList<>(), spark = new ArrayList<>();
        Block expected = run(new InProcessEngine(2), problem, local::add);
        int stop = StopRule.replay(o.flow().stop(), local).completedAt();
        assertTrue(stop > 5 && stop < 100 && local.size() == stop, "the in-process run stops at step " + stop + ": " + local.size());
        Block actual = run(new SparkEngine(sc(), new SparkSettings(1, 7, "", 1 << 20, 1, averagingFrequency)), problem, spark::add);
        int end = averagingFrequency == 1 ? stop : (stop / averagingFrequency + 1) * averagingFrequency - 1;
        assertEquals(end, spark.size(), "the Spark run ends after the job that contains step " + stop);
        for (int n = 0; n < stop; n++) {
            assertEquals(local.get(n).kineticEnergy(), spark.get(n).kineticEnergy(), 1e-8, "KE at step " + (n + 1));
        }
        if (averagingFrequency == 1) {
            assertArrayEquals(expected.x, actual.x, "bit-identical particles at the stop");
        }
    }

    @ParameterizedTest(name = "averaging every {0} steps")
    @ValueSource(ints = {1, 5})
    void fourPartitionsAreStatisticallyEquivalentAndKeepEveryParticleOnce(int averagingFrequency) {
        SparkEngine engine = new SparkEngine(sc(), new SparkSettings(4, 50, "", 1 << 20, 1, averagingFrequency));
        Block p = run(engine, problem(options(500), TARGET, new SyntheticData.Spec("gaussian", 400, 100, 2, 0, 0.5, 0.5, false)),
                FlowListener.NONE);
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

    /**
     * The configuration whose fixed cost per outer step is measured (README "Spark engine"): the
     * example's 200 particles on two partitions, averaging only every F steps, still fills every
     * mode of the mixture within the core tolerance (25% ± 7%, fewer than 5% beyond 3σ).
     */
    @ParameterizedTest(name = "averaging every {0} steps")
    @ValueSource(ints = {5, 10})
    void averagingEveryFewStepsOnTwoPartitionsKeepsTheMixturesModeWeights(int averagingFrequency) {
        SparkEngine engine = new SparkEngine(sc(), new SparkSettings(2, 50, "", 1 << 20, 1, averagingFrequency));
        // Adam step 0.001, the mixture example's until it moved to the default 0.005 (better through `run`, which
        // standardises): in data units as here, 0.005 with ten local steps between averages leaves 5% of the
        // particles between modes at F = 10
        Block p = run(engine, problem(options(500).toBuilder().learningRate(0.001).build(), TARGET, SOURCE), FlowListener.NONE);
        assertEquals(200, p.rows);
        org.lipflow.flow.FlowExamplesTest.assertEveryModeFilled(p, "averaging every " + averagingFrequency + " steps");
    }

    /**
     * On local[N] the lineage is cut (locally) after every job, whatever engine.checkpoint-interval
     * says: a job's tasks then carry one step's closure, not every step's since the last cut. After
     * 30 steps with an interval of 50, the result's parent is already checkpointed.
     */
    /**
     * engine.task-threads: the executor's shared kernel threads (0), the task's thread (1) and two
     * threads of each task's own (2) give the same bits, with shards large enough (20,000 rows)
     * that their passes do go to the shared workers, which then did the work.
     */
    @Test
    void theExecutorsSharedKernelThreadsGiveTheSameParticlesAsEachTasksOwn() {
        SyntheticData.Spec source = new SyntheticData.Spec("gaussian", 40_000, 100, 2, 0, 0.5, 0.5, false);
        FlowProblem problem = problem(options(10), TARGET, source);
        java.util.Map<Integer, Block> out = new java.util.TreeMap<>();
        long sharedCpu = 0;
        for (int threads : new int[]{1, 0, 2}) {
            long before = sharedWorkersCpuNanos();
            out.put(threads, run(new SparkEngine(sc(), new SparkSettings(2, 50, "", 1 << 20, threads, 1)), problem, FlowListener.NONE));
            if (threads == 0) {
                sharedCpu = sharedWorkersCpuNanos() - before;
            }
        }
        assertTrue(sharedCpu > 100_000_000L, "task-threads = 0 ran its passes on the shared workers: " + sharedCpu / 1e6 + " ms of CPU");
        for (int threads : new int[]{0, 2}) {
            assertArrayEquals(out.get(1).ids, out.get(threads).ids);
            assertArrayEquals(out.get(1).x, out.get(threads).x, "task-threads = " + threads + " vs 1: bit-identical particles");
        }
        double moved = 0;
        Block start = SyntheticData.generate(source);
        Block end = out.get(0);
        for (int i = 0; i < end.rows; i++) {
            int row = (int) end.ids[i]; // generated rows carry their index as id
            moved = Math.max(moved, Math.abs(start.x[2 * row] - end.x[2 * i]));
        }
        assertTrue(moved > 0.01, "the particles moved (" + moved + "), so equal results say something");
    }

    private static long sharedWorkersCpuNanos() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("lipflow-shared-worker"))
                .mapToLong(t -> Math.max(0, mx.getThreadCpuTime(t.getId()))).sum();
    }

    @Test
    void onALocalMasterEveryJobCutsTheLineage() {
        SparkEngine engine = new SparkEngine(sc(), new SparkSettings(2, 50, "", 1 << 20, 1, 1));
        try (Particles p = engine.run(problem(options(30), TARGET, SOURCE), FlowListener.NONE).particles()) {
            org.apache.spark.rdd.RDD<?> parent = ((SparkParticles) p).blocks().rdd().dependencies().head().rdd();
            assertTrue(parent.isCheckpointed(), parent.toDebugString());
        }
    }

    @Test
    void stepsStayFlatAcrossCheckpoints() {
        SparkEngine engine = new SparkEngine(sc(), new SparkSettings(2, 20, "", 1 << 20, 1, 1));
        List<StepMetrics> m = new ArrayList<>();
        run(engine, problem(options(300), TARGET, SOURCE), m::add);
        double early = m.subList(40, 100).stream().mapToDouble(StepMetrics::millis).sorted().skip(30).findFirst().orElseThrow();
        double late = m.subList(240, 300).stream().mapToDouble(StepMetrics::millis).sorted().skip(30).findFirst().orElseThrow();
        assertTrue(late < 2.5 * early + 5, "median step " + early + " ms early, " + late + " ms late");
    }

    @Test
    void aConditionalFlowOnFourPartitionsTakesEveryParticleToItsOwnLabelsMode() {
        SyntheticData.Spec labelled = new SyntheticData.Spec("mixture4", 400, 0, 2, 0, 0.5, 0.5, true);
        SparkEngine engine = new SparkEngine(sc(), new SparkSettings(4, 50, "", 1 << 20, 1, 1));
        Block p = run(engine, problem(options(600), labelled, new SyntheticData.Spec("gaussian", 400, 100, 2, 0, 0.5, 0.5, false)),
                FlowListener.NONE);
        assertEquals(400, p.rows);
        long[] ids = p.ids.clone();
        Arrays.sort(ids);
        for (int i = 0; i < ids.length; i++) {
            assertEquals(i, ids[i], "ids unique and complete");
        }
        int near = 0;
        int[] perLabel = new int[4];
        for (int i = 0; i < p.rows; i++) {
            perLabel[p.labels[i]]++;
            double d = Math.hypot(p.x[2 * i] - SyntheticData.MIXTURE4_MODES[p.labels[i]][0],
                    p.x[2 * i + 1] - SyntheticData.MIXTURE4_MODES[p.labels[i]][1]);
            if (d < 1.5) {
                near++;
            }
        }
        assertTrue(near > 0.85 * p.rows, near + " of " + p.rows + " particles near the mode of their label");
        for (int k = 0; k < 4; k++) {
            assertTrue(perLabel[k] > 0.15 * p.rows, "label " + k + " drawn for " + Arrays.toString(perLabel));
        }
    }

    @Test
    void heunOnSeveralPartitionsIsRefusedWithTheKeysNamed() {
        FlowOptions heun = options(5).toBuilder().integrator(Integrator.HEUN).build();
        SparkEngine engine = new SparkEngine(sc(), new SparkSettings(2, 50, "", 1 << 20, 1, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(engine, problem(heun, TARGET, SOURCE), FlowListener.NONE));
        assertTrue(e.getMessage().startsWith("flow.integrator = heun needs one particle partition on the Spark engine "
                + "(engine.partitions = 1), got 2"), e.getMessage());
    }

    @Test
    void heunOnOnePartitionIsTheInProcessScheme() {
        FlowProblem problem = problem(options(20).toBuilder().integrator(Integrator.HEUN).build(), TARGET, SOURCE);
        Block expected = run(new InProcessEngine(2), problem, FlowListener.NONE);
        Block actual = run(new SparkEngine(sc(), new SparkSettings(1, 50, "", 1 << 20, 1, 3)), problem, FlowListener.NONE);
        assertArrayEquals(expected.x, actual.x);
    }
}
