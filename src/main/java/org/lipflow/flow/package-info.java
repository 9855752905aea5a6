/**
 * The generative particle flow: options, serialisable discriminator state, the shard-agnostic
 * kernel (train k steps, move the shard), integrators, monitors and parameter averaging. Depends
 * on divergence, discriminator and util; never on Spark.
 */
package org.lipflow.flow;
