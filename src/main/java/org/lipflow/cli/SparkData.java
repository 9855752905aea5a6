package org.lipflow.cli;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.lipflow.config.DataSpec;
import org.lipflow.data.SyntheticData;
import org.lipflow.engine.TargetSamples;
import org.lipflow.engine.spark.SparkEngine;
import org.lipflow.engine.spark.SparkSettings;
import org.lipflow.engine.spark.SparkTarget;
import org.lipflow.flow.Block;
import org.lipflow.flow.LabelSampler;
import org.apache.spark.storage.StorageLevel;
import org.lipflow.io.RowIds;
import org.lipflow.io.SparkIds;
import org.lipflow.io.SparkInputs;
import org.lipflow.io.Table;
import org.lipflow.io.Tables;

import scala.Tuple2;

import java.util.List;

/** Target and source files read by Spark (any Hadoop URI; numeric or vector features). */
final class SparkData {
    private SparkData() {
    }

    /**
     * @param labelled true when the file has a label column
     * @param rows     rows of the file
     * @param ids      the id side column (source.id-column, when the file has it), partitioned like the blocks; or null
     */
    record Source(JavaRDD<Block> blocks, int dimension, boolean labelled, long rows, SourceIds ids) {
    }

    /**
     * The target as the Spark engine needs it, and as the run's plots and manifest see it.
     *
     * @param table   the whole target (broadcast) or a strided sample of it (co-partitioned)
     * @param samples how tasks reach it: in this JVM (broadcast) or a {@link SparkTarget}
     */
    record Target(Table table, TargetSamples samples) {
    }

    /**
     * A target up to engine.broadcast-limit-mb is gathered and broadcast; a larger one is
     * hash-partitioned into the particles' partitions, each of which must stay under the limit.
     * Bad-input errors of the file name target.path.
     */
    static Target target(SparkSession spark, DataSpec spec, SparkSettings settings, int partitions) {
        InputFiles file = new InputFiles().data("target", spec);
        if (readOnDriver(spec)) {
            Table t = file.read(() -> Tables.read(spec.path(), spec.read()));
            return new Target(t, TargetSamples.of(t.block()));
        }
        SparkInputs.Input in = file.read(() -> SparkInputs.open(spark, spec.path(), spec.read()));
        long rows = file.read(in::rows); // parses and checks every row
        String[] columns = in.columns();
        String label = in.labelColumn();
        long bytes = rows * in.dimension() * 4L;
        long limit = settings.broadcastLimitBytes();
        if (bytes <= limit) {
            Block b = SparkEngine.concat(file.read(() -> in.blocks().collect()));
            Block whole = new Block(b.rows, b.dimension, b.x, b.labels, null);
            return new Target(new Table(columns, whole, label), TargetSamples.of(whole));
        }
        requireCoPartitionable(spec.describe(), bytes, limit, partitions);
        JavaRDD<Block> shards = in.blocks(partitions);
        int perPartition = Math.max(1, 5000 / partitions);
        // one pass over the shards: a sample of each, and its rows per class
        List<Tuple2<Block, long[]>> parts = shards.map(b -> new Tuple2<>(SparkEngine.sample(b, perPartition),
                LabelSampler.counts(b.labels))).collect();
        Block sample = SparkEngine.concat(parts.stream().map(Tuple2::_1).toList());
        long[] counts = label == null ? null : addCounts(parts.stream().map(Tuple2::_2).toList());
        return new Target(new Table(columns, new Block(sample.rows, sample.dimension, sample.x, sample.labels, null), label),
                new SparkTarget(shards, in.dimension(), rows, counts));
    }

    /**
     * A generated target above engine.broadcast-limit-mb, generated on the executors in the
     * particles' partitions (its rows are independent draws, so any split is a random one), with a
     * sample of its first rows for plots; null when it fits the limit and is broadcast.
     */
    static Target generatedTarget(SparkSession spark, SyntheticData.Spec spec, SparkSettings settings, int partitions) {
        long bytes = (long) spec.n() * spec.effectiveDimension() * 4L;
        if (bytes <= settings.broadcastLimitBytes()) {
            return null;
        }
        requireCoPartitionable("synthetic:" + spec.name(), bytes, settings.broadcastLimitBytes(), partitions);
        JavaRDD<Block> shards = SparkEngine.generate(JavaSparkContext.fromSparkContext(spark.sparkContext()), spec, partitions)
                .map(b -> new Block(b.rows, b.dimension, b.x, b.labels, null));
        long[] counts = spec.labels() ? addCounts(shards.map(b -> LabelSampler.counts(b.labels)).collect()) : null;
        Block sample = SyntheticData.generate(spec, 0, Math.min(spec.n(), 5000));
        Block table = new Block(sample.rows, sample.dimension, sample.x, sample.labels, null);
        return new Target(new Table(SyntheticData.columns(spec), table, spec.labels() ? "label" : null),
                new SparkTarget(shards, spec.effectiveDimension(), spec.n(), counts));
    }

    /**
     * IDX files, and files whose rows are subset per class or scaled, are read on the driver
     * (small: a scarce subset, or a few tens of MB of images) by the in-process reader.
     */
    static boolean readOnDriver(DataSpec spec) {
        boolean driver = spec.read().formatOf(spec.path()).equals("idx") || spec.read().transformsRows();
        if (driver && !spec.read().vectorColumn().isEmpty()) {
            throw new IllegalArgumentException(spec.describe() + ": features-column (a Spark ML vector column) cannot be combined "
                    + "with per-class or scale, which read the file on the driver; use numeric feature columns");
        }
        return driver;
    }

    /** A block cut into {@code parts} contiguous slices, ids (slice << 40) + row as Spark-read files have. */
    private static List<Block> slices(Block b, int parts) {
        List<Block> out = new java.util.ArrayList<>();
        for (int p = 0; p < parts; p++) {
            int from = (int) ((long) b.rows * p / parts), to = (int) ((long) b.rows * (p + 1) / parts), n = to - from;
            long[] ids = new long[n];
            for (int i = 0; i < n; i++) {
                ids[i] = ((long) p << 40) + i;
            }
            out.add(new Block(n, b.dimension, java.util.Arrays.copyOfRange(b.x, from * b.dimension, to * b.dimension),
                    b.labels == null ? null : java.util.Arrays.copyOfRange(b.labels, from, to), ids));
        }
        return out;
    }

    /** Each of the partitions' parts of a co-partitioned target must itself fit the broadcast limit. */
    private static void requireCoPartitionable(String target, long bytes, long limit, int partitions) {
        long needed = (bytes + limit - 1) / Math.max(1, limit);
        if (limit == 0 || needed > partitions) {
            throw new IllegalArgumentException(String.format("target %s of %.3g MB exceeds engine.broadcast-limit-mb = %.3g and "
                    + "needs at least %s partitions to be co-partitioned under that limit; engine.partitions gives %d",
                    target, bytes / 1048576.0, limit / 1048576.0, limit == 0 ? "infinitely many" : Long.toString(needed),
                    partitions));
        }
    }

    /** The element-wise sum of per-shard class counts of different lengths (null: a shard without rows). */
    static long[] addCounts(List<long[]> parts) {
        int k = parts.stream().mapToInt(c -> c == null ? 0 : c.length).max().orElse(0);
        long[] sum = new long[k];
        for (long[] c : parts) {
            for (int i = 0; c != null && i < c.length; i++) {
                sum[i] += c[i];
            }
        }
        return sum;
    }

    /**
     * Particles from a file, hash-partitioned into the engine's partitions (so they zip with a
     * co-partitioned target). Bad-input errors of the file name source.path.
     */
    static Source source(SparkSession spark, DataSpec spec, int partitions) {
        InputFiles file = new InputFiles().data("source", spec);
        return file.read(() -> readSource(spark, spec, partitions));
    }

    private static Source readSource(SparkSession spark, DataSpec spec, int partitions) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        if (readOnDriver(spec)) {
            Table t = Tables.read(spec.path(), spec.read());
            Block b = t.block();
            SourceIds ids = t.ids() == null ? null
                    : SourceIds.distributed(t.ids().name(), SparkIds.slices(sc, t.ids(), partitions));
            return new Source(sc.parallelize(slices(b, partitions), partitions), b.dimension, b.labels != null, b.rows, ids);
        }
        SparkInputs.Input in = SparkInputs.open(spark, spec.path(), spec.read());
        long rows = in.rows();
        if (in.idColumn() == null) {
            return new Source(in.blocks(partitions), in.dimension(), in.labelColumn() != null, rows, null);
        }
        // rows and their ids from one computed (and kept) pass, so the side column lines up with the particles
        JavaRDD<Tuple2<Block, String[]>> keyed = in.keyedBlocks(partitions).persist(StorageLevel.MEMORY_AND_DISK_SER());
        JavaRDD<RowIds> ids = SparkIds.of(keyed).persist(StorageLevel.MEMORY_AND_DISK_SER());
        if (spec.read().idRequired()) {
            SparkIds.requireUnique(ids, spec.describe(), in.idColumn());
        }
        return new Source(keyed.map(Tuple2::_1), in.dimension(), in.labelColumn() != null, rows,
                SourceIds.distributed(in.idColumn(), ids, keyed));
    }

    /**
     * A labelled source file's labels must be classes of the target, checked on the executors with
     * the file named in the error; an unlabelled target cannot take a labelled source.
     */
    static JavaRDD<Block> checkLabels(Source s, long[] targetClassCounts, DataSpec source) {
        if (!s.labelled()) {
            return s.blocks();
        }
        if (targetClassCounts == null) {
            throw new IllegalArgumentException(DataLoader.unlabelledTarget(source));
        }
        return SparkInputs.requireLabelsWithin(s.blocks(), targetClassCounts.length, InputFiles.named("source", source));
    }
}
