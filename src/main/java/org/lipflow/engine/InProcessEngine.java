package org.lipflow.engine;

import org.lipflow.discriminator.MlpLayout;
import org.lipflow.flow.Block;
import org.lipflow.flow.DiscriminatorState;
import org.lipflow.flow.FlowListener;
import org.lipflow.flow.FlowOptions;
import org.lipflow.flow.LabelSampler;
import org.lipflow.flow.NonFiniteException;
import org.lipflow.flow.ShardFlow;
import org.lipflow.flow.StepMetrics;
import org.lipflow.util.ChunkPool;

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
        FlowOptions o = problem.options();
        Block target = problem.target().local();
        Block source = problem.source().local();
        if (target == null || source == null) {
            throw new IllegalArgumentException("the in-process engine needs target and particles in this JVM; "
                    + "a distributed " + (target == null ? "target" : "source") + " needs engine.type = spark");
        }
        LabelSampler labels = problem.labels();
        Block particles = labels.attach(source).copy();
        MlpLayout layout = o.layout(particles.dimension, labels.classes());
        if (listener.wantsSnapshot(0)) {
            listener.snapshot(0, particles);
        }
        try (ChunkPool pool = new ChunkPool(threads)) {
            ShardFlow shard = new ShardFlow(o, target, particles, DiscriminatorState.initial(layout, o), 0, pool);
            double h = shard.step(0).divergence();
            for (int n = 1; n <= o.flow().steps(); n++) {
                long t0 = System.nanoTime();
                ShardFlow.LocalStep s = shard.step(n); // step n's move, then step n+1's training
                StepMetrics m = StepMetrics.of(n, h, s.moved(), (System.nanoTime() - t0) / 1e6);
                NonFiniteException.check(m);
                listener.step(m);
                if (listener.wantsSnapshot(n)) {
                    listener.snapshot(n, particles);
                }
                h = s.divergence();
            }
            return new FlowResult(Particles.of(particles), shard.state());
        }
    }
}
