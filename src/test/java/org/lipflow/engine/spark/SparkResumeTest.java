package org.lipflow.engine.spark;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lipflow.checkpoint.RunCheckpoints;
import org.lipflow.config.LipflowConfig;
import org.lipflow.data.SyntheticData;
import org.lipflow.engine.FlowProblem;
import org.lipflow.engine.ParticleSource;
import org.lipflow.engine.Particles;
import org.lipflow.engine.TargetSamples;
import org.lipflow.flow.Block;
import org.lipflow.flow.FlowListener;
import org.lipflow.flow.StepMetrics;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark engine on local[2] with two particle partitions: 100 steps straight and 50 steps, then
 * a resume to 100, give bit-identical particles; the particle files are written per partition.
 */
@Tag("spark")
class SparkResumeTest {
    static final SyntheticData.Spec TARGET = new SyntheticData.Spec("mixture4", 200, 0, 2, 0, 0.5, 0.5, false);
    static final SyntheticData.Spec SOURCE = new SyntheticData.Spec("gaussian", 300, 100, 2, 0, 0.5, 0.5, false);

    @TempDir
    Path dir;

    static FlowProblem problem(int steps) {
        return new FlowProblem(LipflowConfig.defaultFlowOptions().toBuilder().steps(steps).build(),
                TargetSamples.of(SyntheticData.generate(TARGET)), ParticleSource.generated(SOURCE));
    }

    static SparkEngine engine(int averagingFrequency) {
        return new SparkEngine(SparkEngineTest.sc(), new SparkSettings(2, 7, "", 1 << 20, 1, averagingFrequency));
    }

    RunCheckpoints checkpoints(int interval, boolean resume, int steps) {
        return RunCheckpoints.open(new RunCheckpoints.Options(interval, 2, dir.resolve("ck").toString(), resume), "unused", "{}",
                steps, new PrintWriter(new StringWriter(), true), new Configuration());
    }

    static Block run(SparkEngine engine, FlowProblem p, RunCheckpoints cp, List<StepMetrics> metrics, FlowListener also) {
        try (cp; Particles particles = engine.run(p, m -> {
            also.step(m);
            metrics.add(m);
        }, cp).particles()) {
            return particles.collect();
        }
    }

    static List<String> monitors(List<StepMetrics> metrics) {
        return metrics.stream().map(m -> m.step() + " " + m.divergence() + " " + m.kineticEnergy() + " " + m.maxSpeed()).toList();
    }

    @ParameterizedTest(name = "averaging every {0} steps")
    @ValueSource(ints = {1, 4})
    void fiftyStepsThenResumingToAHundredEqualsAHundredStraight(int averagingFrequency) throws Exception {
        List<StepMetrics> straightMetrics = new ArrayList<>();
        Block straight = run(engine(averagingFrequency), problem(100), RunCheckpoints.off(), straightMetrics, FlowListener.NONE);
        // killed (an exception) after step 55: the newest checkpoint is the periodic one after the job that holds step 40
        assertThrows(IllegalStateException.class, () -> run(engine(averagingFrequency), problem(100), checkpoints(20, false, 100),
                new ArrayList<>(), m -> {
                    if (m.step() == 55) {
                        throw new IllegalStateException("killed");
                    }
                }));
        int expected = averagingFrequency == 1 ? 40 : 43; // jobs of 4 steps: 40..43 holds step 40
        assertTrue(Files.exists(dir.resolve(String.format("ck/step-%09d/particles/part-00001.bin", expected))),
                "one particle file per partition");
        RunCheckpoints resumed = checkpoints(20, true, 100);
        assertEquals(expected, resumed.resume().step);
        List<StepMetrics> rest = new ArrayList<>();
        Block continued = run(engine(averagingFrequency), problem(100), resumed, rest, FlowListener.NONE);
        assertEquals(straight.rows, continued.rows);
        assertArrayEquals(straight.ids, continued.ids);
        assertArrayEquals(straight.x, continued.x, "bit-identical particles");
        assertEquals(monitors(straightMetrics.subList(expected, 100)), monitors(rest));
    }

    @org.junit.jupiter.api.Test
    void aFinishedRunExtendedWithResumeEqualsTheLongerRun() {
        Block straight = run(engine(1), problem(60), RunCheckpoints.off(), new ArrayList<>(), FlowListener.NONE);
        run(engine(1), problem(30), checkpoints(100, false, 30), new ArrayList<>(), FlowListener.NONE);
        RunCheckpoints resumed = checkpoints(100, true, 60);
        assertEquals(30, resumed.resume().step, "the final checkpoint of the 30-step run");
        Block continued = run(engine(1), problem(60), resumed, new ArrayList<>(), FlowListener.NONE);
        assertArrayEquals(straight.x, continued.x, "bit-identical particles");
    }
}
