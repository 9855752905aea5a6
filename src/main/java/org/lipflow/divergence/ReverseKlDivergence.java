package org.lipflow.divergence;

/**
 * Reverse Kullback–Leibler, KL(Q‖P): f(x) = x − 1 − log x, f*(y) = −log(1 − y) on y &lt; 1 (+∞
 * elsewhere), f*'(y) = 1/(1 − y). The plain f(x) = −log x, with f*(y) = −1 − log(−y) on y &lt; 0,
 * gives the same divergence and the same H: adding c(x − 1) to f only shifts ν* by c; this form has
 * f'(1) = 0 like the others, so f*(0) = 0 and f*'(0) = 1.
 *
 * <p>Domain: ν* solves mean_j 1/(1 − φ_j + ν) = 1 and lies in [max φ − 1 + 1/n, max φ] (at the left
 * end the largest term alone equals 1, at the right end every term is ≤ 1), so every target
 * argument φ_j − ν* ≤ 1 − 1/n stays inside y &lt; 1 and f* is finite without clamping φ; the
 * particles' φ never enters f*. The safeguarded Newton solve stays inside that bracket.
 */
public final class ReverseKlDivergence implements FDivergence {
    private static final long serialVersionUID = 1L;

    @Override
    public String name() {
        return Family.REVERSE_KL.configName();
    }

    @Override
    public double conjugate(double y) {
        return y < 1 ? -Math.log1p(-y) : Double.POSITIVE_INFINITY;
    }

    @Override
    public double conjugateDerivative(double y) {
        return y < 1 ? 1 / (1 - y) : Double.POSITIVE_INFINITY;
    }

    @Override
    public double optimalNu(float[] phiQ, int n) {
        double max = SafeguardedNewton.max(phiQ, n);
        if (Double.isNaN(max)) {
            return Double.NaN;
        }
        return SafeguardedNewton.solve(this, y -> 1 / ((1 - y) * (1 - y)), phiQ, n, max - 1 + 1.0 / n, max);
    }
}
