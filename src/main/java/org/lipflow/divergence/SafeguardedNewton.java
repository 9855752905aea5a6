package org.lipflow.divergence;

/**
 * The ν-solve of the Legendre form when it has no closed form: the root of the decreasing function
 * g(ν) = mean_j f*'(φ_j − ν) − 1 in a bracket [lo, hi] with g(lo) ≥ 0 ≥ g(hi), by Newton steps
 * that fall back to bisection whenever they would leave the shrinking bracket.
 *
 * <p>For the divergences whose f* has a bounded domain y &lt; y_max (reverse KL, JS, Hellinger)
 * the bracket lies inside ν &gt; max_j φ_j − y_max, so every φ_j − ν the solver or the objective
 * evaluates is inside the domain: no clamp of the discriminator's output is needed.
 */
final class SafeguardedNewton {
    private static final int MAX_ITERATIONS = 200;

    private SafeguardedNewton() {
    }

    /** f*'' for the Newton step. */
    @FunctionalInterface
    interface Curvature {
        double at(double y);
    }

    /** The bracket's reference point: max_j φ_j, or NaN when some φ_j is not finite. */
    static double max(float[] phiQ, int n) {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            min = Math.min(min, phiQ[j]);
            max = Math.max(max, phiQ[j]);
        }
        return max - min < Double.POSITIVE_INFINITY ? max : Double.NaN;
    }

    static double solve(FDivergence f, Curvature second, float[] phiQ, int n, double lo, double hi) {
        double nu = 0.5 * (lo + hi);
        double scale = Math.max(1.0, Math.max(Math.abs(lo), Math.abs(hi)));
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            double g = -1, dg = 0;
            for (int j = 0; j < n; j++) {
                double y = phiQ[j] - nu;
                g += f.conjugateDerivative(y) / n;
                dg -= second.at(y) / n;
            }
            if (Math.abs(g) <= 1e-13) {
                return nu; // converged at an evaluated point
            }
            if (g > 0) {
                lo = nu;
            } else {
                hi = nu;
            }
            if (hi - lo <= 1e-15 * scale) {
                break;
            }
            double next = dg < 0 ? nu - g / dg : Double.NaN;
            nu = next > lo && next < hi ? next : 0.5 * (lo + hi);
        }
        return nu;
    }
}
