/**
 * The paper's synthetic data sets (Gaussian, 4-mode mixture, Student-t, Swiss roll, Sierpinski
 * carpet), generated from counter-based random streams.
 */
package org.lipflow.data;
