/**
 * Sample-quality figures of generated data against a reference sample: energy distance, MMD²,
 * sliced Wasserstein-1 and the nearest-neighbour memorisation check. Pure math on
 * {@link org.lipflow.flow.Block}s with ND4J for the pairwise distances; no Spark.
 */
package org.lipflow.eval;
