package org.lipflow.divergence;

import java.util.Locale;

/**
 * How H is computed for KL (config key {@code divergence.formulation}); every other f always uses
 * the Legendre form.
 */
public enum Formulation {
    /** Donsker–Varadhan: H = E_P φ − log E_Q e^φ (single pass). */
    DV,
    /** Legendre transform with ν solved exactly. */
    LT;

    public static Formulation parse(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "dv": return DV;
            case "lt": return LT;
            default:
                throw new IllegalArgumentException("divergence.formulation must be dv or lt, got '" + s + "'");
        }
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
