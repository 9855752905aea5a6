package org.lipflow.cli;

import org.lipflow.eval.SampleDistances;
import org.lipflow.flow.Block;
import org.lipflow.io.Json;
import org.lipflow.io.ReadOptions;
import org.lipflow.io.Tables;
import org.lipflow.util.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code lipflow eval}: how close generated samples are to a reference sample (energy distance,
 * MMD², sliced W1) and, with a training set, whether they copy it (median nearest-neighbour
 * distance to the training set, generated vs reference). Prints one JSON object. In process:
 * inputs above --max-rows are subsampled (pairwise work is O(n·m·d)).
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Compare generated samples with a reference sample: energy distance, MMD^2, sliced W1, memorisation check.")
final class EvalCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Option(names = "--generated", required = true, paramLabel = "G", description = "generated samples (CSV, Parquet or IDX)")
    String generated;

    @Option(names = "--reference", required = true, paramLabel = "R", description = "held-out reference samples (CSV, Parquet or IDX)")
    String reference;

    @Option(names = "--train", paramLabel = "T", description = "the training (target) samples: adds the nearest-neighbour check")
    String train;

    @Option(names = "--seed", defaultValue = "0", description = "seed of subsamples, bandwidth rows and directions (default 0)")
    long seed;

    @Option(names = "--max-rows", defaultValue = "20000", description = "rows used per input; larger inputs are subsampled "
            + "(default 20000)")
    int maxRows;

    @Option(names = "--generated-scale", defaultValue = "1", description = "multiplies the generated features (default 1)")
    double generatedScale;

    @Option(names = "--reference-scale", defaultValue = "1", description = "multiplies the reference features, e.g. 1/255 for "
            + "IDX pixels (default 1)")
    double referenceScale;

    @Option(names = "--train-scale", defaultValue = "1", description = "multiplies the training features (default 1)")
    double trainScale;

    @Option(names = "--train-per-class", defaultValue = "0", description = "draw this many training rows per class, as "
            + "target.per-class does (with --train-sample-seed = target.sample-seed: the run's very targets); 0 = all (default)")
    int trainPerClass;

    @Option(names = "--train-sample-seed", defaultValue = "0", description = "seed of that draw (default 0)")
    long trainSampleSeed;

    @Option(names = "--engine", defaultValue = "inprocess", paramLabel = "inprocess|spark", description = "where to compute: "
            + "in this JVM (default) or on Spark, the samples read and reduced on the executors")
    String engine;

    @Option(names = "--master", defaultValue = "local[*]", paramLabel = "URL", description = "Spark master (--engine spark; "
            + "default ${DEFAULT-VALUE})")
    String master;

    @Option(names = "--partitions", defaultValue = "0", description = "Spark partitions per input (0: the default parallelism)")
    int partitions;

    @Override
    public Integer call() throws java.io.IOException {
        if (maxRows < 2) {
            throw new IllegalArgumentException("--max-rows must be >= 2, got " + maxRows);
        }
        long t0 = System.nanoTime();
        if (trainPerClass < 0) {
            throw new IllegalArgumentException("--train-per-class must be >= 0 (0 = every row), got " + trainPerClass);
        }
        new InputFiles().file("--generated", generated).file("--reference", reference).file("--train", train)
                .check(engine.equalsIgnoreCase("spark"));
        if (engine.equalsIgnoreCase("spark")) {
            return onSpark(t0);
        }
        if (!engine.equalsIgnoreCase("inprocess")) {
            throw new IllegalArgumentException("--engine must be inprocess or spark, got '" + engine + "'");
        }
        Block g = read("--generated", generated, generatedScale, 0, 1);
        Block r = read("--reference", reference, referenceScale, 0, 2);
        requireSameDimension(g, "--generated", generated, r);
        Map<String, Object> out = new LinkedHashMap<>();
        SampleDistances.Figures f = SampleDistances.compare(g, r, seed);
        out.put("energy_distance", f.energyDistance());
        out.put("mmd2", f.mmd2());
        out.put("mmd_bandwidth", f.bandwidth());
        out.put("sliced_w1", f.slicedW1());
        out.put("sliced_directions", SampleDistances.DIRECTIONS);
        if (train != null) {
            Block t = read("--train", train, trainScale, trainPerClass, 3);
            requireSameDimension(t, "--train", train, r);
            double gen = SampleDistances.medianNearestNeighbour(g, t), ref = SampleDistances.medianNearestNeighbour(r, t);
            out.put("nn_median_generated_to_train", gen);
            out.put("nn_median_reference_to_train", ref);
            out.put("nn_ratio", ref > 0 ? gen / ref : null);
            out.put("train_rows", t.rows);
        }
        out.put("generated_rows", g.rows);
        out.put("reference_rows", r.rows);
        out.put("dimension", g.dimension);
        finish(out, t0, "inprocess");
        return 0;
    }

    /** The same figures on Spark: the inputs read and reduced on the executors ({@link SparkEval}). */
    private int onSpark(long t0) throws java.io.IOException {
        org.lipflow.engine.spark.SparkSessions.Handle handle = org.lipflow.engine.spark.SparkSessions.open(master);
        try {
            SparkEval spark = new SparkEval(handle.session(), partitions, seed, maxRows);
            var g = sparkRead(spark, "--generated", generated, generatedScale, 0, 1);
            var r = sparkRead(spark, "--reference", reference, referenceScale, 0, 2);
            int dg = SparkEval.dimension(g), dr = SparkEval.dimension(r);
            if (dg != dr) {
                throw dimensionMismatch("--generated", generated, dg, dr);
            }
            g = g.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
            r = r.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
            long gRows = SparkEval.rows(g), rRows = SparkEval.rows(r);
            Map<String, Object> out = new LinkedHashMap<>();
            SampleDistances.Figures f = spark.compare(g, r);
            out.put("energy_distance", f.energyDistance());
            out.put("mmd2", f.mmd2());
            out.put("mmd_bandwidth", f.bandwidth());
            out.put("sliced_w1", f.slicedW1());
            out.put("sliced_directions", SampleDistances.DIRECTIONS);
            if (train != null) {
                var t = sparkRead(spark, "--train", train, trainScale, trainPerClass, 3)
                        .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
                int dt = SparkEval.dimension(t);
                if (dt != dr) {
                    throw dimensionMismatch("--train", train, dt, dr);
                }
                double gen = spark.medianNearestNeighbour(g, t), ref = spark.medianNearestNeighbour(r, t);
                out.put("nn_median_generated_to_train", gen);
                out.put("nn_median_reference_to_train", ref);
                out.put("nn_ratio", ref > 0 ? gen / ref : null);
                out.put("train_rows", SparkEval.rows(t));
                out.put("nn_sample_rows", List.of(org.lipflow.eval.spark.SparkSampleDistances.nearestNeighbourRows(gRows),
                        org.lipflow.eval.spark.SparkSampleDistances.nearestNeighbourRows(rRows)));
            }
            out.put("generated_rows", gRows);
            out.put("reference_rows", rRows);
            out.put("dimension", dg);
            finish(out, t0, "spark (" + handle.session().sparkContext().master() + ")");
            return 0;
        } finally {
            if (handle.started()) {
                handle.stop();
            }
        }
    }

    private void finish(Map<String, Object> out, long t0, String engineUsed) {
        out.put("max_rows", maxRows);
        out.put("seed", seed);
        out.put("inputs", train == null ? List.of(generated, reference) : List.of(generated, reference, train));
        out.put("engine", engineUsed);
        out.put("millis", (System.nanoTime() - t0) / 1_000_000);
        command.commandLine().getOut().println(Json.write(out));
    }

    /** The read options of an input: the defaults (label and id columns used when present), a per-class draw, a scale. */
    private ReadOptions options(double scale, String flag, int perClass) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException(flag + " must be > 0 and finite, got " + scale);
        }
        ReadOptions o = ReadOptions.defaults();
        return new ReadOptions(o.format(), o.labelColumn(), o.features(), o.vectorColumn(), false, "", perClass,
                trainSampleSeed, scale).withIdColumn(o.idColumn(), false);
    }

    /**
     * An input's features (labels dropped after an optional per-class draw), scaled, at most --max-rows
     * of them; its bad-input errors name the option ({@code --train T.csv line 3, ...}).
     */
    private Block read(String option, String path, double scale, int perClass, int which) {
        ReadOptions o = options(scale, option + "-scale", perClass);
        Block b = new InputFiles().file(option, path).read(() -> Tables.read(path, o)).block();
        return SampleDistances.subsample(new Block(b.rows, b.dimension, b.x, null, null), maxRows, Rng.stream(seed, Rng.EVAL, 0, which));
    }

    /** {@link #read} on Spark ({@link SparkEval#read}): the rows are parsed and counted there, so its errors name the option too. */
    private org.apache.spark.api.java.JavaRDD<Block> sparkRead(SparkEval spark, String option, String path, double scale,
                                                              int perClass, int which) {
        ReadOptions o = options(scale, option + "-scale", perClass);
        return new InputFiles().file(option, path).read(() -> spark.read(path, o, which));
    }

    /** Every input is compared with the reference: another dimension is one line naming both options and files. */
    private void requireSameDimension(Block a, String option, String path, Block reference) {
        if (a.dimension != reference.dimension) {
            throw dimensionMismatch(option, path, a.dimension, reference.dimension);
        }
    }

    private IllegalArgumentException dimensionMismatch(String option, String path, int d, int referenceDimension) {
        return new IllegalArgumentException("dimension mismatch: " + InputFiles.named(option, path) + " has " + d
                + " feature columns, " + InputFiles.named("--reference", reference) + " has " + referenceDimension);
    }
}
