/**
 * Spark ML API for notebooks and pipelines: {@link org.lipflow.ml.ParticleFlow} (an Estimator whose
 * params are lipflow's configuration keys) and its {@link org.lipflow.ml.ParticleFlowModel}, which
 * replays the fitted flow on new points; {@link org.lipflow.ml.LatentEncoder} wraps the latent stage.
 * The four stages share their params through {@link org.lipflow.ml.LipflowParams} (and
 * {@link org.lipflow.ml.FlowParams}) over one {@link org.lipflow.ml.StageParams} each.
 * Stages save and load in Spark ML's metadata/ + data/ layout. Depends on flow, engine (the Spark
 * engine), latent, io and config; nothing depends on it but user code.
 */
package org.lipflow.ml;
