package org.lipflow.divergence;

/**
 * Kullback–Leibler: f(x) = x log x − x + 1, f*(y) = eʸ − 1. Here ν* = log E_Q e^φ in closed form,
 * and H becomes the Donsker–Varadhan bound E_P φ − log E_Q e^φ, computed with log-sum-exp so that
 * φ of order 10³ does not overflow (the reference's naive form does, on heavy-tailed targets).
 */
public final class KlDivergence implements FDivergence {
    private static final long serialVersionUID = 1L;

    /** Donsker–Varadhan (closed form) or the Legendre form evaluated at the exact ν*. */
    private final boolean donskerVaradhan;

    public KlDivergence(boolean donskerVaradhan) {
        this.donskerVaradhan = donskerVaradhan;
    }

    @Override
    public String name() {
        return "kl";
    }

    public boolean donskerVaradhan() {
        return donskerVaradhan;
    }

    @Override
    public double conjugate(double y) {
        return Math.expm1(y);
    }

    @Override
    public double conjugateDerivative(double y) {
        return Math.exp(y);
    }

    /** log mean e^φ, max-shifted. */
    @Override
    public double optimalNu(float[] phiQ, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, phiQ[j]);
        }
        if (!(max < Double.POSITIVE_INFINITY)) {
            return max; // NaN or +inf propagate to H, where the flow detects them
        }
        double s = 0;
        for (int j = 0; j < n; j++) {
            s += Math.exp(phiQ[j] - max);
        }
        return max + Math.log(s / n);
    }

    @Override
    public double legendreTerm(float[] phiQ, int n, double nu) {
        // at ν = ν*, E_Q[e^(φ−ν) − 1] = 0: the DV form is the term itself
        return donskerVaradhan ? nu : FDivergence.super.legendreTerm(phiQ, n, nu);
    }
}
