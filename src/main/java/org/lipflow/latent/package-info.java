/**
 * The latent stage: encoders/decoders between data space and a low-dimensional latent space
 * (autoencoders trained with DL4J, in process or on DL4J Spark; PCA), their model directories,
 * and the descriptor every model directory carries. A latent flow runs the ordinary flow on the
 * encoded targets and decodes its particles. Depends on flow (Block) and io; only the Spark
 * trainers import Spark.
 */
package org.lipflow.latent;
