package org.lipflow.cli;

import com.typesafe.config.Config;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.lipflow.config.DataSpec;
import org.lipflow.config.LatentConfig;
import org.lipflow.config.LipflowConfig;
import org.lipflow.config.RunSpec;
import org.lipflow.data.SyntheticData;
import org.lipflow.engine.spark.SparkSessions;
import org.lipflow.flow.Block;
import org.lipflow.io.FileSystems;
import org.lipflow.io.ImageGrid;
import org.lipflow.io.Json;
import org.lipflow.io.OutputDirectory;
import org.lipflow.io.Plots;
import org.lipflow.io.SparkInputs;
import org.lipflow.io.Table;
import org.lipflow.latent.AutoencoderModel;
import org.lipflow.latent.AutoencoderOptions;
import org.lipflow.latent.AutoencoderTrainer;
import org.lipflow.latent.EpochListener;
import org.lipflow.latent.ModelDescriptor;
import org.lipflow.latent.PcaStage;
import org.lipflow.latent.spark.SparkAutoencoderTrainer;
import org.lipflow.util.Versions;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code autoencoder} job: fit the autoencoder on the target data (target.* keys; --data sets
 * target.path) in this JVM or with DL4J Spark, and write the model directory atomically:
 * encoder.zip, decoder.zip, latent.json, manifest.json, loss.png and, for image shapes,
 * reconstructions.png (inputs above their reconstructions).
 */
final class AutoencoderJob {
    /** Images in the reconstruction grid. */
    static final int GRID = 10;

    private final Config config;
    private final PrintWriter log;

    /** @param log stderr; its lines are all informational: none with output.quiet (--quiet) */
    AutoencoderJob(Config config, PrintWriter log) {
        this.config = config;
        this.log = config.getBoolean("output.quiet") ? new PrintWriter(java.io.Writer.nullWriter()) : log;
    }

    /** Fits, commits the model directory and returns its path or URI. */
    String run() throws IOException {
        String type = LatentConfig.type(config);
        String dir = LatentConfig.out(config);
        List<String> union = LatentConfig.data(config);
        // latent.data names the data itself: the target keys then only say how to read them
        RunSpec spec = LipflowConfig.toRunSpec(union.isEmpty() ? config
                : config.withValue("target.path", com.typesafe.config.ConfigValueFactory.fromAnyRef(union.get(0))));
        List<DataSpec> sets = dataSets(spec);
        List<String> inputs = sets.stream().map(DataSpec::path).filter(java.util.Objects::nonNull).toList();
        OutputDirectory.checkTarget(dir, spec.overwrite(), inputs);
        boolean onSpark = spec.engine().equals("spark") || (spec.engine().equals("auto") && !SparkSessions.onThisMachine(spec.master()));
        InputFiles files = inputFiles(sets);
        files.check(onSpark);
        if (type.equals("pca")) {
            return pca(spec, sets, dir, LatentConfig.dimension(config), onSpark);
        }
        AutoencoderOptions options = LatentConfig.autoencoder(config);
        int[] shape = LatentConfig.shape(config);
        int averaging = LatentConfig.averagingFrequency(config);
        Instant started = Instant.now();
        List<Double> seconds = new ArrayList<>();
        EpochListener progress = (e, loss, s) -> {
            seconds.add(s);
            if (spec.progress()) {
                log.printf("lipflow: epoch %d/%d  loss %.6g  (%.2f s)%n", e, options.epochs(), loss, s);
            }
        };
        Map<String, Object> described = new LinkedHashMap<>();
        AutoencoderModel model;
        Block sample;
        int[] imageShape = null; // the data's own image shape (IDX, pixel columns), for a dense model's reconstructions
        String engine;
        if (onSpark) {
            SparkSessions.Handle handle = SparkSessions.open(spec.master());
            try {
                JavaSparkContext sc = JavaSparkContext.fromSparkContext(handle.session().sparkContext());
                int partitions = spec.spark().partitions() > 0 ? spec.spark().partitions() : sc.defaultParallelism();
                JavaRDD<Block> blocks;
                List<String> columns;
                String fingerprint;
                if (sets.get(0).path() != null) {
                    SparkUnion u = sparkUnion(handle, sets, partitions);
                    columns = u.columns();
                    blocks = u.blocks();
                    fingerprint = String.join(" + ", sets.stream().map(d -> "not hashed: " + d.path()
                            + " read by Spark on the executors").toList());
                    described.put("uri", sets.size() == 1 ? sets.get(0).describe() : inputs);
                } else {
                    DataSpec data = sets.get(0);
                    Table t = DataLoader.load(data);
                    columns = List.of(t.columns());
                    blocks = sc.parallelize(split(t.block(), partitions), partitions);
                    fingerprint = "synthetic:" + data.synthetic();
                    described.putAll(DataLoader.describe(data, t));
                }
                options.shapeFor(columns.size(), shape); // bad sizes fail before any work
                engine = "spark (" + sc.master() + ", " + partitions + " partitions, DL4J parameter averaging every " + averaging
                        + " minibatches)";
                log.println("lipflow: autoencoder (" + type + ", k = " + options.latentDimension() + ") on " + engine);
                // Spark parses the files as the fit reads them: their errors name the keys
                SparkAutoencoderTrainer.Result r = files.naming(() -> SparkAutoencoderTrainer.fit(sc, blocks, columns, shape, options,
                        averaging, fingerprint, progress));
                model = r.model();
                sample = r.sample();
            } finally {
                if (handle.started()) {
                    handle.stop();
                }
            }
        } else {
            List<Map<String, Object>> each = new ArrayList<>();
            Table t = union(sets, each);
            if (each.size() == 1) {
                described.putAll(each.get(0));
            } else {
                described.put("data_sets", each);
            }
            String fingerprint = fingerprint(sets, each);
            options.shapeFor(t.block().dimension, shape); // bad sizes fail before any work
            engine = "inprocess";
            log.println("lipflow: autoencoder (" + type + ", k = " + options.latentDimension() + ") in process on "
                    + t.block().rows + " rows, d = " + t.block().dimension);
            model = AutoencoderTrainer.fit(t.block(), List.of(t.columns()), shape, options, fingerprint, progress);
            sample = t.block();
            imageShape = t.imageShape();
        }
        described.put("rows", model.descriptor().trainingRows());
        try (OutputDirectory out = new OutputDirectory(dir, spec.overwrite(), inputs, log)) {
            model.save(out.local());
            Plots.loss(out.local(), model.descriptor().losses());
            int[] gridShape = model.descriptor().shape().length == 3 ? model.descriptor().shape() : imageShape;
            if (gridShape != null && sample != null) {
                reconstructions(out.local(), model, sample, gridShape);
            }
            manifest(out.local(), engine, options, described, started, seconds, model.descriptor());
            out.commit();
            List<Double> losses = model.descriptor().losses();
            log.printf("lipflow: wrote %s (final reconstruction loss %.6g)%n", out.target(), losses.get(losses.size() - 1));
            return out.target();
        }
    }

    /**
     * latent.type = pca: exact PCA of the data, tall or wide ({@link PcaStage}); a file on the Spark
     * engine is reduced on the executors, anything else is fitted here.
     */
    private String pca(RunSpec spec, List<DataSpec> sets, String dir, int k, boolean onSpark) throws IOException {
        List<String> uris = sets.stream().map(d -> d.path() != null ? d.path() : "synthetic:" + d.synthetic()).toList();
        if (onSpark && sets.get(0).path() != null) {
            SparkSessions.Handle handle = SparkSessions.open(spec.master());
            try {
                JavaSparkContext sc = JavaSparkContext.fromSparkContext(handle.session().sparkContext());
                int partitions = spec.spark().partitions() > 0 ? spec.spark().partitions() : sc.defaultParallelism();
                SparkUnion u = sparkUnion(handle, sets, partitions);
                log.println("lipflow: autoencoder (pca, k = " + k + ") on spark (" + sc.master() + ", " + partitions + " partitions)");
                // Spark parses the files as the fit reads them: their errors name the keys
                return wrote(inputFiles(sets).naming(() -> PcaStage.fitOnSpark(u.blocks(), u.columns().toArray(String[]::new), uris, k,
                        dir, spec.overwrite(), log)));
            } finally {
                if (handle.started()) {
                    handle.stop();
                }
            }
        }
        Table t = union(sets, new ArrayList<>());
        log.println("lipflow: autoencoder (pca, k = " + k + ") in process on " + t.block().rows + " rows, d = " + t.block().dimension
                + (sets.size() > 1 ? " (the union of " + sets.size() + " data sets)" : ""));
        return wrote(PcaStage.fit(t, uris, k, dir, spec.overwrite(), log));
    }

    /** The data sets the model is fitted on: latent.data (read with the target.* options), else the target. */
    private List<DataSpec> dataSets(RunSpec spec) {
        List<String> paths = LatentConfig.data(config);
        if (paths.isEmpty()) {
            return List.of(spec.target());
        }
        return paths.stream().map(p -> new DataSpec(p, null, spec.target().read())).toList();
    }

    /**
     * The keys that name the data sets, for errors: target.path (and target.labels-path), or
     * latent.data for each of several.
     */
    private InputFiles inputFiles(List<DataSpec> sets) {
        InputFiles files = new InputFiles();
        sets.forEach(d -> inputFiles(d, files));
        return files;
    }

    private InputFiles inputFiles(DataSpec d) {
        return inputFiles(d, new InputFiles());
    }

    private InputFiles inputFiles(DataSpec d, InputFiles files) {
        return LatentConfig.data(config).isEmpty() ? files.data("target", d) : files.file("latent.data", d.path());
    }

    /** What errors call a data set: {@code latent.data = b.csv}, {@code target.path = t.csv}, or a generated one's name. */
    private static String named(InputFiles files, DataSpec d) {
        return d.path() == null ? d.describe() : files.nameOf(d.path());
    }

    /**
     * The union of the data sets, read here: their rows one after another (labels and ids dropped;
     * the model does not use them). Every set must have the first one's feature columns, in order.
     *
     * @param described filled with each set's manifest entry
     */
    private Table union(List<DataSpec> sets, List<Map<String, Object>> described) throws IOException {
        List<Table> tables = new ArrayList<>();
        for (DataSpec d : sets) {
            InputFiles file = inputFiles(d);
            Table t = file.read(() -> DataLoader.load(d));
            if (!tables.isEmpty()) {
                requireSameColumns(named(inputFiles(sets.get(0)), sets.get(0)), tables.get(0).columns(), named(file, d), t.columns());
            }
            tables.add(t);
            described.add(DataLoader.describe(d, t));
        }
        if (tables.size() == 1) {
            return tables.get(0);
        }
        int d = tables.get(0).block().dimension, rows = tables.stream().mapToInt(t -> t.block().rows).sum();
        float[] x = new float[rows * d];
        int r = 0;
        for (Table t : tables) {
            System.arraycopy(t.block().x, 0, x, r * d, t.block().x.length);
            r += t.block().rows;
        }
        return new Table(tables.get(0).columns(), new Block(rows, d, x, null, null), null, tables.get(0).imageShape());
    }

    /** One model is fitted on data sets of the same feature columns: else a one-line error naming both. */
    static void requireSameColumns(String first, String[] expected, String other, String[] columns) {
        if (!Arrays.equals(expected, columns)) {
            int i = 0;
            while (i < Math.min(expected.length, columns.length) && expected[i].equals(columns[i])) {
                i++;
            }
            String where = expected.length != columns.length
                    ? expected.length + " feature columns, " + other + " has " + columns.length
                    : "feature column " + (i + 1) + " '" + expected[i] + "', " + other + " has '" + columns[i] + "'";
            throw new IllegalArgumentException("autoencoder data sets must have the same feature columns (one model is fitted on "
                    + "their union): " + first + " has " + where);
        }
    }

    /** What latent.json records of the data: each set's SHA-256 (or generator spec), joined by " + ". */
    private static String fingerprint(List<DataSpec> sets, List<Map<String, Object>> described) {
        List<String> f = new ArrayList<>();
        for (int i = 0; i < sets.size(); i++) {
            f.add(sets.get(i).path() != null ? "sha256:" + described.get(i).get("sha256") : "synthetic:" + sets.get(i).synthetic());
        }
        return String.join(" + ", f);
    }

    /** The data sets read by Spark: their columns (checked alike) and the union of their blocks in {@code partitions}. */
    record SparkUnion(List<String> columns, JavaRDD<Block> blocks) {
    }

    private SparkUnion sparkUnion(SparkSessions.Handle handle, List<DataSpec> sets, int partitions) {
        String[] columns = null;
        JavaRDD<Block> blocks = null;
        for (DataSpec d : sets) {
            InputFiles file = inputFiles(d);
            SparkInputs.Input in = file.read(() -> SparkInputs.open(handle.session(), d.path(), d.read()));
            // a file without rows would reach the fit as an empty data set: say so (parses up to the first rows only)
            if (file.read(() -> in.blocks().filter(b -> b.rows > 0).isEmpty())) {
                throw new IllegalArgumentException(file.nameOf(d.path()) + ": no data rows");
            }
            if (columns != null) {
                requireSameColumns(named(inputFiles(sets.get(0)), sets.get(0)), columns, named(file, d), in.columns());
            } else {
                columns = in.columns();
            }
            JavaRDD<Block> b = in.blocks(partitions);
            blocks = blocks == null ? b : blocks.union(b);
        }
        return new SparkUnion(List.of(columns), sets.size() == 1 ? blocks : blocks.coalesce(partitions));
    }

    private String wrote(String dir) {
        log.println("lipflow: wrote " + dir);
        return dir;
    }

    /** A block in {@code parts} blocks of consecutive rows (a generated data set on the Spark engine). */
    static List<Block> split(Block b, int parts) {
        List<Block> out = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            int r0 = (int) ((long) b.rows * p / parts), r1 = (int) ((long) b.rows * (p + 1) / parts);
            out.add(new Block(r1 - r0, b.dimension, Arrays.copyOfRange(b.x, r0 * b.dimension, r1 * b.dimension), null, null));
        }
        return out;
    }

    /** reconstructions.png: the first rows of the data above their reconstructions, on the inputs' value range. */
    static void reconstructions(Path dir, AutoencoderModel model, Block data, int[] shape) throws IOException {
        int n = Math.min(GRID, data.rows), d = data.dimension;
        Block first = new Block(n, d, Arrays.copyOf(data.x, n * d), null, null);
        Block back = model.decode(model.encode(first));
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (float v : first.x) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        ImageGrid.write(dir.resolve("reconstructions.png"), List.of(first, back), shape, GRID, lo, hi);
    }

    private void manifest(Path dir, String engine, AutoencoderOptions options, Map<String, Object> data, Instant started,
                          List<Double> seconds, ModelDescriptor d) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "autoencoder");
        m.put("seed", options.seed());
        m.put("engine", engine);
        m.put("options", options.toString());
        m.put("config", new Json.Raw(org.lipflow.config.RedactedConfig.render(config)));
        m.put("versions", Versions.all());
        m.put("data", data);
        m.put("model", Map.of("type", d.type(), "latent_dimension", d.latentDimension(), "shape",
                Arrays.stream(d.shape()).boxed().toList()));
        m.put("epoch_seconds", seconds);
        m.put("final_loss", d.losses().get(d.losses().size() - 1));
        m.put("started", started.toString());
        m.put("finished", Instant.now().toString());
        Files.writeString(dir.resolve(OutputDirectory.MANIFEST), Json.write(m) + "\n", StandardCharsets.UTF_8);
    }
}
