/**
 * The Lipschitz discriminator φ_θ: its layout, the tiled forward/backward kernel (scalar and
 * Vector API) with the gradient penalty's mixed derivative, the spectral-norm constraint, Adam, and
 * the DL4J model format. Depends on
 * divergence-free plain Java, and on DL4J only in {@link org.lipflow.discriminator.Dl4jModels}.
 */
package org.lipflow.discriminator;
