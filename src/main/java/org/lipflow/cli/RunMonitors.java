package org.lipflow.cli;

import org.apache.spark.api.java.JavaSparkContext;
import org.lipflow.config.DataSpec;
import org.lipflow.data.FeatureScaling;
import org.lipflow.config.LipflowConfig;
import org.lipflow.config.RunSpec;
import org.lipflow.engine.spark.SparkLiveParticles;
import org.lipflow.engine.spark.SparkSessions;
import org.lipflow.eval.SampleDistances;
import org.lipflow.flow.Block;
import org.lipflow.flow.FlowOptions;
import org.lipflow.flow.LiveParticles;
import org.lipflow.io.Plots;
import org.lipflow.io.ReadOptions;
import org.lipflow.io.Table;
import org.lipflow.monitor.MonitorOptions;
import org.lipflow.monitor.QualityMonitor;
import org.lipflow.monitor.spark.SparkQualityMonitor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The quality monitors of a {@code run} (monitor.*): the reference read and checked before any
 * output exists, the monitored steps, the measure where the engine keeps the particles (this JVM or
 * the executors), the values by step for monitors.png and the manifest. In a latent run the
 * particles are decoded (the measured subset only) and compared with the reference in data space.
 */
final class RunMonitors implements AutoCloseable {
    private final MonitorOptions options;
    private final RunSpec spec;
    private final Block reference;
    private final LatentRun latent;
    private final int steps;
    private QualityMonitor monitor;
    private SparkQualityMonitor spark;
    /** Values by step: restored from a checkpoint, then measured. */
    private final TreeMap<Integer, Map<String, Object>> history = new TreeMap<>();

    private RunMonitors(MonitorOptions options, RunSpec spec, Block reference, LatentRun latent) {
        this.options = options;
        this.spec = spec;
        this.reference = reference;
        this.latent = latent;
        this.steps = spec.options().flow().steps();
    }

    /**
     * The run's monitors, or null when monitor.reference is not set. The reference is read with the
     * target's column rules (features, label and id columns, scale; labels ignored; no per-class
     * draw) and must have the data target's number of feature columns.
     */
    static RunMonitors open(RunSpec spec, Table dataTarget, LatentRun latent) {
        MonitorOptions o = LipflowConfig.monitorOptions(spec);
        if (!o.enabled()) {
            return null;
        }
        ReadOptions t = spec.target().read();
        ReadOptions r = new ReadOptions("auto", t.labelColumn(), t.features(), t.vectorColumn(), false, "", 0, 0, t.scale(),
                t.idColumn(), false);
        Block ref = new InputFiles().file("monitor.reference", o.reference())
                .read(() -> DataLoader.load(new DataSpec(o.reference(), null, r))).block();
        int d = dataTarget.block().dimension;
        if (ref.dimension != d) {
            throw new IllegalArgumentException(InputFiles.named("monitor.reference", o.reference()) + " has " + ref.dimension
                    + " feature columns, " + InputFiles.named("target", spec.target()) + " has " + d
                    + ": the reference must have the target's feature columns");
        }
        return new RunMonitors(o, spec, new Block(ref.rows, ref.dimension, ref.x, null, null), latent);
    }

    /**
     * Builds the monitor once the number of particles M is known; on Spark, broadcasts it.
     *
     * @param scaling data.standardize's scaling of the flow's space, or null: measured particles are
     *                mapped back through it (then decoded in a latent run) to meet the reference in data units
     */
    void start(long particles, SparkSessions.Handle handle, FeatureScaling scaling) {
        FlowOptions w1 = options.w1()
                ? LipflowConfig.estimateOptions(LipflowConfig.resolved(spec)).toBuilder().lipschitz(options.w1Lipschitz()).build()
                : null;
        QualityMonitor.ToData decode = latent == null ? null : latent.decoder();
        QualityMonitor.ToData toData = scaling == null ? decode
                : decode == null ? scaling::invert : p -> decode.apply(scaling.invert(p));
        monitor = new QualityMonitor(options, reference, particles, spec.options().seed(), w1, toData,
                handle == null ? Math.max(1, spec.threads() == 0 ? Runtime.getRuntime().availableProcessors() : spec.threads()) : 1);
        if (handle != null) {
            spark = new SparkQualityMonitor(JavaSparkContext.fromSparkContext(handle.session().sparkContext()), monitor);
        }
    }

    boolean due(int step) {
        return options.due(step, steps);
    }

    /** The step's fields, measured where the particles are. */
    Map<String, Object> measure(int step, LiveParticles particles) {
        Map<String, Object> values;
        if (particles.local() != null) {
            values = monitor.measure(particles.local());
        } else if (particles instanceof SparkLiveParticles s && spark != null) {
            values = spark.measure(s.blocks());
        } else {
            throw new IllegalStateException("quality monitors cannot measure particles of type " + particles.getClass().getSimpleName());
        }
        history.put(step, values);
        return values;
    }

    /** A resumed run's earlier values, for monitors.png. */
    void restore(Map<Integer, Map<String, Object>> restored) {
        history.putAll(restored);
    }

    /** The values of a step in metrics.jsonl's order (the figures, then monitor_millis), or an empty map. */
    Map<String, Object> fields(int step) {
        Map<String, Object> v = history.get(step);
        Map<String, Object> out = new LinkedHashMap<>();
        if (v != null) {
            for (String k : List.of(QualityMonitor.ENERGY_DISTANCE, QualityMonitor.MMD2, QualityMonitor.SLICED_W1,
                    QualityMonitor.W1_DUAL, QualityMonitor.MILLIS)) {
                if (v.containsKey(k)) {
                    out.put(k, v.get(k));
                }
            }
        }
        return out;
    }

    /** monitors.png: each figure against the monitored steps. */
    void plot(Path dir) throws IOException {
        if (history.isEmpty()) {
            return;
        }
        double[] x = history.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
        Map<String, double[]> series = new LinkedHashMap<>();
        for (String k : QualityMonitor.FIGURES) {
            if (history.values().iterator().next().containsKey(k)) {
                series.put(k, history.values().stream().mapToDouble(v -> v.get(k) instanceof Number n ? n.doubleValue()
                        : Double.NaN).toArray());
            }
        }
        Plots.monitors(dir.resolve("monitors.png"), x, series);
    }

    /** For the manifest: what was measured, how and where. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reference", options.reference());
        m.put("reference_rows", monitor.reference().rows());
        m.put("every", options.every());
        m.put("max_rows", options.maxRows());
        m.put("measured_particles_expected", monitor.expectedRows());
        m.put("mmd_bandwidth", monitor.reference().bandwidth());
        m.put("sliced_directions", SampleDistances.DIRECTIONS);
        m.put("space", latent == null ? "data" : "data (the measured particles decoded by latent.model)");
        if (options.w1()) {
            m.put("w1_lipschitz", options.w1Lipschitz());
        }
        m.put("steps", List.copyOf(history.keySet()));
        return m;
    }

    @Override
    public void close() {
        if (spark != null) {
            spark.close();
        }
    }
}
