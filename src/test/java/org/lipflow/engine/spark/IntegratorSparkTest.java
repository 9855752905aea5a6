package org.lipflow.engine.spark;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.checkpoint.RunCheckpoints;
import org.lipflow.config.LipflowConfig;
import org.lipflow.data.SyntheticData;
import org.lipflow.engine.FlowProblem;
import org.lipflow.engine.InProcessEngine;
import org.lipflow.engine.ParticleSource;
import org.lipflow.engine.Particles;
import org.lipflow.engine.TargetSamples;
import org.lipflow.flow.Block;
import org.lipflow.flow.FlowListener;
import org.lipflow.flow.Integrator;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The integrators on the Spark engine: the multistep velocity history travels inside each
 * partition's block (through lineage cuts and checkpoints), so AB2/AB3 and the reuse policy run on
 * any partitioning; per-stage re-training needs one partition and is refused otherwise.
 */
@Tag("spark")
class IntegratorSparkTest {
    static final SyntheticData.Spec TARGET = SparkEngineTest.TARGET;
    static final SyntheticData.Spec SOURCE = SparkEngineTest.SOURCE;

    @TempDir
    Path dir;

    static FlowProblem problem(int steps, Integrator integrator) {
        return new FlowProblem(LipflowConfig.defaultFlowOptions().toBuilder().steps(steps).integrator(integrator).build(),
                TargetSamples.of(SyntheticData.generate(TARGET)), ParticleSource.generated(SOURCE));
    }

    static SparkEngine engine(int partitions) {
        return new SparkEngine(SparkEngineTest.sc(), new SparkSettings(partitions, 7, "", 1 << 20, 1, 1)); // lineage cut every 7
    }

    /** One partition computes the in-process flow bit for bit, the history crossing lineage cuts included. */
    @Test
    void ab3AndRk4ReuseOnOnePartitionAreTheInProcessScheme() {
        for (Integrator i : new Integrator[]{Integrator.AB3, Integrator.RK4.withRetrain(Integrator.Retrain.REUSE)}) {
            Block expected = SparkEngineTest.run(new InProcessEngine(2), problem(20, i), FlowListener.NONE);
            Block actual = SparkEngineTest.run(engine(1), problem(20, i), FlowListener.NONE);
            assertArrayEquals(expected.x, actual.x, i.toString());
        }
    }

    @Test
    void perStageRetrainingOnSeveralPartitionsIsRefusedInOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkEngineTest.run(engine(2), problem(5, Integrator.RK4), FlowListener.NONE));
        assertEquals("flow.integrator = rk4 needs one particle partition on the Spark engine (engine.partitions = 1), got 2: "
                + "with flow.integrator-retrain = each-stage each partition would re-train its stages' discriminator alone and "
                + "never average it; use flow.integrator-retrain = reuse, or flow.integrator = euler, ab2 or ab3", e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }

    /**
     * AB2 on two partitions, killed after step 55 and resumed from the checkpoint of step 40: each
     * partition's file carries its velocities, and the result is the uninterrupted run's bit for bit.
     */
    @Test
    void ab2OnTwoPartitionsResumesBitIdentically() {
        Block straight = SparkEngineTest.run(engine(2), problem(60, Integrator.AB2), FlowListener.NONE);
        assertThrows(IllegalStateException.class, () -> run(problem(60, Integrator.AB2), checkpoints(false), m -> {
            if (m.step() == 55) {
                throw new IllegalStateException("killed");
            }
        }));
        RunCheckpoints resumed = checkpoints(true);
        assertEquals(40, resumed.resume().step);
        Block continued = run(problem(60, Integrator.AB2), resumed, FlowListener.NONE);
        assertArrayEquals(straight.ids, continued.ids);
        assertArrayEquals(straight.x, continued.x, "bit-identical particles");
    }

    RunCheckpoints checkpoints(boolean resume) {
        return RunCheckpoints.open(new RunCheckpoints.Options(20, 2, dir.resolve("ck").toString(), resume), "unused", "{}", 60,
                new PrintWriter(new StringWriter(), true), new Configuration());
    }

    static Block run(FlowProblem p, RunCheckpoints cp, FlowListener listener) {
        try (cp; Particles particles = engine(2).run(p, listener, cp).particles()) {
            return particles.collect();
        }
    }
}
