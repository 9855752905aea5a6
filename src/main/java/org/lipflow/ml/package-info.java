/**
 * Spark ML API for notebooks and pipelines: {@link org.lipflow.ml.ParticleFlow} (an Estimator whose
 * params are lipflow's configuration keys) and its {@link org.lipflow.ml.ParticleFlowModel}, which
 * replays the fitted flow on new points; {@link org.lipflow.ml.LatentEncoder} wraps the latent stage.
 * Stages save and load in Spark ML's metadata/ + data/ layout. Depends on flow, engine (the Spark
 * engine), latent, io and config; nothing depends on it but user code.
 */
package org.lipflow.ml;
