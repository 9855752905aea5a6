package org.lipflow.divergence;

/**
 * α-divergence, α &gt; 1: f(x) = (x^α − 1)/(α(α−1)),
 * f*(y) = (1/α)(1/(α−1) + ((α−1)y⁺)^(α/(α−1))), f*'(y) = ((α−1)y⁺)^(1/(α−1)).
 *
 * <p>ν* solves the monotone equation g(ν) = mean_j f*'(φ_j − ν) − 1 = 0, bracketed by
 * [min φ − 1/(α−1), max φ] (g ≥ 0 at the left end, g = −1 at the right) and solved by Newton
 * steps safeguarded with bisection. f*' grows only polynomially, so it is stable on heavy tails.
 */
public final class AlphaDivergence implements FDivergence {
    private static final long serialVersionUID = 1L;

    private final double alpha;
    private final double derivativeExponent;
    private final double conjugateExponent;

    public AlphaDivergence(double alpha) {
        if (!(alpha > 1) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("divergence.alpha must be > 1, got " + alpha);
        }
        this.alpha = alpha;
        this.derivativeExponent = 1.0 / (alpha - 1);
        this.conjugateExponent = alpha / (alpha - 1);
    }

    public double alpha() {
        return alpha;
    }

    @Override
    public String name() {
        return "alpha";
    }

    @Override
    public double conjugate(double y) {
        double p = y > 0 ? Math.pow((alpha - 1) * y, conjugateExponent) : 0;
        return (1.0 / (alpha - 1) + p) / alpha;
    }

    @Override
    public double conjugateDerivative(double y) {
        return y > 0 ? Math.pow((alpha - 1) * y, derivativeExponent) : 0;
    }

    /** f*''(y) = ((α−1)y⁺)^((2−α)/(α−1)), for the Newton step. */
    private double conjugateSecond(double y) {
        return y > 0 ? Math.pow((alpha - 1) * y, derivativeExponent - 1) : 0;
    }

    @Override
    public double optimalNu(float[] phiQ, int n) {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            min = Math.min(min, phiQ[j]);
            max = Math.max(max, phiQ[j]);
        }
        if (!(max - min < Double.POSITIVE_INFINITY)) {
            return Double.NaN;
        }
        return SafeguardedNewton.solve(this, this::conjugateSecond, phiQ, n, min - 1.0 / (alpha - 1), max);
    }
}
