package org.lipflow.engine;

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

    @Override
    default void close() {
    }
}
