package org.lipflow.engine;

import org.lipflow.checkpoint.CheckpointFiles;
import org.lipflow.checkpoint.RunCheckpoints;
import org.lipflow.discriminator.MlpLayout;
import org.lipflow.flow.Block;
import org.lipflow.flow.DiscriminatorState;
import org.lipflow.flow.FlowListener;
import org.lipflow.flow.FlowOptions;
import org.lipflow.flow.LabelSampler;
import org.lipflow.flow.LiveParticles;
import org.lipflow.flow.NonFiniteException;
import org.lipflow.flow.ShardFlow;
import org.lipflow.flow.StepMetrics;
import org.lipflow.flow.StopRule;
import org.lipflow.util.ChunkPool;

import java.util.List;

/**
 * The whole ensemble as one shard in this JVM, its rows split over local threads. Used for small
 * runs, tests and notebooks; the reference for the Spark engine (same {@link ShardFlow}, same
 * streams).
 */
public final class InProcessEngine implements FlowEngine {
    private final int threads;

    /** @param threads worker threads; 0 = all available processors */
    public InProcessEngine(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("engine.threads must be >= 0 (0 = all cores), got " + threads);
        }
        this.threads = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }

    @Override
    public String name() {
        return "inprocess";
    }

    @Override
    public String placement() {
        return threads + " thread" + (threads == 1 ? "" : "s");
    }

    @Override
    public FlowResult run(FlowProblem problem, FlowListener listener) {
        return run(problem, listener, RunCheckpoints.off());
    }

    /**
     * Runs the flow, writing checkpoints as {@code checkpoints} asks and continuing from its
     * {@link RunCheckpoints#resume()} when there is one (the restored monitors are not passed to
     * {@code listener} again).
     */
    @Override
    public FlowResult run(FlowProblem problem, FlowListener listener, RunCheckpoints checkpoints) {
        FlowOptions o = problem.options();
        Block target = problem.target().local();
        Block source = problem.source().local();
        if (target == null || source == null) {
            throw new IllegalArgumentException("the in-process engine needs target and particles in this JVM; "
                    + "a distributed " + (target == null ? "target" : "source") + " needs engine.type = spark");
        }
        LabelSampler labels = problem.labels();
        MlpLayout layout = o.layout(target.dimension, labels.classes());
        RunCheckpoints.Resume resume = checkpoints.resume();
        Block particles;
        DiscriminatorState state;
        int start = 0;
        double h = Double.NaN;
        if (resume == null) {
            particles = ShardFlow.prepare(o, labels.attach(source).copy(), 0, 0);
            state = DiscriminatorState.initial(layout, o);
        } else {
            resume.requirePartitions(1);
            CheckpointFiles.State restored = resume.state(layout);
            state = restored.state();
            start = resume.step;
            particles = ShardFlow.prepare(o, resume.parts().read(0), start, 0);
            h = restored.pendingDivergence();
        }
        listener = checkpoints.track(listener);
        if (start == 0 && listener.wantsSnapshot(0)) {
            listener.snapshot(0, particles);
        }
        int steps = o.flow().steps();
        // a resumed run that had stopped stays stopped: no step runs, its checkpoint's particles are the result
        StopRule stop = StopRule.replay(o.flow().stop(), checkpoints.restoredMetrics());
        try (ChunkPool pool = new ChunkPool(threads)) {
            ShardFlow shard = new ShardFlow(o, target, particles, state, 0, pool, start);
            if ((resume == null || !resume.trained) && !stop.stopped()) {
                h = shard.step(start).divergence(); // no move: the training of step start+1
            }
            for (int n = start + 1; n <= steps && !stop.stopped(); n++) {
                long t0 = System.nanoTime();
                ShardFlow.LocalStep s = shard.step(n); // step n's move, then step n+1's training
                StepMetrics m = StepMetrics.of(n, h, s.moved(), (System.nanoTime() - t0) / 1e6);
                NonFiniteException.check(m);
                boolean stopped = stop.observe(m);
                // quality monitors go into the step's own line, so they are measured before it is reported
                if (listener.wantsMonitor(n) || stopped && listener.wantsMonitor(steps)) {
                    listener.monitor(n, LiveParticles.of(particles));
                }
                listener.step(m);
                // a stopped run's last particles take the place of the final step's snapshot
                if (listener.wantsSnapshot(n) || stopped && listener.wantsSnapshot(steps)) {
                    listener.snapshot(n, particles);
                }
                h = s.divergence();
                if (checkpoints.due(n, n, stopped ? n : steps)) { // a stop is the run's last step: its checkpoint is due
                    RunCheckpoints.Writing w = checkpoints.begin(n);
                    checkpoints.commit(w, shard.averagedState(), n < steps, h, name(), List.of(w.parts().write(0, particles)));
                }
                checkpoints.stopIfRequested();
            }
            return new FlowResult(Particles.of(particles), shard.state());
        }
    }
}
