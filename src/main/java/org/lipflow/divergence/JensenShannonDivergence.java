package org.lipflow.divergence;

/**
 * Jensen–Shannon, JS(P‖Q) = ½KL(P‖M) + ½KL(Q‖M) with M = (P + Q)/2, at most log 2:
 * f(x) = ½(x log x − (x+1) log((x+1)/2)), f*(y) = −½ log(2 − e^{2y}) on y &lt; ½ log 2 (+∞
 * elsewhere), f*'(y) = e^{2y}/(2 − e^{2y}). (The f-GAN form without the ½ gives 2·JS, with
 * f*(y) = −log(2 − eʸ).)
 *
 * <p>Domain: ν* lies in [max φ − ½ log(2n/(n+1)), max φ] (at the left end the largest term alone
 * equals 1, at the right end every term is ≤ 1), so every target argument φ_j − ν* is at most
 * ½ log(2n/(n+1)) &lt; ½ log 2 and f* is finite without clamping φ.
 */
public final class JensenShannonDivergence implements FDivergence {
    private static final long serialVersionUID = 1L;
    private static final double Y_MAX = 0.5 * Math.log(2);

    @Override
    public String name() {
        return Family.JS.configName();
    }

    @Override
    public double conjugate(double y) {
        // 2 − e^{2y} = 1 − expm1(2y): accurate near y = 0, where f*(y) ≈ y
        return y < Y_MAX ? -0.5 * Math.log1p(-Math.expm1(2 * y)) : Double.POSITIVE_INFINITY;
    }

    @Override
    public double conjugateDerivative(double y) {
        if (!(y < Y_MAX)) {
            return Double.POSITIVE_INFINITY;
        }
        double e = Math.exp(2 * y);
        return e / (2 - e);
    }

    /** f*''(y) = 4e^{2y}/(2 − e^{2y})². */
    private static double conjugateSecond(double y) {
        double e = Math.exp(2 * y), r = 2 - e;
        return 4 * e / (r * r);
    }

    @Override
    public double optimalNu(float[] phiQ, int n) {
        double max = SafeguardedNewton.max(phiQ, n);
        if (Double.isNaN(max)) {
            return Double.NaN;
        }
        return SafeguardedNewton.solve(this, JensenShannonDivergence::conjugateSecond, phiQ, n,
                max - 0.5 * Math.log(2.0 * n / (n + 1)), max);
    }
}
