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

    AutoencoderJob(Config config, PrintWriter log) {
        this.config = config;
        this.log = log;
    }

    /** Fits, commits the model directory and returns its path or URI. */
    String run() throws IOException {
        String type = LatentConfig.type(config);
        String dir = LatentConfig.out(config);
        RunSpec spec = LipflowConfig.toRunSpec(config);
        DataSpec data = spec.target();
        List<String> inputs = data.path() == null ? List.of() : List.of(data.path());
        OutputDirectory.checkTarget(dir, spec.overwrite(), inputs);
        boolean onSpark = spec.engine().equals("spark") || (spec.engine().equals("auto") && !SparkSessions.onThisMachine(spec.master()));
        if (type.equals("pca")) {
            return pca(spec, data, dir, LatentConfig.dimension(config), onSpark);
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
                if (data.path() != null) {
                    SparkInputs.Input in = SparkInputs.open(handle.session(), data.path(), data.read());
                    columns = List.of(in.columns());
                    blocks = in.blocks(partitions);
                    fingerprint = "not hashed: " + data.path() + " read by Spark on the executors";
                    described.put("uri", data.describe());
                } else {
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
                SparkAutoencoderTrainer.Result r = SparkAutoencoderTrainer.fit(sc, blocks, columns, shape, options, averaging,
                        fingerprint, progress);
                model = r.model();
                sample = r.sample();
            } finally {
                if (handle.started()) {
                    handle.stop();
                }
            }
        } else {
            Table t = DataLoader.load(data);
            described.putAll(DataLoader.describe(data, t));
            String fingerprint = data.path() != null ? "sha256:" + described.get("sha256") : "synthetic:" + data.synthetic();
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
    private String pca(RunSpec spec, DataSpec data, String dir, int k, boolean onSpark) throws IOException {
        String uri = data.path() != null ? data.path() : "synthetic:" + data.synthetic();
        if (onSpark && data.path() != null) {
            SparkSessions.Handle handle = SparkSessions.open(spec.master());
            try {
                JavaSparkContext sc = JavaSparkContext.fromSparkContext(handle.session().sparkContext());
                int partitions = spec.spark().partitions() > 0 ? spec.spark().partitions() : sc.defaultParallelism();
                SparkInputs.Input in = SparkInputs.open(handle.session(), data.path(), data.read());
                log.println("lipflow: autoencoder (pca, k = " + k + ") on spark (" + sc.master() + ", " + partitions + " partitions)");
                return wrote(PcaStage.fitOnSpark(in.blocks(partitions), in.columns(), uri, k, dir, spec.overwrite(), log));
            } finally {
                if (handle.started()) {
                    handle.stop();
                }
            }
        }
        Table t = DataLoader.load(data);
        log.println("lipflow: autoencoder (pca, k = " + k + ") in process on " + t.block().rows + " rows, d = " + t.block().dimension);
        return wrote(PcaStage.fit(t, uri, k, dir, spec.overwrite(), log));
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
