package org.lipflow.cli;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import org.apache.spark.api.java.JavaRDD;
import org.lipflow.config.RunSpec;
import org.lipflow.data.FeatureScaling;
import org.lipflow.engine.ParticleSource;
import org.lipflow.engine.Particles;
import org.lipflow.engine.TargetSamples;
import org.lipflow.engine.spark.SparkParticles;
import org.lipflow.engine.spark.SparkSource;
import org.lipflow.engine.spark.SparkTarget;
import org.lipflow.flow.Block;
import org.lipflow.io.Table;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * data.standardize in a run: the {@link FeatureScaling} fitted on the target the flow sees (the
 * data, or a latent run's encoded target), applied to target and source on their way into the
 * engine and inverted on everything a user reads (particles, snapshots, plots). Distributed data
 * are mapped lazily, so the map runs inside the passes Spark makes anyway (reading the source,
 * persisting the co-partitioned target, writing the particles): no extra job per step. A
 * generated source is drawn in standardised units (it is not mapped): its mean and std are in
 * units of the target's per-feature std around the target's mean. With data.standardize = false
 * every method returns its argument.
 */
final class RunScaling {
    /** The fitted scaling, or null when data.standardize = false. */
    final FeatureScaling scaling;
    private final String space;
    private final String[] columns;

    private RunScaling(FeatureScaling scaling, String space, String[] columns) {
        this.scaling = scaling;
        this.space = space;
        this.columns = columns;
    }

    /** data.standardize of a run specification's resolved configuration. */
    static boolean enabled(RunSpec spec) {
        return ConfigFactory.parseString(spec.resolvedConfig(), ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON))
                .getBoolean("data.standardize");
    }

    /**
     * Fits on the whole target: in this JVM, or one pass over a co-partitioned target's shards
     * (per-shard moments merged on the driver in partition order, so the same data give the same
     * statistics on resume).
     *
     * @param space   "data" or "latent" (the manifest says which space was standardised)
     * @param columns the flow's feature columns (the manifest names constant features by them)
     */
    static RunScaling fit(boolean enabled, TargetSamples target, String space, String[] columns) {
        if (!enabled) {
            return new RunScaling(null, space, columns);
        }
        if (target.local() != null) {
            return new RunScaling(FeatureScaling.fit(target.local()), space, columns);
        }
        if (target instanceof SparkTarget s) {
            int d = s.dimension();
            List<FeatureScaling.Moments> parts = s.shards().map(FeatureScaling.Moments::of).collect();
            FeatureScaling.Moments all = new FeatureScaling.Moments(d);
            parts.forEach(all::merge);
            return new RunScaling(FeatureScaling.fit(all), space, columns);
        }
        throw new IllegalStateException("a distributed target of type " + target.getClass().getSimpleName());
    }

    boolean on() {
        return scaling != null;
    }

    /** The table the flow sees (its label column kept). */
    Table apply(Table t) {
        return scaling == null ? t : t.withBlock(scaling.apply(t.block()));
    }

    /** The target samples the engine gets; {@code applied} = {@link #apply(Table)} of {@code original}, reused when they are the same rows. */
    TargetSamples apply(TargetSamples samples, Table original, Table applied) {
        if (scaling == null) {
            return samples;
        }
        if (samples instanceof SparkTarget s) {
            FeatureScaling f = scaling;
            return new SparkTarget(s.shards().map(f::apply), s.dimension(), s.rows(), s.classCounts());
        }
        return TargetSamples.of(samples.local() == original.block() ? applied.block() : scaling.apply(samples.local()));
    }

    /** The initial particles in the flow's units; a generated source already is. */
    ParticleSource apply(ParticleSource source) {
        if (scaling == null || source instanceof ParticleSource.Generated) {
            return source;
        }
        if (source instanceof SparkSource s) {
            FeatureScaling f = scaling;
            JavaRDD<Block> blocks = s.blocks().map(f::apply);
            return new SparkSource(blocks, s.dimension());
        }
        return ParticleSource.of(scaling.apply(source.local()));
    }

    /** The flow's particles in the user's units: a lazy map fused into the write on Spark (close the argument, not this). */
    Particles invert(Particles p) {
        if (scaling == null) {
            return p;
        }
        if (p instanceof SparkParticles s) {
            FeatureScaling f = scaling;
            return new SparkParticles(s.blocks().map(f::invert), s.labelled());
        }
        return Particles.of(scaling.invert(p.collect()));
    }

    /** A block of the flow's particles (a snapshot) in the user's units: a new block, or the argument when off. */
    Block invert(Block b) {
        return scaling == null || b == null ? b : scaling.invert(b);
    }

    /** What a resumed run must reproduce (checkpoint inputs), or null when off. */
    Map<String, Object> fingerprint() {
        return scaling == null ? null : Map.of("space", space, "sha256", scaling.sha256());
    }

    /** The manifest's entry. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", scaling != null);
        if (scaling != null) {
            m.put("space", space);
            m.put("fitted_on", space.equals("latent") ? "the encoded target" : "the target");
            m.putAll(scaling.describe(columns));
        }
        return m;
    }

    /**
     * The one info line: what the flow's units are and what L·Δt means in them. Nothing is
     * derived from the data's scale when standardising: one step reaches L·Δt standard deviations.
     */
    String logLine(double lipschitz, double dt, double targetSpread) {
        if (scaling == null) {
            return String.format("lipflow: data.standardize = false: the flow runs in data units; L*dt = %.4g against the "
                    + "target's spread %.4g", lipschitz * dt, targetSpread);
        }
        int constant = scaling.constantFeatures().size();
        return String.format("lipflow: data.standardize: the flow runs in %s units standardised on the %s (per-feature mean and "
                + "std%s); L = %s and flow.dt = %s apply as set (one step reaches L*dt = %.4g std, the target's spread is %.4g)"
                + "; a generated source is drawn in these units; outputs are in %s units",
                space, space.equals("latent") ? "encoded target" : "target",
                constant == 0 ? "" : ", " + constant + " constant feature" + (constant == 1 ? "" : "s") + " kept at scale 1",
                lipschitz, dt, lipschitz * dt, targetSpread, space);
    }
}
