package org.lipflow.divergence;

/** Builds an {@link FDivergence} from its configuration. */
public final class Divergences {
    private Divergences() {
    }

    /**
     * @param f           KL or α
     * @param alpha       α for the α-divergence (ignored for KL)
     * @param formulation Donsker–Varadhan (KL only) or the Legendre transform with exact ν
     */
    public static FDivergence of(Family f, double alpha, Formulation formulation) {
        return f == Family.KL ? new KlDivergence(formulation == Formulation.DV) : new AlphaDivergence(alpha);
    }

    /** The same from configuration names ("kl" | "alpha", "dv" | "lt"). */
    public static FDivergence of(String f, double alpha, String formulation) {
        Formulation form = Formulation.parse(formulation);
        return of(Family.parse(f), alpha, form);
    }
}
