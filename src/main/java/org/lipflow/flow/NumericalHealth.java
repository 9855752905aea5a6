package org.lipflow.flow;

import org.lipflow.divergence.Family;

import java.util.Optional;

/**
 * Numerical health of a flow. The kernel checks one aggregate it already computes per quantity,
 * in the step it appears: H for φ, the sum of the θ-gradient, the sum of the updated weights, the
 * move's monitors for the particles (a non-finite element makes its sum non-finite, so one
 * {@code isFinite} per aggregate replaces a pass over the elements). A failure stops the flow
 * with a {@link NonFiniteException} that names the step, the quantity and its likely cause. Also
 * the start-up warning when one step L·Δt is large against the target's spread.
 */
public final class NumericalHealth {
    /** What went non-finite, in the order a step computes them. */
    public enum Quantity {
        PHI("phi"), GRADIENT("gradient"), WEIGHTS("weights"), PARTICLES("particles");

        /** The name messages use. */
        public final String label;

        Quantity(String label) {
            this.label = label;
        }
    }

    private NumericalHealth() {
    }

    /** Throws when {@code aggregate} (a sum over the quantity's elements, or H) is NaN or infinite. */
    static void check(double aggregate, Quantity q, long step, FlowOptions o, Block target) {
        if (!Double.isFinite(aggregate)) {
            throw new NonFiniteException(message(q, step, aggregate, o, target == null ? Double.NaN : BlowupGuard.spread(target)));
        }
    }

    /** The one-line message: step, quantity, the offending aggregate and the likely cause. */
    static String message(Quantity q, long step, double aggregate, FlowOptions o, double targetSpread) {
        String what = switch (q) {
            case PHI -> "H = " + aggregate;
            case GRADIENT -> "sum of dH/dtheta = " + aggregate;
            case WEIGHTS -> "sum of the weights = " + aggregate;
            case PARTICLES -> "kinetic energy, max speed or spread = " + aggregate;
        };
        return "non-finite " + q.label + " at step " + step + " (" + what + "): likely cause: " + likelyCause(q, o, targetSpread);
    }

    /** What most likely made the quantity non-finite, with the keys to change. */
    static String likelyCause(Quantity q, FlowOptions o, double targetSpread) {
        boolean kl = o.divergence().f() == Family.KL;
        double lr = o.training().learningRate(), l = o.divergence().lipschitz(), dt = o.flow().dt();
        return switch (q) {
            case PHI -> (kl ? "heavy tails with divergence.f = kl (try divergence.f = alpha), or " : "")
                    + "divergence.lipschitz = " + l + " too large for the data's scale (|phi| grows like L|x|)";
            case GRADIENT -> "discriminator.learning-rate = " + lr + " too large"
                    + (kl ? ", or heavy tails with divergence.f = kl (try divergence.f = alpha)" : "");
            case WEIGHTS -> "discriminator.learning-rate = " + lr + " too large (Adam moved the weights beyond float range)";
            case PARTICLES -> String.format("dt*L = %.4g (flow.dt x divergence.lipschitz) large against the data's scale "
                    + "(target spread %.4g): lower flow.dt or divergence.lipschitz", dt * l, targetSpread);
        };
    }

    /**
     * The start-up warning when one step can move a particle farther than {@code fraction} times
     * the target's spread (RMS distance from its mean): the explicit scheme then overshoots.
     *
     * @param fraction flow.step-warning-fraction (&gt; 0)
     */
    public static Optional<String> stepWarning(double fraction, FlowOptions o, double targetSpread) {
        double step = o.divergence().lipschitz() * o.flow().dt();
        if (!(step > fraction * targetSpread)) {
            return Optional.empty();
        }
        return Optional.of(String.format("warning: dt*L = %.4g (flow.dt = %s x divergence.lipschitz = %s) exceeds "
                        + "flow.step-warning-fraction = %s of the target's spread %.4g: particles may overshoot or blow up; "
                        + "lower flow.dt or divergence.lipschitz", step, o.flow().dt(), o.divergence().lipschitz(), fraction,
                targetSpread));
    }
}
