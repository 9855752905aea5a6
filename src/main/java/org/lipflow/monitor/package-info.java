/**
 * Quality monitors of a run (monitor.*): the particles measured against a held-out reference sample
 * during the flow — energy distance, MMD², sliced W1 (the eval command's figures,
 * {@link org.lipflow.eval.ReferenceDistances}) and optionally the W1 dual estimate of a small-L
 * discriminator. Depends on eval, flow and util; no Spark.
 */
package org.lipflow.monitor;
