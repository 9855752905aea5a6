/**
 * The latent stage's Spark trainers: the autoencoder fitted with DL4J Spark (SparkDl4jMultiLayer,
 * parameter averaging) over an RDD of minibatch DataSets built on the executors. Depends on
 * latent, flow (Block) and Spark/DL4J Spark; nothing in latent depends on it.
 */
package org.lipflow.latent.spark;
