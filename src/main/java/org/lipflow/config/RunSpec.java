package org.lipflow.config;

import org.lipflow.flow.FlowOptions;

/** Everything a run needs, resolved and validated from configuration. */
public record RunSpec(FlowOptions options, DataSpec target, DataSpec source, String engine, int threads,
                      String outputDir, String format, boolean overwrite, boolean plots, boolean saveDiscriminator, int snapshots,
                      boolean progress, String resolvedConfig) {
}
