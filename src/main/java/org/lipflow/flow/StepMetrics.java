package org.lipflow.flow;

/**
 * Monitors of one outer step: the divergence estimate H (at the particles before the move), the
 * kinetic energy and max speed of the move, and the wall time of the step.
 */
public record StepMetrics(int step, double divergence, double kineticEnergy, double maxSpeed, double millis) {
}
