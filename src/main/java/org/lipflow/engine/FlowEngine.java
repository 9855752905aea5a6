package org.lipflow.engine;

import org.lipflow.flow.FlowListener;

/** Runs a flow somewhere: in this process, or on Spark executors. */
public interface FlowEngine extends AutoCloseable {

    /** A short name for logs and the manifest. */
    String name();

    FlowResult run(FlowProblem problem, FlowListener listener);

    @Override
    default void close() {
    }
}
