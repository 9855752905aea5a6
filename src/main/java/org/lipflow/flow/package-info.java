/**
 * The generative particle flow: options, serialisable discriminator state, the shard-agnostic
 * kernel (train k steps, move the shard), the step composition every engine runs
 * ({@link org.lipflow.flow.ShardFlow}), the particles' labels of conditional flows, integrators,
 * monitors and parameter averaging. Depends on divergence, discriminator and util; never on
 * Spark or configuration.
 */
package org.lipflow.flow;
