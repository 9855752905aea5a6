/**
 * Where a flow runs: {@link org.lipflow.engine.FlowEngine}, the engine-neutral
 * {@link org.lipflow.engine.FlowProblem} (target samples and a particle source that each engine
 * materialises where its particles live), {@link org.lipflow.engine.Particles} (one way out for
 * the result) and the in-process engine (the whole ensemble as one shard over local threads).
 * {@code engine.spark} implements the same interface on Spark. Depends on flow, data and io;
 * only {@code engine.spark} imports Spark.
 */
package org.lipflow.engine;
