package org.lipflow.divergence;

import java.util.Locale;

/** The convex function f of the (f, Γ_L)-divergence (config key {@code divergence.f}). */
public enum Family {
    /** f(x) = x log x − x + 1. */
    KL,
    /** f(x) = (x^α − 1)/(α(α − 1)), α &gt; 1. */
    ALPHA;

    public static Family parse(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "kl": return KL;
            case "alpha": return ALPHA;
            default:
                throw new IllegalArgumentException("divergence.f must be kl or alpha, got '" + s + "'");
        }
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
