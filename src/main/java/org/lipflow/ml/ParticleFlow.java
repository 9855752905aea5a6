package org.lipflow.ml;

import com.typesafe.config.Config;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.lipflow.config.LipflowConfig;
import org.lipflow.data.FeatureScaling;
import org.lipflow.data.SyntheticData;
import org.lipflow.discriminator.MlpLayout;
import org.lipflow.engine.FlowProblem;
import org.lipflow.engine.FlowResult;
import org.lipflow.engine.ParticleSource;
import org.lipflow.engine.TargetSamples;
import org.lipflow.engine.spark.SparkEngine;
import org.lipflow.engine.spark.SparkParticles;
import org.lipflow.engine.spark.SparkSettings;
import org.lipflow.engine.spark.SparkTarget;
import org.lipflow.flow.Block;
import org.lipflow.flow.BlowupGuard;
import org.lipflow.flow.DiscriminatorState;
import org.lipflow.flow.FlowListener;
import org.lipflow.flow.FlowOptions;
import org.lipflow.flow.FlowTrajectory;
import org.lipflow.flow.LabelSampler;
import org.lipflow.flow.StepMetrics;
import org.lipflow.io.ReadOptions;
import org.lipflow.io.SparkInputs;

import java.util.ArrayList;
import java.util.List;

/**
 * The Lipschitz-regularized gradient flow as a Spark ML {@link Estimator}: {@code fit(target)}
 * transports particles drawn from the source toward the target's distribution on the Spark
 * engine and returns a {@link ParticleFlowModel} that holds the particles, the monitors of every
 * step and the discriminators θ_t that moved them, so that it can push new points through the
 * same flow ({@link ParticleFlowModel#sample}, {@link ParticleFlowModel#transform}).
 *
 * <p>Features come from {@code featureCols} (numeric columns), else the vector column
 * {@code featuresCol} when the frame has it, else every numeric column but the label;
 * {@code labelCol} (integer classes) makes the flow conditional. Every other param is a
 * configuration key of {@code lipflow-defaults.conf} in camelCase ({@code divergence.lipschitz}
 * → {@code divergenceLipschitz}; see {@link ConfigParams}), with that file's default and the
 * configuration's validation, so an invalid value fails when it is set, naming the param, the
 * key, the value and the rule. {@code fit} runs on the frame's own SparkSession: it never
 * creates or stops one.
 *
 * <p>The particles are drawn from the generated source ({@code sourceSynthetic}, default a
 * Gaussian N(sourceMean, sourceStd²)) in the target's dimension; every step is averaged over the
 * partitions (engine.averaging-frequency = 1) so that θ_t is one field per step. The flow is
 * integrated with {@code flowIntegrator}, any scheme {@code lipflow run} takes, with its validation
 * (heun and rk4 re-train at their stages, so under the default flow.integrator-retrain they need
 * engine.partitions = 1, as on the Spark engine of {@code run}). The model replays θ_t with that
 * integrator ({@link FlowTrajectory}), so it moves the training's own source to its particles;
 * for heun and rk4 under each-stage re-training the driver re-traces the fit to keep the fields
 * the stages re-trained ({@link StageFields}).
 */
public final class ParticleFlow extends Estimator<ParticleFlowModel> implements FlowParams<ParticleFlow>, MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final StageParams p;

    public ParticleFlow() {
        this(Identifiable$.MODULE$.randomUID("particleFlow"));
    }

    /** With a given uid (Spark ML's copy and load use this constructor). */
    public ParticleFlow(String uid) {
        this.uid = uid;
        this.p = StageParams.flow(this);
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public StageParams stageParams() {
        return p;
    }

    /** The column params, then one param per configuration key. */
    @Override
    public Param<?>[] params() {
        return p.all();
    }

    public ParticleFlow setTrajectoryStride(int v) {
        return setParam("trajectoryStride", v);
    }

    /** seed: the root of the flow's random streams. */
    public ParticleFlow setSeed(long v) {
        return setParam("seed", v);
    }

    /** flow.steps: outer steps. */
    public ParticleFlow setFlowSteps(int v) {
        return setParam("flowSteps", v);
    }

    /** flow.dt: the particles' time step. */
    public ParticleFlow setFlowDt(double v) {
        return setParam("flowDt", v);
    }

    /** divergence.lipschitz: L. */
    public ParticleFlow setDivergenceLipschitz(double v) {
        return setParam("divergenceLipschitz", v);
    }

    /** source.n: M, the number of particles. */
    public ParticleFlow setSourceN(int v) {
        return setParam("sourceN", v);
    }

    /** The validated flow options of the current params. */
    public FlowOptions flowOptions() {
        return LipflowConfig.flowOptions(toConfig());
    }

    @Override
    public StructType transformSchema(StructType schema) {
        ReadOptions o = Frames.readOptions(this, getOrDefault(p.labelCol), schema);
        if (o.vectorColumn().isEmpty() && o.features().isEmpty() && schema.fields().length == 0) {
            throw new IllegalArgumentException("ParticleFlow: the frame has no columns");
        }
        return schema.add(getOrDefault(p.outputCol), SQLDataTypes.VectorType(), false);
    }

    /**
     * Runs the flow toward the rows of {@code target} on its SparkSession and returns the model.
     * Bad params or columns fail with one line naming them.
     */
    @Override
    public ParticleFlowModel fit(Dataset<?> target) {
        transformSchema(target.schema());
        Config c = toConfig();
        ConfigParams.convert(c);
        FlowOptions o = LipflowConfig.flowOptions(c);
        SparkSettings s = LipflowConfig.sparkSettings(c);
        SparkSettings settings = new SparkSettings(s.partitions(), s.checkpointInterval(), s.checkpointDir(),
                s.broadcastLimitBytes(), s.taskThreads(), 1, false);
        SyntheticData.Spec configured = LipflowConfig.source(c).synthetic();
        SparkSession spark = target.sparkSession();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        SparkEngine engine = new SparkEngine(jsc, settings);

        ReadOptions read = Frames.readOptions(this, getOrDefault(p.labelCol), target.schema());
        SparkInputs.Input in = SparkInputs.of(target.toDF(), "ParticleFlow input", read);
        Targets.Resolved raw = Targets.resolve(in, settings, engine.partitions());
        // data.standardize: the flow runs on the target's standardised features, the generated source is drawn in them
        FeatureScaling scaling = c.getBoolean("data.standardize") ? Targets.scaling(raw) : null;
        Targets.Resolved t = Targets.standardized(raw, scaling);
        int d = in.dimension();
        SyntheticData.Spec source = new SyntheticData.Spec(configured.name(), configured.n(), configured.seed(), d,
                configured.mean(), configured.std(), configured.nu(), false);
        FlowProblem problem = new FlowProblem(o, t.samples(), ParticleSource.generated(source));
        LabelSampler labels = problem.labels();
        MlpLayout layout = o.layout(d, labels.classes());

        // (on several partitions the engine refuses such an integrator before the first step)
        StageFields stages = o.flow().integrator().retrainsStages() && engine.partitions() == 1
                ? new StageFields(o, layout, labels.attach(SyntheticData.generate(source)), localTarget(t),
                        Math.max(1, settings.taskThreads())) // 0 = an executor's shared cores: on the driver, its thread
                : null;
        Recorder recorder = new Recorder(layout, new BlowupGuard(LipflowConfig.blowupFactor(c), BlowupGuard.spread(t.sample()),
                o.divergence().lipschitz() * o.flow().dt(), FlowListener.NONE), stages);
        FlowResult result;
        try {
            result = engine.run(problem, recorder);
        } finally {
            if (stages != null) {
                stages.close();
            }
        }
        SparkParticles particles = (SparkParticles) result.particles();
        Dataset<Row> frame;
        try {
            // cut the lineage: the frame must never recompute the flow (nor need its checkpoint files)
            JavaRDD<Block> blocks = scaling == null ? particles.blocks() : particles.blocks().map(scaling::invert); // data units
            frame = Frames.particles(spark, blocks, labels.conditional()).localCheckpoint(true);
        } finally {
            engine.deleteCheckpoints();
            particles.close();
        }
        if (recorder.fields.size() != o.flow().steps()) {
            throw new IllegalStateException("the engine reported " + recorder.fields.size() + " of " + o.flow().steps()
                    + " discriminators: the flow cannot be replayed");
        }
        FlowTrajectory trajectory = FlowTrajectory.of(layout, o.flow().integrator(), recorder.fields,
                stages == null ? null : stages.fields(), o.flow().dt(), (Integer) getOrDefault(p.trajectoryStride));
        Dataset<Row> metrics = metricsFrame(spark, recorder.metrics);
        ParticleFlowModel model = new ParticleFlowModel(uid, trajectory, t.classCounts(), in.columns(), frame, metrics, scaling);
        copyValues(model, ParamMap.empty());
        model.setParent(this);
        return model;
    }

    @Override
    public ParticleFlow copy(ParamMap extra) {
        return (ParticleFlow) defaultCopy(extra);
    }

    /** Writes the params (metadata/ with lipflow's format version); an estimator has no data/. */
    @Override
    public MLWriter write() {
        return new ModelFiles.ParamsWriter(this);
    }

    public static MLReader<ParticleFlow> read() {
        return new ModelFiles.ParamsReader<>(ParticleFlow.class);
    }

    public static ParticleFlow load(String path) {
        return read().load(path);
    }

    /** The monitors of every step as a frame: step, divergence, kineticEnergy, maxSpeed, spread, millis. */
    static Dataset<Row> metricsFrame(SparkSession spark, List<StepMetrics> metrics) {
        List<Row> rows = new ArrayList<>();
        for (StepMetrics m : metrics) {
            rows.add(RowFactory.create(m.step(), m.divergence(), m.kineticEnergy(), m.maxSpeed(), m.spread(), m.millis()));
        }
        return spark.createDataFrame(rows, METRICS);
    }

    static final StructType METRICS = DataTypes.createStructType(List.of(
            DataTypes.createStructField("step", DataTypes.IntegerType, false),
            DataTypes.createStructField("divergence", DataTypes.DoubleType, true),
            DataTypes.createStructField("kineticEnergy", DataTypes.DoubleType, true),
            DataTypes.createStructField("maxSpeed", DataTypes.DoubleType, true),
            DataTypes.createStructField("spread", DataTypes.DoubleType, true),
            DataTypes.createStructField("millis", DataTypes.DoubleType, true)));

    /** The target as the engine's one task reads it: the broadcast block, or the one co-partitioned shard's blocks. */
    private static Block localTarget(Targets.Resolved t) {
        Block local = t.samples().local();
        return local != null ? local : SparkEngine.concat(((SparkTarget) t.samples()).shards().collect());
    }

    /**
     * Keeps every step's monitors and a copy of every θ_t the engine reports; with an integrator
     * that re-trains its stages, re-traces each step for its stage fields ({@link StageFields}).
     */
    private static final class Recorder implements FlowListener {
        final List<StepMetrics> metrics = new ArrayList<>();
        final List<float[]> fields = new ArrayList<>();
        private final MlpLayout layout;
        private final FlowListener guard;
        private final StageFields stages;

        Recorder(MlpLayout layout, FlowListener guard, StageFields stages) {
            this.layout = layout;
            this.guard = guard;
            this.stages = stages;
        }

        @Override
        public void step(StepMetrics m) {
            guard.step(m);
            metrics.add(m);
        }

        @Override
        public void discriminator(int step, DiscriminatorState theta) {
            if (step != fields.size() + 1 || theta.params.length != layout.parameterCount()) {
                throw new IllegalStateException("discriminator of step " + step + " reported after " + fields.size() + " steps");
            }
            fields.add(theta.params.clone());
            if (stages != null) {
                stages.step(step, theta);
            }
        }
    }

    /** The target as the engine takes it: broadcast when it fits engine.broadcast-limit-mb, else co-partitioned. */
    static final class Targets {
        private Targets() {
        }

        /**
         * @param samples     what the engine reads
         * @param sample      the target or a strided sample of it (the blow-up guard's scale)
         * @param classCounts rows per class, or null
         */
        record Resolved(TargetSamples samples, Block sample, long[] classCounts) {
        }

        static Resolved resolve(SparkInputs.Input in, SparkSettings settings, int partitions) {
            long rows = in.rows();
            long bytes = rows * in.dimension() * 4L;
            if (bytes <= settings.broadcastLimitBytes()) {
                Block b = SparkEngine.concat(in.blocks().collect());
                Block whole = new Block(b.rows, b.dimension, b.x, b.labels, null);
                return new Resolved(TargetSamples.of(whole), whole, LabelSampler.counts(whole.labels));
            }
            JavaRDD<Block> shards = in.blocks(partitions);
            int perPartition = Math.max(1, 5000 / partitions);
            List<Block> samples = shards.map(b -> SparkEngine.sample(b, perPartition)).collect();
            Block sample = SparkEngine.concat(samples);
            long[] counts = in.labelColumn() == null ? null : addCounts(shards.map(b -> LabelSampler.counts(b.labels)).collect());
            return new Resolved(new SparkTarget(shards, in.dimension(), rows, counts), sample, counts);
        }

        /** The target's per-feature scaling: from the whole target in this JVM, or one pass over its shards. */
        static FeatureScaling scaling(Resolved r) {
            if (r.samples().local() != null) {
                return FeatureScaling.fit(r.samples().local());
            }
            SparkTarget s = (SparkTarget) r.samples();
            return FeatureScaling.fit(s.dimension(), s.shards().map(FeatureScaling.Moments::of).collect());
        }

        /** The target in the flow's units (the shards mapped lazily: applied once, when the engine persists them). */
        static Resolved standardized(Resolved r, FeatureScaling scaling) {
            if (scaling == null) {
                return r;
            }
            Block sample = scaling.apply(r.sample());
            if (r.samples().local() != null) {
                return new Resolved(TargetSamples.of(r.samples().local() == r.sample() ? sample : scaling.apply(r.samples().local())),
                        sample, r.classCounts());
            }
            SparkTarget s = (SparkTarget) r.samples();
            return new Resolved(new SparkTarget(s.shards().map(scaling::apply), s.dimension(), s.rows(), s.classCounts()), sample,
                    r.classCounts());
        }

        private static long[] addCounts(List<long[]> parts) {
            int k = parts.stream().mapToInt(c -> c == null ? 0 : c.length).max().orElse(0);
            long[] sum = new long[k];
            for (long[] c : parts) {
                for (int i = 0; c != null && i < c.length; i++) {
                    sum[i] += c[i];
                }
            }
            return sum;
        }
    }
}
