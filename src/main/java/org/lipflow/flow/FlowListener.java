package org.lipflow.flow;

/** Receives the monitors of every step and, at the requested steps, the particles themselves. */
public interface FlowListener {

    void step(StepMetrics metrics);

    /** True if the engine should hand over the particles after {@code step} (0 = the source). */
    default boolean wantsSnapshot(int step) {
        return false;
    }

    /** The particles (or a sample of them) after {@code step}; must not be kept after return. */
    default void snapshot(int step, Block particles) {
    }

    FlowListener NONE = m -> { };
}
