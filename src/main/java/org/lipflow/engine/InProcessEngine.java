package org.lipflow.engine;

import org.lipflow.discriminator.MlpLayout;
import org.lipflow.flow.Block;
import org.lipflow.flow.DiscriminatorState;
import org.lipflow.flow.FlowKernel;
import org.lipflow.flow.FlowListener;
import org.lipflow.flow.FlowOptions;
import org.lipflow.flow.MoveStats;
import org.lipflow.flow.NonFiniteException;
import org.lipflow.flow.ParameterAverage;
import org.lipflow.flow.StepMetrics;
import org.lipflow.util.ChunkPool;

/**
 * The whole ensemble as one shard in this JVM, its rows split over local threads. Used for small
 * runs, tests and notebooks; the reference for the Spark engine (same kernel, same streams).
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
    public FlowResult run(FlowProblem problem, FlowListener listener) {
        FlowOptions o = problem.options();
        Block particles = problem.source().copy();
        MlpLayout layout = o.layout(particles.dimension, problem.classes());
        DiscriminatorState state = DiscriminatorState.initial(layout, o);
        if (listener.wantsSnapshot(0)) {
            listener.snapshot(0, particles);
        }
        try (ChunkPool pool = new ChunkPool(threads)) {
            FlowKernel kernel = new FlowKernel(o, layout, problem.target(), pool);
            for (int n = 1; n <= o.steps(); n++) {
                long t0 = System.nanoTime();
                double h = kernel.train(state, particles, n, 0, 0);
                state = ParameterAverage.single(state, particles.rows, o);
                MoveStats move = kernel.move(state, particles, n, 0);
                StepMetrics m = StepMetrics.of(n, h, move, (System.nanoTime() - t0) / 1e6);
                NonFiniteException.check(m);
                listener.step(m);
                if (listener.wantsSnapshot(n)) {
                    listener.snapshot(n, particles);
                }
            }
        }
        return new FlowResult(particles, state);
    }
}
