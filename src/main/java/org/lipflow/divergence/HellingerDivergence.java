package org.lipflow.divergence;

/**
 * Squared Hellinger, ∫(√p − √q)² (at most 2; some texts halve it): f(x) = (√x − 1)²,
 * f*(y) = y/(1 − y) on y &lt; 1 (+∞ elsewhere), f*'(y) = 1/(1 − y)².
 *
 * <p>Domain: ν* lies in [max φ − 1 + 1/√n, max φ] (at the left end the largest term alone equals
 * 1, at the right end every term is ≤ 1), so every target argument φ_j − ν* ≤ 1 − 1/√n &lt; 1 and
 * f* is finite without clamping φ.
 */
public final class HellingerDivergence implements FDivergence {
    private static final long serialVersionUID = 1L;

    @Override
    public String name() {
        return Family.HELLINGER.configName();
    }

    @Override
    public double conjugate(double y) {
        return y < 1 ? y / (1 - y) : Double.POSITIVE_INFINITY;
    }

    @Override
    public double conjugateDerivative(double y) {
        return y < 1 ? 1 / ((1 - y) * (1 - y)) : Double.POSITIVE_INFINITY;
    }

    @Override
    public double optimalNu(float[] phiQ, int n) {
        double max = SafeguardedNewton.max(phiQ, n);
        if (Double.isNaN(max)) {
            return Double.NaN;
        }
        return SafeguardedNewton.solve(this, y -> 2 / ((1 - y) * (1 - y) * (1 - y)), phiQ, n,
                max - 1 + 1 / Math.sqrt(n), max);
    }
}
