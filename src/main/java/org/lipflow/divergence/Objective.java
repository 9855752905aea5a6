package org.lipflow.divergence;

/**
 * The value of H[φ] = E_P φ − (ν* + E_Q f*(φ − ν*)) for given φ-values, and the gradient weights
 * of the target rows. The particle rows' weight is the constant 1/M.
 */
public final class Objective {
    private Objective() {
    }

    /**
     * @param meanPhiP E_P φ over the particles
     * @param phiQ     φ at the target rows (first n)
     * @param weightsQ if not null, receives ∂H/∂φ(X_j)
     * @return H
     */
    public static double evaluate(FDivergence f, double meanPhiP, float[] phiQ, int n, float[] weightsQ) {
        double nu = f.optimalNu(phiQ, n);
        if (weightsQ != null) {
            f.targetWeights(phiQ, n, nu, weightsQ);
        }
        return meanPhiP - f.legendreTerm(phiQ, n, nu);
    }
}
