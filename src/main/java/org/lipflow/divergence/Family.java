package org.lipflow.divergence;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The convex function f of the (f, Γ_L)-divergence (config key {@code divergence.f}). */
public enum Family {
    /** f(x) = x log x − x + 1: KL(P‖Q). */
    KL("kl"),
    /** f(x) = (x^α − 1)/(α(α − 1)), α &gt; 1. */
    ALPHA("alpha"),
    /** f(x) = x − 1 − log x (≡ −log x): KL(Q‖P). */
    REVERSE_KL("reverse-kl"),
    /** f(x) = x log x − (x+1) log((x+1)/2): 2·Jensen–Shannon (the f-GAN form), at most log 4. */
    JS("js"),
    /** f(x) = (√x − 1)²: squared Hellinger ∫(√p − √q)², at most 2. */
    HELLINGER("hellinger"),
    /** f(x) = (x − 1)²: Pearson χ² ∫(p − q)²/q. */
    CHI2("chi2");

    private final String configName;

    Family(String configName) {
        this.configName = configName;
    }

    /** The valid values of {@code divergence.f}, for error messages: "kl | alpha | ...". */
    public static String names() {
        return Arrays.stream(values()).map(Family::configName).collect(Collectors.joining(" | "));
    }

    public static Family parse(String s) {
        String key = s == null ? "" : s.toLowerCase(Locale.ROOT);
        for (Family f : values()) {
            if (f.configName.equals(key)) {
                return f;
            }
        }
        throw new IllegalArgumentException("divergence.f must be one of " + names() + ", got '" + s + "'");
    }

    public String configName() {
        return configName;
    }
}
