package org.lipflow.checkpoint;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.config.LipflowConfig;
import org.lipflow.data.SyntheticData;
import org.lipflow.engine.FlowProblem;
import org.lipflow.engine.InProcessEngine;
import org.lipflow.engine.Particles;
import org.lipflow.flow.Block;
import org.lipflow.flow.FlowListener;
import org.lipflow.flow.Integrator;
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

/** The in-process engine: a run continued from a checkpoint ends bit for bit where an uninterrupted run ends. */
class InProcessResumeTest {
    static final Block TARGET = SyntheticData.generate(new SyntheticData.Spec("mixture4", 200, 0, 2, 0, 0.5, 0.5, false));
    static final Block SOURCE = SyntheticData.generate(new SyntheticData.Spec("gaussian", 150, 100, 2, 0, 0.5, 0.5, false));

    @TempDir
    Path dir;

    static FlowProblem problem(int steps) {
        return problem(steps, Integrator.EULER);
    }

    static FlowProblem problem(int steps, Integrator integrator) {
        return FlowProblem.of(LipflowConfig.defaultFlowOptions().toBuilder().steps(steps).integrator(integrator).build(), TARGET,
                SOURCE);
    }

    /** The format version in a particle file's header (after the magic word). */
    static int partVersion(Path part) throws Exception {
        return java.nio.ByteBuffer.wrap(Files.readAllBytes(part), 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
    }

    RunCheckpoints checkpoints(int interval, boolean resume, int steps, StringWriter log) {
        return RunCheckpoints.open(new RunCheckpoints.Options(interval, 2, dir.resolve("ck").toString(), resume), "unused",
                "{}", steps, new PrintWriter(log, true), new Configuration());
    }

    record Run(Block particles, List<StepMetrics> metrics) {
    }

    static Run run(FlowProblem p, RunCheckpoints cp, FlowListener also) {
        List<StepMetrics> metrics = new ArrayList<>();
        try (cp; Particles particles = new InProcessEngine(2).run(p, m -> {
            also.step(m);
            metrics.add(m);
        }, cp).particles()) {
            return new Run(particles.collect(), metrics);
        }
    }

    /** The monitors without the wall time. */
    static List<String> monitors(List<StepMetrics> metrics) {
        return metrics.stream().map(m -> m.step() + " " + m.divergence() + " " + m.kineticEnergy() + " " + m.maxSpeed() + " "
                + m.spread()).toList();
    }

    @Test
    void fiftyStepsThenResumingToAHundredEqualsAHundredStraight() {
        Run straight = run(problem(100), RunCheckpoints.off(), FlowListener.NONE);
        StringWriter log = new StringWriter();
        Run first = run(problem(50), checkpoints(20, false, 50, log), FlowListener.NONE);
        assertEquals(50, first.metrics().size());
        RunCheckpoints resumed = checkpoints(20, true, 100, log);
        assertEquals(50, resumed.resume().step, "the final checkpoint of the 50-step run: " + log);
        Run rest = run(problem(100), resumed, FlowListener.NONE);
        assertEquals(50, rest.metrics().size(), "steps 51..100 only");
        assertArrayEquals(straight.particles().ids, rest.particles().ids);
        assertArrayEquals(straight.particles().x, rest.particles().x, "bit-identical particles");
        assertEquals(monitors(straight.metrics().subList(50, 100)), monitors(rest.metrics()));
        assertEquals(monitors(straight.metrics()), monitors(resumed.history()), "restored + new monitors = the full run's");
    }

    @Test
    void aRunKilledAfterAPeriodicCheckpointContinuesBitIdentically() {
        Run straight = run(problem(100), RunCheckpoints.off(), FlowListener.NONE);
        StringWriter log = new StringWriter();
        FlowListener killAt45 = m -> {
            if (m.step() == 45) {
                throw new IllegalStateException("killed");
            }
        };
        assertThrows(IllegalStateException.class, () -> run(problem(100), checkpoints(30, false, 100, log), killAt45));
        RunCheckpoints resumed = checkpoints(30, true, 100, log);
        assertEquals(30, resumed.resume().step, "the newest periodic checkpoint");
        assertTrue(resumed.resume().trained, "a periodic checkpoint carries θ trained for the next step");
        Run rest = run(problem(100), resumed, FlowListener.NONE);
        assertArrayEquals(straight.particles().x, rest.particles().x, "bit-identical particles");
        assertEquals(monitors(straight.metrics().subList(30, 100)), monitors(rest.metrics()));
    }

    @Test
    void checkpointsAreKeptNewestFirstAndWrittenAtTheirSteps() throws Exception {
        StringWriter log = new StringWriter();
        run(problem(50), checkpoints(20, false, 50, log), FlowListener.NONE);
        CheckpointStore store = new CheckpointStore(dir.resolve("ck").toString(), new Configuration());
        assertEquals(List.of(50, 40), store.completeSteps(), "checkpoint.keep = 2 newest of 20, 40, 50");
        try (var s = Files.list(dir.resolve("ck"))) {
            assertEquals(2, s.count(), "no temporary or older directory left");
        }
        assertTrue(Files.exists(dir.resolve("ck/step-000000050/particles/part-00000.bin")));
        assertTrue(Files.exists(dir.resolve("ck/step-000000050/_COMPLETE")));
    }

    @Test
    void aFreshRunReplacesTheCheckpointsOfAnEarlierRunAtItsFirstCheckpoint() throws Exception {
        StringWriter log = new StringWriter();
        run(problem(50), checkpoints(20, false, 50, log), FlowListener.NONE);
        run(problem(30), checkpoints(20, false, 30, log), FlowListener.NONE);
        CheckpointStore store = new CheckpointStore(dir.resolve("ck").toString(), new Configuration());
        assertEquals(List.of(30, 20), store.completeSteps(), "the 50-step run's checkpoints are gone, not kept as the newest");
    }

    @Test
    void aParticleFileDamagedInPlaceFailsItsChecksumWhenRead() throws Exception {
        StringWriter log = new StringWriter();
        run(problem(20), checkpoints(10, false, 20, log), FlowListener.NONE);
        Path part = dir.resolve("ck/step-000000020/particles/part-00000.bin");
        byte[] b = Files.readAllBytes(part);
        b[b.length / 2] ^= 1;
        Files.write(part, b); // same length: only a checksum can tell
        RunCheckpoints resumed = checkpoints(10, true, 30, log);
        assertEquals(20, resumed.resume().step, "a same-length file passes the length check");
        CheckpointFiles.CorruptCheckpoint e2 = assertThrows(CheckpointFiles.CorruptCheckpoint.class,
                () -> run(problem(30), resumed, FlowListener.NONE));
        assertTrue(e2.getMessage().endsWith("part-00000.bin is corrupt (checksum mismatch)"), e2.getMessage());
    }

    @Test
    void aCheckpointDirThatIsAFileIsRefusedBeforeTheRun() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunCheckpoints.open(
                new RunCheckpoints.Options(10, 2, file.resolve("ck").toString(), false), "unused", "{}", 10, null, new Configuration()));
        assertTrue(e.getMessage().startsWith("checkpoint.dir " + file.resolve("ck") + ": " + file + " is a file"), e.getMessage());
    }

    @Test
    void aTerminationSignalWritesACheckpointAtTheNextStepAndStops() {
        Run straight = run(problem(60), RunCheckpoints.off(), FlowListener.NONE);
        StringWriter log = new StringWriter();
        RunCheckpoints cp = checkpoints(1000, false, 60, log);
        FlowListener signalAt17 = m -> {
            if (m.step() == 17) {
                cp.requestStop();
            }
        };
        RunCheckpoints.Stopped stop = assertThrows(RunCheckpoints.Stopped.class, () -> run(problem(60), cp, signalAt17));
        assertTrue(stop.getMessage().contains("after step 17"), stop.getMessage());
        RunCheckpoints resumed = checkpoints(1000, true, 60, log);
        assertEquals(17, resumed.resume().step);
        assertArrayEquals(straight.particles().x, run(problem(60), resumed, FlowListener.NONE).particles().x);
    }

    /**
     * AB3 continues from the velocities of the two steps before the checkpoint, which travel in its
     * particle file (format version 2): resumed mid-run from a periodic checkpoint (step 30, after
     * the AB2/Heun start) and from the end of a 50-step run, it ends where the uninterrupted run ends.
     */
    @Test
    void anAb3RunResumedFromItsCheckpointsContinuesBitIdentically() throws Exception {
        Run straight = run(problem(100, Integrator.AB3), RunCheckpoints.off(), FlowListener.NONE);
        StringWriter log = new StringWriter();
        FlowListener killAt45 = m -> {
            if (m.step() == 45) {
                throw new IllegalStateException("killed");
            }
        };
        assertThrows(IllegalStateException.class, () -> run(problem(100, Integrator.AB3), checkpoints(30, false, 100, log), killAt45));
        assertEquals(2, partVersion(dir.resolve("ck/step-000000030/particles/part-00000.bin")), "a particle file with history");
        RunCheckpoints resumed = checkpoints(30, true, 100, log);
        assertEquals(30, resumed.resume().step);
        Run rest = run(problem(100, Integrator.AB3), resumed, FlowListener.NONE);
        assertArrayEquals(straight.particles().x, rest.particles().x, "bit-identical particles");
        assertEquals(monitors(straight.metrics().subList(30, 100)), monitors(rest.metrics()));

        Run first = run(problem(50, Integrator.AB3), checkpoints(20, false, 50, log), FlowListener.NONE);
        assertEquals(50, first.metrics().size());
        Run end = run(problem(100, Integrator.AB3), checkpoints(20, true, 100, log), FlowListener.NONE);
        assertArrayEquals(straight.particles().x, end.particles().x, "bit-identical particles after resuming a finished run");
        assertTrue(!java.util.Arrays.equals(straight.particles().x, run(problem(100), RunCheckpoints.off(), FlowListener.NONE)
                .particles().x), "ab3 is not euler");
    }

    /** Euler and Heun keep writing version-1 particle files, the format of checkpoints from before the history existed. */
    @Test
    void oneStepIntegratorsWriteTheVersionOneParticleFile() throws Exception {
        run(problem(10, Integrator.HEUN), checkpoints(10, false, 10, new StringWriter()), FlowListener.NONE);
        assertEquals(1, partVersion(dir.resolve("ck/step-000000010/particles/part-00000.bin")));
    }

    /** A checkpoint without velocities (an euler run's) cannot continue an AB3 flow: refused in one line, not restarted. */
    @Test
    void aCheckpointWithoutVelocityHistoryIsRefusedByAMultistepIntegrator() {
        StringWriter log = new StringWriter();
        run(problem(20), checkpoints(10, false, 20, log), FlowListener.NONE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(problem(30, Integrator.AB3), checkpoints(10, true, 30, log), FlowListener.NONE));
        assertEquals("resume refused: the checkpoint's particles of partition 0 carry no velocity history but flow.integrator = "
                + "ab3 continues from the last 2 steps' velocities; start afresh without --resume", e.getMessage());
    }
}
