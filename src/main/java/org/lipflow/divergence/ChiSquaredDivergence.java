package org.lipflow.divergence;

/**
 * Pearson χ², ∫(p − q)²/q: f(x) = (x − 1)², taken on the whole real line, so f*(y) = y + y²/4 and
 * f*'(y) = 1 + y/2 everywhere (no domain to guard). Then ν* = mean_Q φ in closed form and
 *
 * <pre>  H[φ] = E_P φ − E_Q φ − ¼ Var_Q φ.</pre>
 *
 * Restricting f to x ≥ 0 would give the smaller conjugate max(y + y²/4, −1) and a piecewise ν*;
 * both forms have the same supremum χ²(P‖Q) as L → ∞ (the optimal φ = 2(p/q − 1) + c implies a
 * ratio ≥ 0) and agree whenever min φ ≥ mean φ − 2. The quadratic form is the smaller of the two
 * (f* is larger), so D ≤ min(χ², L·W1) still holds.
 */
public final class ChiSquaredDivergence implements FDivergence {
    private static final long serialVersionUID = 1L;

    @Override
    public String name() {
        return Family.CHI2.configName();
    }

    @Override
    public double conjugate(double y) {
        return y + 0.25 * y * y;
    }

    @Override
    public double conjugateDerivative(double y) {
        return 1 + 0.5 * y;
    }

    /** mean_j φ_j: the root of mean_j (1 + (φ_j − ν)/2) = 1. */
    @Override
    public double optimalNu(float[] phiQ, int n) {
        double s = 0;
        for (int j = 0; j < n; j++) {
            s += phiQ[j];
        }
        return s / n;
    }
}
