/**
 * The sample-quality figures of {@link org.lipflow.eval.SampleDistances} computed on Spark, for
 * samples too large for one machine: the samples stay on the executors as RDDs of blocks and are
 * reduced there (pair sums of block pairs, projections, nearest-neighbour minima). Depends on eval,
 * flow (Block), util and Spark; nothing in eval depends on it.
 */
package org.lipflow.eval.spark;
