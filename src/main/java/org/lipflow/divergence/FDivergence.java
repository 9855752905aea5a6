package org.lipflow.divergence;

import java.io.Serializable;

/**
 * A convex f with f(1) = 0, seen through its Legendre transform f*, which is all the
 * (f, Γ_L)-divergence needs:
 *
 * <pre>  H[φ] = E_P[φ] − inf_ν { ν + E_Q[f*(φ − ν)] }</pre>
 *
 * The minimising ν* solves E_Q[f*'(φ − ν)] = 1 and is computed exactly at every evaluation, so
 * there is no learnable ν. By the envelope theorem ∂H/∂φ(X_j) = −f*'(φ(X_j) − ν*)/N.
 */
public interface FDivergence extends Serializable {

    /** The name used in configuration and output ({@link Family#configName()}). */
    String name();

    /** f*(y); +∞ outside its domain (the exact ν* keeps the target's arguments inside it). */
    double conjugate(double y);

    /** f*'(y). */
    double conjugateDerivative(double y);

    /** ν* = argmin_ν { ν + mean_j f*(φ_j − ν) } over the first n values. */
    double optimalNu(float[] phiQ, int n);

    /** inf_ν { ν + E_Q f*(φ − ν) } evaluated at ν = {@code nu}. */
    default double legendreTerm(float[] phiQ, int n, double nu) {
        double s = 0;
        for (int j = 0; j < n; j++) {
            s += conjugate(phiQ[j] - nu);
        }
        return nu + s / n;
    }

    /** ∂H/∂φ(X_j) = −f*'(φ_j − ν)/n into out[j]. */
    default void targetWeights(float[] phiQ, int n, double nu, float[] out) {
        for (int j = 0; j < n; j++) {
            out[j] = (float) (-conjugateDerivative(phiQ[j] - nu) / n);
        }
    }
}
