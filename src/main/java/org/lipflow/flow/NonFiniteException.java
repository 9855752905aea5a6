package org.lipflow.flow;

/** The flow produced NaN or infinite values: a numerical blow-up that must not be written out. */
public final class NonFiniteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NonFiniteException(String message) {
        super(message);
    }

    /** Throws when a step's monitors are not finite. */
    public static void check(StepMetrics m) {
        if (!finite(m)) {
            throw new NonFiniteException("non-finite values at step " + m.step() + " (divergence=" + m.divergence()
                    + ", kinetic_energy=" + m.kineticEnergy() + ", max_speed=" + m.maxSpeed() + ", spread=" + m.spread()
                    + "): the flow blew up; try a smaller flow.dt or divergence.lipschitz, or f = alpha for heavy tails");
        }
    }

    /** Whether a step's monitors are all finite. */
    public static boolean finite(StepMetrics m) {
        return Double.isFinite(m.divergence()) && Double.isFinite(m.kineticEnergy()) && Double.isFinite(m.maxSpeed())
                && Double.isFinite(m.spread());
    }
}
