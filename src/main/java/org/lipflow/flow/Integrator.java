package org.lipflow.flow;

import java.util.Locale;

/** Time stepping of dY/dt = −∇φ*(Y). */
public enum Integrator {
    /** Y ← Y − Δt∇φ(Y). */
    EULER,
    /**
     * Heun (explicit trapezoid), as in the reference: predictor Y* = Y − Δt v₀, re-train the
     * discriminator at Y* (the field depends on the particles), corrector Y − Δt(v₀ + v₁)/2.
     * Twice the cost of Euler per step.
     */
    HEUN;

    public static Integrator parse(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "euler": case "forward-euler": return EULER;
            case "heun": return HEUN;
            default:
                throw new IllegalArgumentException("flow.integrator must be euler or heun, got '" + s + "'");
        }
    }
}
