package org.lipflow.discriminator;

import java.io.Serializable;
import java.util.Locale;

/**
 * The bound Lip(φ) ≤ L and how it is enforced after every optimizer step and every parameter
 * average: which matrix norm bounds each layer ({@code discriminator.norm}) and whether weights
 * are projected onto the ball or rescaled onto its surface ({@code discriminator.constraint}), or
 * whether the bound is a soft gradient penalty in the objective instead.
 *
 * @param lipschitz L &gt; 0 ({@code divergence.lipschitz})
 * @param norm      spectral (power iteration) or Frobenius (the reference code's bound)
 * @param mode      projection (default), the reference's rescaling, or a gradient penalty
 * @param penalty   λ and the side of the penalty; used only in {@link Mode#GRADIENT_PENALTY}
 */
public record LipschitzConstraint(double lipschitz, LayerNorm norm, Mode mode, GradientPenalty penalty)
        implements Serializable {

    /** How a layer's weights are put back into the ball of radius c = L^(1/ℓ). */
    public enum Mode {
        /** W ← W·min(1, c/‖W‖): the ball is convex, so averages of projected weights stay inside. */
        PROJECT,
        /** W ← W·c/‖W‖ after every step, even when already smaller (the reference code). */
        RESCALE,
        /**
         * No weight constraint: the objective carries λ·E_P[ψ(‖∇ₓφ‖)] ({@link GradientPenalty}), so
         * Lip(φ) ≤ L holds only approximately, and only where the particles are.
         */
        GRADIENT_PENALTY;

        public static Mode parse(String s) {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "project": return PROJECT;
                case "rescale": return RESCALE;
                case "gradient-penalty": return GRADIENT_PENALTY;
                default:
                    throw new IllegalArgumentException(
                            "discriminator.constraint must be project, rescale or gradient-penalty, got '" + s + "'");
            }
        }

        public String configName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public LipschitzConstraint {
        if (!(lipschitz > 0) || Double.isInfinite(lipschitz)) {
            throw new IllegalArgumentException("divergence.lipschitz must be > 0 and finite, got " + lipschitz);
        }
        if (norm == null) {
            throw new IllegalArgumentException("discriminator.norm must be spectral or frobenius, got null");
        }
        if (mode == null) {
            throw new IllegalArgumentException("discriminator.constraint must be project, rescale or gradient-penalty, got null");
        }
        if (penalty == null) {
            throw new IllegalArgumentException("discriminator.penalty-weight and discriminator.penalty are required, got null");
        }
    }

    /** A weight constraint (the penalty's settings at their defaults, unused). */
    public LipschitzConstraint(double lipschitz, LayerNorm norm, Mode mode) {
        this(lipschitz, norm, mode, GradientPenalty.DEFAULT);
    }

    /** Whether the bound is the soft penalty in the objective rather than a weight constraint. */
    public boolean penalized() {
        return mode == Mode.GRADIENT_PENALTY;
    }

    /**
     * Puts every weight matrix of {@code params} back into the ball, in place, advancing the power
     * vectors u. Nothing under a gradient penalty: there the bound lives in the objective.
     */
    public void apply(MlpLayout layout, float[] params, float[][] u) {
        if (!penalized()) {
            SpectralNorm.constrain(layout, params, u, this);
        }
    }

    /**
     * The initial weights: projected into the ball in every mode, so that a penalised
     * discriminator, too, starts with Lip(φ) ≤ L (its one-sided penalty is then zero at first).
     */
    public void applyInitial(MlpLayout layout, float[] params, float[][] u) {
        SpectralNorm.constrain(layout, params, u, penalized() ? new LipschitzConstraint(lipschitz, norm, Mode.PROJECT) : this);
    }

    /** c = L^(1/ℓ), the bound on each of the ℓ layers. */
    public double perLayerBound(MlpLayout layout) {
        return SpectralNorm.perLayerBound(layout, lipschitz);
    }
}
