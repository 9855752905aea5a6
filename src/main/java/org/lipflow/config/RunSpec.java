package org.lipflow.config;

import org.lipflow.engine.spark.SparkSettings;
import org.lipflow.flow.FlowOptions;

/**
 * Everything a run needs, resolved and validated from configuration.
 *
 * @param latentModel latent.model: a model directory to run the flow in its latent space, or "" for data space
 * @param latentDimension latent.dimension when given explicitly (the model's k must equal it), else 0
 * @param sparkUi engine.ui: auto, true or false
 * @param stepWarningFraction flow.step-warning-fraction: warn at start when L·Δt exceeds it times the target's spread
 */
public record RunSpec(FlowOptions options, DataSpec target, DataSpec source, String engine, int threads,
                      String master, SparkSettings spark, long autoMaxParticles,
                      String outputDir, String format, boolean overwrite, boolean plots, boolean saveDiscriminator, int snapshots,
                      boolean progress, double blowupFactor, String resolvedConfig, String latentModel,
                      int latentDimension, String sparkUi, double stepWarningFraction) {
}
