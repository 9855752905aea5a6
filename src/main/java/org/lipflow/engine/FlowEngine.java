package org.lipflow.engine;

import org.lipflow.checkpoint.RunCheckpoints;
import org.lipflow.flow.FlowListener;

/**
 * Runs a flow somewhere: in this process, or on Spark executors. Engines only distribute the
 * step composition of {@link org.lipflow.flow.ShardFlow}; labels come from
 * {@link FlowProblem#labels()} and particles leave through {@link Particles}, the same for every engine.
 */
public interface FlowEngine extends AutoCloseable {

    /** A short name for logs and the manifest. */
    String name();

    /** Where it runs, for the log: threads, or master and partitions. */
    String placement();

    FlowResult run(FlowProblem problem, FlowListener listener);

    /**
     * Runs the flow with checkpoints: written as {@code checkpoints} asks, and continued from its
     * resume point when it has one. Engines that cannot checkpoint refuse when asked to.
     */
    default FlowResult run(FlowProblem problem, FlowListener listener, RunCheckpoints checkpoints) {
        if (checkpoints.enabled() || checkpoints.resume() != null) {
            throw new IllegalArgumentException("the " + name() + " engine does not write checkpoints: set checkpoint.interval = 0");
        }
        return run(problem, listener);
    }

    @Override
    default void close() {
    }
}
