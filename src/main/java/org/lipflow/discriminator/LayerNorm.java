package org.lipflow.discriminator;

import java.util.Locale;

/** Which matrix norm bounds each layer: the true spectral norm, or the reference code's Frobenius norm. */
public enum LayerNorm {
    /** ‖W‖₂ by power iteration with a persistent vector per layer (Miyato et al.). */
    SPECTRAL,
    /** ‖W‖_F, what the authors' code computes; ‖W‖₂ ≤ ‖W‖_F so this is a stricter bound. */
    FROBENIUS;

    public static LayerNorm parse(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "spectral": return SPECTRAL;
            case "frobenius": return FROBENIUS;
            default:
                throw new IllegalArgumentException("discriminator.norm must be spectral or frobenius, got '" + s + "'");
        }
    }
}
