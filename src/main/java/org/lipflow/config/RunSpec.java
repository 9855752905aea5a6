package org.lipflow.config;

import org.lipflow.engine.spark.SparkSettings;
import org.lipflow.flow.FlowOptions;

/** Everything a run needs, resolved and validated from configuration. */
public record RunSpec(FlowOptions options, DataSpec target, DataSpec source, String engine, int threads,
                      String master, SparkSettings spark, long autoMaxParticles,
                      String outputDir, String format, boolean overwrite, boolean plots, boolean saveDiscriminator, int snapshots,
                      boolean progress, double blowupFactor, String resolvedConfig) {
}
