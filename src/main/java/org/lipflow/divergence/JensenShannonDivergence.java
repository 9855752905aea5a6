package org.lipflow.divergence;

/**
 * Jensen–Shannon in the f-GAN form: f(x) = x log x − (x+1) log((x+1)/2), so D_f = 2·JS(P‖Q) =
 * KL(P‖M) + KL(Q‖M) with M = (P + Q)/2, at most log 4; f*(y) = −log(2 − eʸ) on y &lt; log 2 (+∞
 * elsewhere), f*'(y) = eʸ/(2 − eʸ). Halving f to get JS itself would halve the optimal φ and so the
 * particles' speed (f''(1) = ¼ instead of ½): on the mixture example the modes then fill in about
 * twice the steps.
 *
 * <p>Domain: ν* lies in [max φ − log(2n/(n+1)), max φ] (at the left end the largest term alone
 * equals 1, at the right end every term is ≤ 1), so every target argument φ_j − ν* is at most
 * log(2n/(n+1)) &lt; log 2 and f* is finite without clamping φ; the particles' φ never enters f*.
 */
public final class JensenShannonDivergence implements FDivergence {
    private static final long serialVersionUID = 1L;
    private static final double Y_MAX = Math.log(2);

    @Override
    public String name() {
        return Family.JS.configName();
    }

    @Override
    public double conjugate(double y) {
        // 2 − eʸ = 1 − expm1(y): accurate near y = 0, where f*(y) ≈ y
        return y < Y_MAX ? -Math.log1p(-Math.expm1(y)) : Double.POSITIVE_INFINITY;
    }

    @Override
    public double conjugateDerivative(double y) {
        if (!(y < Y_MAX)) {
            return Double.POSITIVE_INFINITY;
        }
        double e = Math.exp(y);
        return e / (2 - e);
    }

    /** f*''(y) = 2eʸ/(2 − eʸ)². */
    private static double conjugateSecond(double y) {
        double e = Math.exp(y), r = 2 - e;
        return 2 * e / (r * r);
    }

    @Override
    public double optimalNu(float[] phiQ, int n) {
        double max = SafeguardedNewton.max(phiQ, n);
        if (Double.isNaN(max)) {
            return Double.NaN;
        }
        return SafeguardedNewton.solve(this, JensenShannonDivergence::conjugateSecond, phiQ, n,
                max - Math.log(2.0 * n / (n + 1)), max);
    }
}
