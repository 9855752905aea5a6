package org.lipflow.flow;

/**
 * Stops a flow whose particles fly apart without ever producing NaN (e.g. L = 10⁶, Δt = 10 on the
 * mixture: H = 10¹⁰, particles 10⁵ away from a target inside [0, 4]², all finite). It watches the
 * spread s_n (RMS distance of the particles from the target's mean) and raises a
 * {@link NonFiniteException} when s_n exceeds {@code factor} times the scale R of the problem:
 * R = max(s_Q, s_1 − L·Δt), the target's own spread or a lower bound of the source's (a step moves
 * no particle farther than L·Δt, so s_0 ≥ s_1 − L·Δt). A flow that transports P₀ toward Q stays
 * within a few R; factor = 0 turns the guard off. Non-finite monitors are checked too.
 */
public final class BlowupGuard implements FlowListener {
    private final double factor;
    private final double targetSpread;
    private final double maxStep;
    private final FlowListener next;
    private double scale = Double.NaN;

    /**
     * @param factor       flow.blowup-factor (≥ 0; 0 = off)
     * @param targetSpread s_Q, see {@link #spread(Block)}
     * @param maxStep      L·Δt, the farthest one step moves a particle
     */
    public BlowupGuard(double factor, double targetSpread, double maxStep, FlowListener next) {
        if (!(factor >= 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("flow.blowup-factor must be >= 0 and finite (0 = off), got " + factor);
        }
        this.factor = factor;
        this.targetSpread = targetSpread;
        this.maxStep = maxStep;
        this.next = next;
    }

    /** RMS distance of a block's rows from their mean. */
    public static double spread(Block b) {
        int d = b.dimension;
        double[] mean = new double[d];
        for (int o = 0; o < b.x.length; o++) {
            mean[o % d] += b.x[o];
        }
        double sum = 0;
        for (int o = 0; o < b.x.length; o++) {
            double e = b.x[o] - mean[o % d] / b.rows;
            sum += e * e;
        }
        return Math.sqrt(sum / Math.max(1, b.rows));
    }

    /** The scale R the spread is compared with (NaN before the first step). */
    public double scale() {
        return scale;
    }

    @Override
    public void step(StepMetrics m) {
        NonFiniteException.check(m);
        if (Double.isNaN(scale)) {
            scale = Math.max(targetSpread, m.spread() - maxStep);
            if (!(scale > 0)) {
                scale = maxStep; // a point target and a point source: one step is the only scale there is
            }
        }
        if (factor > 0 && m.spread() > factor * scale) {
            throw new NonFiniteException(String.format("particles diverged at step %d (spread %.4g, more than flow.blowup-factor"
                    + " = %s times the problem's scale %.4g; divergence=%.4g, kinetic_energy=%.4g, max_speed=%.4g): the flow"
                    + " blew up; try a smaller flow.dt or divergence.lipschitz, or f = alpha for heavy tails",
                    m.step(), m.spread(), factor, scale, m.divergence(), m.kineticEnergy(), m.maxSpeed()));
        }
        next.step(m);
    }

    @Override
    public boolean wantsSnapshot(int step) {
        return next.wantsSnapshot(step);
    }

    @Override
    public void snapshot(int step, Block particles) {
        next.snapshot(step, particles);
    }

    @Override
    public boolean wantsMonitor(int step) {
        return next.wantsMonitor(step);
    }

    @Override
    public void monitor(int step, LiveParticles particles) {
        next.monitor(step, particles);
    }
}
