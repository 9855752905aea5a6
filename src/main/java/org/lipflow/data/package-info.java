/**
 * The paper's synthetic data sets (Gaussian, 4-mode mixture, Student-t, Swiss roll, Sierpinski
 * carpet), generated from counter-based random streams,
 * and the per-feature standardisation fitted on a target ({@link org.lipflow.data.FeatureScaling}).
 */
package org.lipflow.data;
