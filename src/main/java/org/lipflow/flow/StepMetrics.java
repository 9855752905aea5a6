package org.lipflow.flow;

/**
 * Monitors of one outer step: the divergence estimate H (at the particles before the move), the
 * kinetic energy and max speed of the move, the spread of the moved particles (RMS distance from
 * the target's mean) and the wall time of the step.
 */
public record StepMetrics(int step, double divergence, double kineticEnergy, double maxSpeed, double spread,
                          double millis) {

    /** The monitors of step n from its training's H and its move. */
    public static StepMetrics of(int step, double divergence, MoveStats move, double millis) {
        return new StepMetrics(step, divergence, move.kineticEnergy(), move.maxSpeed(), move.spread(), millis);
    }
}
