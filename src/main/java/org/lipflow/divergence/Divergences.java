package org.lipflow.divergence;

/** Builds an {@link FDivergence} from its configuration. */
public final class Divergences {
    private Divergences() {
    }

    /**
     * @param f           which f (see {@link Family})
     * @param alpha       α for the α-divergence (ignored otherwise)
     * @param formulation Donsker–Varadhan (KL only) or the Legendre transform with exact ν
     */
    public static FDivergence of(Family f, double alpha, Formulation formulation) {
        return switch (f) {
            case KL -> new KlDivergence(formulation == Formulation.DV);
            case ALPHA -> new AlphaDivergence(alpha);
            case REVERSE_KL -> new ReverseKlDivergence();
            case JS -> new JensenShannonDivergence();
            case HELLINGER -> new HellingerDivergence();
            case CHI2 -> new ChiSquaredDivergence();
        };
    }

    /** The same from configuration names ({@link Family#names()}, "dv" | "lt"). */
    public static FDivergence of(String f, double alpha, String formulation) {
        Formulation form = Formulation.parse(formulation);
        return of(Family.parse(f), alpha, form);
    }
}
