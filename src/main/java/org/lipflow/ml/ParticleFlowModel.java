package org.lipflow.ml;

import com.typesafe.config.Config;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
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
import org.lipflow.discriminator.Activation;
import org.lipflow.discriminator.MlpLayout;
import org.lipflow.engine.spark.SparkEngine;
import org.lipflow.flow.Block;
import org.lipflow.flow.FlowTrajectory;
import org.lipflow.flow.Integrator;
import org.lipflow.flow.LabelSampler;
import org.lipflow.flow.StepMetrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fitted {@link ParticleFlow}: the transported particles, the monitors of every step, and the
 * flow itself as the discriminators θ_t that moved the particles ({@link FlowTrajectory}). Because
 * the flow is the sequence of velocity fields −∇ₓφ_θt, the model moves new points without
 * retraining: {@link #transform} transports the rows of a frame, {@link #sample} draws fresh
 * points from the training's source distribution and transports them. Both are distributed maps
 * over partitions; each task pushes blocks of rows through the stored fields with the flow
 * kernel's own input-gradient code and the fitted integrator's tables, so the training's own
 * source replays to its {@link #particles} to float rounding whatever flowIntegrator was.
 *
 * <p>Saved in Spark ML's layout ({@link ModelFiles}): metadata/ (params, layout, class counts,
 * feature names, format version, the integrator the trajectory replays with) and Parquet tables
 * data/trajectory (one row per field: index, step, time, θ; and per re-trained stage field, its
 * stage), data/particles and data/metrics. A model saved before lipflow stored the integrator
 * (format 1) replays with forward Euler, as it did.
 */
public final class ParticleFlowModel extends Model<ParticleFlowModel> implements FlowParams<ParticleFlowModel>, MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final StageParams p;
    private final FlowTrajectory trajectory;
    private final long[] classCounts;
    private final String[] featureColumns;
    private final Dataset<Row> particles;
    private final Dataset<Row> metrics;
    /** data.standardize: the target's per-feature scaling the flow ran in, or null (off, or a model saved before it). */
    private final FeatureScaling scaling;

    ParticleFlowModel(String uid, FlowTrajectory trajectory, long[] classCounts, String[] featureColumns,
                      Dataset<Row> particles, Dataset<Row> metrics, FeatureScaling scaling) {
        this.uid = uid;
        this.p = StageParams.flow(this);
        this.trajectory = trajectory;
        this.classCounts = classCounts == null ? null : classCounts.clone();
        this.featureColumns = featureColumns.clone();
        this.particles = particles;
        this.metrics = metrics;
        this.scaling = scaling;
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public StageParams stageParams() {
        return p;
    }

    @Override
    public Param<?>[] params() {
        return p.all();
    }

    /** The transported particles: id, features (a vector) and, for a conditional flow, label. */
    public Dataset<Row> particles() {
        return particles;
    }

    /** The monitors of every step: step, divergence (H), kineticEnergy, maxSpeed, spread, millis. */
    public Dataset<Row> metrics() {
        return metrics;
    }

    /** The monitors in step order, as lipflow's plots take them ({@code Plots.curves(dir, model.stepMetrics())}). */
    public List<StepMetrics> stepMetrics() {
        List<StepMetrics> out = new ArrayList<>();
        for (Row r : metrics.orderBy("step").collectAsList()) {
            out.add(new StepMetrics(r.getInt(0), value(r, 1), value(r, 2), value(r, 3), value(r, 4), value(r, 5)));
        }
        return out;
    }

    private static double value(Row r, int i) {
        return r.isNullAt(i) ? Double.NaN : r.getDouble(i);
    }

    /**
     * A vector column gathered on the driver as one block (small frames: plots, {@code eval}
     * figures), with the frame's integer {@code label} column when it has one.
     */
    public static Block block(Dataset<Row> frame, String vectorColumn) {
        boolean labelled = Arrays.asList(frame.columns()).contains("label");
        List<Row> rows = (labelled ? frame.select(vectorColumn, "label") : frame.select(vectorColumn)).collectAsList();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("the frame has no rows");
        }
        int d = ((org.apache.spark.ml.linalg.Vector) rows.get(0).get(0)).size();
        float[] x = new float[rows.size() * d];
        int[] labels = labelled ? new int[rows.size()] : null;
        for (int i = 0; i < rows.size(); i++) {
            org.apache.spark.ml.linalg.Vector v = (org.apache.spark.ml.linalg.Vector) rows.get(i).get(0);
            for (int k = 0; k < d; k++) {
                x[i * d + k] = (float) v.apply(k);
            }
            if (labels != null) {
                labels[i] = ((Number) rows.get(i).get(1)).intValue();
            }
        }
        return new Block(rows.size(), d, x, labels, null);
    }

    /** The stored velocity fields: every step's θ, or every trajectoryStride-th with merged times. */
    public FlowTrajectory trajectory() {
        return trajectory;
    }

    /**
     * The per-feature standardisation (target mean and std) the flow ran in, or null when it ran in
     * data units (data.standardize = false, or a model saved before lipflow stored it): transform
     * and sample map rows into it and their results back, so both read and return data units.
     */
    public FeatureScaling standardization() {
        return scaling;
    }

    /** d, the number of features. */
    public int dimension() {
        return trajectory.layout().inputs();
    }

    /** The names of the training frame's feature columns (x1..xd for a vector column). */
    public String[] featureColumns() {
        return featureColumns.clone();
    }

    /** True when the flow is conditional (the target had labels). */
    public boolean conditional() {
        return classCounts != null;
    }

    /** The target's rows per class (conditional flows), or null. */
    public long[] classCounts() {
        return classCounts == null ? null : classCounts.clone();
    }

    /**
     * This model replaying a coarser trajectory: every {@code stride} consecutive stored fields
     * merged into their first, applied for their summed time (fewer, larger Euler steps).
     */
    public ParticleFlowModel withTrajectoryStride(int stride) {
        ParticleFlowModel m = new ParticleFlowModel(uid, trajectory.coarsened(stride), classCounts, featureColumns, particles, metrics,
                scaling);
        copyValues(m, ParamMap.empty());
        m.set(m.p.trajectoryStride, (Integer) getOrDefault(p.trajectoryStride) * stride);
        return m.setParent(parent());
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return Frames.withVectorColumn(schema, getOrDefault(p.outputCol));
    }

    /**
     * The frame with one more column, {@code outputCol}: each row's features transported along
     * the flow (a conditional flow moves each row with its label's field, {@code labelCol}).
     */
    @Override
    public Dataset<Row> transform(Dataset<?> df) {
        warnIfReplayIsNotTheFittedScheme("transform");
        StructType out = transformSchema(df.schema());
        String label = conditional() ? getOrDefault(p.labelCol) : "";
        if (conditional() && label.isEmpty()) {
            throw new IllegalArgumentException("the flow is conditional (" + classCounts.length + " classes): set labelCol to the "
                    + "frame's label column");
        }
        Frames.Columns columns = Frames.columns(df, "ParticleFlowModel input",
                Frames.readOptions(this, label, df.schema()));
        if (columns.featureColumns() != null && columns.featureColumns().length != dimension()) {
            throw new IllegalArgumentException("the frame has " + columns.featureColumns().length + " feature columns "
                    + Arrays.toString(columns.featureColumns()) + ", the flow was fitted on " + dimension());
        }
        SparkSession spark = df.sparkSession();
        Broadcast<Frames.RowsMap> bt = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .broadcast(new Frames.FlowMap(trajectory, scaling));
        JavaRDD<Row> rows = df.toDF().javaRDD().mapPartitions(new Frames.Transport(bt, df.schema(), columns, conditional()));
        return spark.createDataFrame(rows, out);
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ParticleFlowModel.class);

    /**
     * The trajectory replays with the fitted integrator, except for a model saved before lipflow
     * stored it (format 1) or one coarsened by trajectoryStride: those replay with forward Euler,
     * and a model fitted with another scheme says so rather than silently differ from its fit.
     */
    private void warnIfReplayIsNotTheFittedScheme(String call) {
        Object scheme = getOrDefault(getParam("flowIntegrator"));
        String replay = trajectory.integrator().name();
        if (!Integrator.parse(String.valueOf(scheme)).name().equals(replay)) {
            LOG.warn("lipflow: warning: this model was fitted with flow.integrator = {}; {} replays its stored fields with {} "
                    + "(a model saved before lipflow stored its integrator, or a trajectory coarsened by trajectoryStride), so it "
                    + "need not reproduce the fitted particles (model.particles())", scheme, call, replay);
        }
    }

    /** {@code n} new points, see {@link #sample(long, long)}. */
    public Dataset<Row> sample(long n) {
        return sample(n, 0);
    }

    /**
     * {@code n} new points: fresh draws from the training's source distribution (its
     * {@code sourceSynthetic}, mean, std, ν, in the model's dimension; in standardised units when the
     * model has a {@link #standardization()}, as in fit) under {@code seed}, each row
     * from its own counter-based stream (the same rows whatever the partitioning), with labels
     * drawn from the target's class frequencies for a conditional flow, transported along the
     * flow. Runs on the active SparkSession; returns id, features and (conditional) label.
     */
    public Dataset<Row> sample(long n, long seed) {
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("sample size must be in [1, " + Integer.MAX_VALUE + "], got " + n);
        }
        warnIfReplayIsNotTheFittedScheme("sample");
        Config c = toConfig();
        SyntheticData.Spec s = LipflowConfig.source(c).synthetic();
        SyntheticData.Spec spec = new SyntheticData.Spec(s.name(), (int) n, seed, dimension(), s.mean(), s.std(), s.nu(), false);
        if (spec.effectiveDimension() != dimension()) {
            throw new IllegalStateException("source " + s.name() + " has dimension " + spec.effectiveDimension()
                    + ", the flow has " + dimension());
        }
        SparkSession spark = SparkSession.active();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int partitions = c.getInt("engine.partitions") > 0 ? c.getInt("engine.partitions") : jsc.defaultParallelism();
        partitions = (int) Math.max(1, Math.min(partitions, n));
        Broadcast<FlowTrajectory> bt = jsc.broadcast(trajectory);
        JavaRDD<Block> moved = SparkEngine.generate(jsc, spec, partitions).map(move(bt, LabelSampler.of(classCounts, seed), scaling));
        return Frames.particles(spark, moved, conditional());
    }

    /** The task function of {@link #sample}: labels, then the flow (a static factory: the closure holds no model). */
    private static Function<Block, Block> move(Broadcast<FlowTrajectory> trajectory, LabelSampler labels,
                                               FeatureScaling scaling) {
        return b -> {
            Block labelled = labels.attach(b);
            trajectory.value().transport(labelled);
            return scaling == null ? labelled : scaling.invertInPlace(labelled); // a fresh block: mapped in place
        };
    }

    @Override
    public ParticleFlowModel copy(ParamMap extra) {
        ParticleFlowModel m = new ParticleFlowModel(uid, trajectory, classCounts, featureColumns, particles, metrics, scaling);
        return copyValues(m, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    public static MLReader<ParticleFlowModel> read() {
        return new Reader();
    }

    public static ParticleFlowModel load(String path) {
        return read().load(path);
    }

    static final StructType TRAJECTORY = DataTypes.createStructType(List.of(
            DataTypes.createStructField("field", DataTypes.IntegerType, false),
            DataTypes.createStructField("step", DataTypes.IntegerType, false),
            DataTypes.createStructField("time", DataTypes.DoubleType, false),
            DataTypes.createStructField("params", DataTypes.createArrayType(DataTypes.FloatType, false), false)));
    /** Format 2: the same with the stage a row's θ is for (0: the field the step starts with; i ≥ 1: re-trained at stage i). */
    static final StructType STAGED = TRAJECTORY.add(DataTypes.createStructField("stage", DataTypes.IntegerType, false));

    private static final class Writer extends MLWriter {
        private final ParticleFlowModel m;

        Writer(ParticleFlowModel m) {
            this.m = m;
        }

        @Override
        public void saveImpl(String path) {
            FlowTrajectory t = m.trajectory;
            MlpLayout l = t.layout();
            Map<String, Object> layout = new LinkedHashMap<>();
            layout.put("inputs", l.inputs());
            layout.put("hidden", l.hidden());
            layout.put("outputs", l.outputs());
            layout.put("activation", l.activation().configName());
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("layout", layout);
            extra.put("classCounts", m.classCounts == null ? null : Arrays.stream(m.classCounts).boxed().toList());
            extra.put("featureColumns", List.of(m.featureColumns));
            if (m.scaling != null) { // absent: no standardisation (also every model saved before lipflow stored it)
                extra.put("standardization", m.scaling.saved());
            }
            // format 1 (no replay: forward Euler) wherever that is the replay, so older lipflow still reads those models
            boolean euler = t.integrator().name().equals(Integrator.EULER.name());
            if (!euler) {
                Map<String, Object> replay = new LinkedHashMap<>();
                replay.put("integrator", t.integrator().name());
                replay.put("retrain", t.integrator().retrain().key());
                extra.put("replay", replay);
            }
            ModelFiles.saveMetadata(m, path, sc(), extra, euler ? ModelFiles.FIRST_VERSION : 2);
            List<Row> rows = new ArrayList<>();
            for (int j = 0; j < t.fields(); j++) {
                rows.add(euler ? RowFactory.create(j, t.step(j), t.time(j), t.params(j))
                        : RowFactory.create(j, t.step(j), t.time(j), t.params(j), 0));
                float[][] stages = t.stageParams(j);
                for (int i = 0; i < stages.length; i++) {
                    rows.add(RowFactory.create(j, t.step(j), t.time(j), stages[i], i + 1));
                }
            }
            SparkSession spark = sparkSession();
            // about 1 MB of θ per task (Spark warns about larger tasks)
            int slices = (int) Math.max(1, Math.min(rows.size(), 4L * rows.size() * l.parameterCount() / (1 << 20)));
            spark.createDataFrame(JavaSparkContext.fromSparkContext(sc()).parallelize(rows, slices), euler ? TRAJECTORY : STAGED)
                    .write().parquet(path + "/data/trajectory");
            m.particles.write().parquet(path + "/data/particles");
            m.metrics.coalesce(1).write().parquet(path + "/data/metrics");
        }
    }

    /** The trajectory of data/trajectory's rows: one per field (stage 0, or no stage column: format 1) and per stage field. */
    static FlowTrajectory trajectory(MlpLayout layout, Integrator integrator, List<Row> rows) {
        boolean staged = !rows.isEmpty() && Arrays.asList(rows.get(0).schema().fieldNames()).contains("stage");
        List<Row> fields = new ArrayList<>();
        List<Row> stageRows = new ArrayList<>();
        for (Row r : rows) {
            (staged && r.getInt(r.fieldIndex("stage")) != 0 ? stageRows : fields).add(r);
        }
        fields.sort((a, b) -> Integer.compare(a.getInt(a.fieldIndex("field")), b.getInt(b.fieldIndex("field"))));
        int n = fields.size();
        int[] steps = new int[n];
        double[] times = new double[n];
        float[][] params = new float[n][];
        for (int j = 0; j < n; j++) {
            Row r = fields.get(j);
            if (r.getInt(r.fieldIndex("field")) != j) {
                throw new IllegalArgumentException("field " + j + " is missing or repeated");
            }
            steps[j] = r.getInt(r.fieldIndex("step"));
            times[j] = r.getDouble(r.fieldIndex("time"));
            params[j] = floats(r);
        }
        float[][][] stages = null;
        if (integrator.retrainsStages()) {
            stages = new float[n][][];
            for (int j = 0; j < n; j++) {
                stages[j] = new float[integrator.table(j).stages() - 1][];
            }
        }
        for (Row r : stageRows) {
            int j = r.getInt(r.fieldIndex("field")), i = r.getInt(r.fieldIndex("stage"));
            if (stages == null || j < 0 || j >= n || i < 1 || i > stages[j].length || stages[j][i - 1] != null) {
                throw new IllegalArgumentException("field " + j + " stage " + i + " is not a stage field of a " + n + "-field "
                        + integrator.name() + " trajectory (flow.integrator-retrain = " + integrator.retrain().key() + "), or repeated");
            }
            stages[j][i - 1] = floats(r);
        }
        for (int j = 0; stages != null && j < n; j++) {
            for (int i = 0; i < stages[j].length; i++) {
                if (stages[j][i] == null) {
                    throw new IllegalArgumentException("field " + j + " has no stage " + (i + 1) + " field (" + integrator.name()
                            + " re-trains " + stages[j].length + " stages)");
                }
            }
        }
        return new FlowTrajectory(layout, integrator, steps, times, params, stages);
    }

    private static float[] floats(Row r) {
        List<Float> v = r.getList(r.fieldIndex("params"));
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i);
        }
        return out;
    }

    private static final class Reader extends MLReader<ParticleFlowModel> {
        @Override
        public ParticleFlowModel load(String path) {
            ModelFiles.Loaded loaded = ModelFiles.loadMetadata(path, sc(), ParticleFlowModel.class);
            Config f = loaded.fields();
            MlpLayout layout = new MlpLayout(f.getInt("layout.inputs"),
                    f.getIntList("layout.hidden").stream().mapToInt(Integer::intValue).toArray(), f.getInt("layout.outputs"),
                    Activation.parse(f.getString("layout.activation")));
            long[] counts = f.getIsNull("classCounts") ? null
                    : f.getLongList("classCounts").stream().mapToLong(Long::longValue).toArray();
            String[] columns = f.getStringList("featureColumns").toArray(new String[0]);
            FeatureScaling scaling = null;
            if (f.hasPath("standardization")) {
                try {
                    scaling = FeatureScaling.fromSaved(f.getDoubleList("standardization.mean"),
                            f.getDoubleList("standardization.std"), f.getBooleanList("standardization.constant"));
                } catch (IllegalArgumentException | com.typesafe.config.ConfigException e) {
                    throw new IllegalArgumentException(path + "/metadata: " + e.getMessage());
                }
                if (scaling.dimension() != layout.inputs()) {
                    throw new IllegalArgumentException(path + "/metadata: standardization has " + scaling.dimension()
                            + " features, the flow " + layout.inputs());
                }
            }
            Integrator integrator = Integrator.EULER; // format 1: the replay was forward Euler whatever the fit's scheme
            if (f.hasPath("replay")) {
                try {
                    integrator = Integrator.parse(f.getString("replay.integrator"), f.getString("replay.retrain"));
                } catch (IllegalArgumentException | com.typesafe.config.ConfigException e) {
                    throw new IllegalArgumentException(path + "/metadata: replay: " + e.getMessage());
                }
            }
            SparkSession spark = sparkSession();
            FlowTrajectory trajectory;
            try {
                trajectory = trajectory(layout, integrator, spark.read().parquet(path + "/data/trajectory").collectAsList());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(path + "/data/trajectory: " + e.getMessage());
            }
            ParticleFlowModel m = new ParticleFlowModel(loaded.metadata().uid(), trajectory, counts, columns,
                    spark.read().parquet(path + "/data/particles"), spark.read().parquet(path + "/data/metrics"), scaling);
            ModelFiles.setParams(loaded, m);
            return m;
        }
    }
}
