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

    /**
     * θ_n, the discriminator whose field −∇φ_θn moves the particles at step n (1 ≤ n ≤ steps),
     * before that move; must not be kept after return (copy it). The Spark engine reports it
     * when every step is averaged (engine.averaging-frequency = 1), which lets a fitted flow be
     * replayed on new points ({@code ml.ParticleFlowModel}).
     */
    default void discriminator(int step, DiscriminatorState theta) {
    }

    /**
     * True if the particles after {@code step} should be measured ({@link #monitor}) before the
     * step's monitors are reported through {@link #step}.
     */
    default boolean wantsMonitor(int step) {
        return false;
    }

    /** The particles after {@code step}, before {@link #step} reports it, at the steps {@link #wantsMonitor} asks for. */
    default void monitor(int step, LiveParticles particles) {
    }

    FlowListener NONE = m -> { };
}
