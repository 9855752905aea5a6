package org.lipflow.divergence;

import java.util.Locale;

/** Builds an {@link FDivergence} from its configuration name. */
public final class Divergences {
    private Divergences() {
    }

    /**
     * @param f           "kl" or "alpha"
     * @param alpha       α for the α-divergence (ignored for KL)
     * @param formulation "dv" (Donsker–Varadhan, KL only) or "lt" (Legendre transform, exact ν)
     */
    public static FDivergence of(String f, double alpha, String formulation) {
        String form = formulation.toLowerCase(Locale.ROOT);
        if (!form.equals("dv") && !form.equals("lt")) {
            throw new IllegalArgumentException("divergence.formulation must be dv or lt, got '" + formulation + "'");
        }
        switch (f.toLowerCase(Locale.ROOT)) {
            case "kl":
                return new KlDivergence(form.equals("dv"));
            case "alpha":
                return new AlphaDivergence(alpha);
            default:
                throw new IllegalArgumentException("divergence.f must be kl or alpha, got '" + f + "'");
        }
    }
}
