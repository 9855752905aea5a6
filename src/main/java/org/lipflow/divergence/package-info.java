/**
 * (f, Γ_L)-divergences in the form the flow needs: f* and f*', the exact ν-solver and the objective
 * H with its gradient with respect to the φ-values. Pure math on arrays; depends on nothing else.
 */
package org.lipflow.divergence;
