package org.lipflow.discriminator;

import java.io.Serializable;
import java.util.Locale;

/**
 * The soft Lipschitz bound: instead of constraining the weights, the discriminator's objective
 * loses λ·E_P[ψ(‖∇ₓφ‖)] with ψ(s) = max(0, s − L)² (one-sided) or (s − L)² (two-sided), as in
 * WGAN-GP (Gulrajani et al. 2017). The expectation is over the particles, where the reference
 * code evaluates its penalty and where the flow uses ∇ₓφ, so it needs no random interpolates.
 *
 * @param weight λ &gt; 0 ({@code discriminator.penalty-weight})
 * @param side   one-sided (default) or two-sided ({@code discriminator.penalty})
 */
public record GradientPenalty(double weight, Side side) implements Serializable {

    /** λ = 10, WGAN-GP's value; the peer (gpa.py) has no soft constraint to take one from. */
    public static final GradientPenalty DEFAULT = new GradientPenalty(10.0, Side.ONE_SIDED);

    /** Which deviations of ‖∇ₓφ‖ from L are penalised. */
    public enum Side {
        /** max(0, ‖∇ₓφ‖ − L)²: only slopes above L; any φ with Lip(φ) ≤ L costs nothing. */
        ONE_SIDED,
        /** (‖∇ₓφ‖ − L)²: pulls every slope towards L (WGAN-GP's form). */
        TWO_SIDED;

        public static Side parse(String s) {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "one-sided": return ONE_SIDED;
                case "two-sided": return TWO_SIDED;
                default:
                    throw new IllegalArgumentException("discriminator.penalty must be one-sided or two-sided, got '" + s + "'");
            }
        }

        public String configName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public GradientPenalty {
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("discriminator.penalty-weight must be > 0 and finite, got " + weight);
        }
        if (side == null) {
            throw new IllegalArgumentException("discriminator.penalty must be one-sided or two-sided, got null");
        }
    }

    public boolean oneSided() {
        return side == Side.ONE_SIDED;
    }

    /** ψ(s) for a slope s = ‖∇ₓφ‖ against the bound L. */
    public static double psi(double s, double lipschitz, boolean oneSided) {
        double e = s - lipschitz;
        return oneSided && e < 0 ? 0 : e * e;
    }
}
