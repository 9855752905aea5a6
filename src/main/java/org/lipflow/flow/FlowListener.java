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

    FlowListener NONE = m -> { };
}
