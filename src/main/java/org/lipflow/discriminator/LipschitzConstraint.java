package org.lipflow.discriminator;

import java.io.Serializable;
import java.util.Locale;

/**
 * The bound Lip(φ) ≤ L and how it is enforced after every optimizer step and every parameter
 * average: which matrix norm bounds each layer ({@code discriminator.norm}) and whether weights
 * are projected onto the ball or rescaled onto its surface ({@code discriminator.constraint}).
 *
 * @param lipschitz L &gt; 0 ({@code divergence.lipschitz})
 * @param norm      spectral (power iteration) or Frobenius (the reference code's bound)
 * @param mode      projection (default) or the reference's rescaling
 */
public record LipschitzConstraint(double lipschitz, LayerNorm norm, Mode mode) implements Serializable {

    /** How a layer's weights are put back into the ball of radius c = L^(1/ℓ). */
    public enum Mode {
        /** W ← W·min(1, c/‖W‖): the ball is convex, so averages of projected weights stay inside. */
        PROJECT,
        /** W ← W·c/‖W‖ after every step, even when already smaller (the reference code). */
        RESCALE;

        public static Mode parse(String s) {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "project": return PROJECT;
                case "rescale": return RESCALE;
                default:
                    throw new IllegalArgumentException("discriminator.constraint must be project or rescale, got '" + s + "'");
            }
        }

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
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
            throw new IllegalArgumentException("discriminator.constraint must be project or rescale, got null");
        }
    }

    /** Puts every weight matrix of {@code params} back into the ball, in place, advancing the power vectors u. */
    public void apply(MlpLayout layout, float[] params, float[][] u) {
        SpectralNorm.constrain(layout, params, u, this);
    }

    /** c = L^(1/ℓ), the bound on each of the ℓ layers. */
    public double perLayerBound(MlpLayout layout) {
        return SpectralNorm.perLayerBound(layout, lipschitz);
    }
}
