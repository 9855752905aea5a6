package org.lipflow.cli;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.lipflow.config.DataSpec;
import org.lipflow.engine.spark.SparkEngine;
import org.lipflow.engine.spark.SparkSettings;
import org.lipflow.engine.spark.SparkTarget;
import org.lipflow.flow.Block;
import org.lipflow.io.SparkInputs;
import org.lipflow.io.Table;

import scala.Tuple2;

import java.util.List;

/** Target and source files read by Spark (any Hadoop URI; numeric or vector features). */
final class SparkData {
    private SparkData() {
    }

    /**
     * @param labelled true when the file has a label column
     * @param rows     rows of the file
     */
    record Source(JavaRDD<Block> blocks, int dimension, boolean labelled, long rows) {
    }

    /**
     * The target as the Spark engine needs it, and as the run's plots and manifest see it.
     *
     * @param table   the whole target (broadcast) or a strided sample of it (co-partitioned)
     * @param spark   how tasks reach it
     * @param classes K: one more than the largest label, 1 without labels
     * @param rows    rows of the whole target
     */
    record Target(Table table, SparkTarget spark, int classes, long rows) {
    }

    /**
     * A target up to engine.broadcast-limit-mb is gathered and broadcast; a larger one is
     * hash-partitioned into the particles' partitions, each of which must stay under the limit.
     */
    static Target target(SparkSession spark, DataSpec spec, SparkSettings settings, int partitions) {
        SparkInputs.Input in = SparkInputs.open(spark, spec.path(), spec.read());
        long rows = in.rows();
        String[] columns = in.columns();
        String label = in.labelColumn();
        long bytes = rows * in.dimension() * 4L;
        long limit = settings.broadcastLimitBytes();
        if (bytes <= limit) {
            Block b = SparkEngine.concat(in.blocks().collect());
            Block whole = new Block(b.rows, b.dimension, b.x, b.labels, null);
            return new Target(new Table(columns, whole, label), SparkTarget.broadcast(whole), DataLoader.classes(b.labels), rows);
        }
        long needed = (bytes + limit - 1) / Math.max(1, limit);
        if (limit == 0 || needed > partitions) {
            throw new IllegalArgumentException(String.format("target %s of %.3g MB exceeds engine.broadcast-limit-mb = %.3g and "
                    + "needs at least %s partitions to be co-partitioned under that limit; engine.partitions gives %d",
                    spec.path(), bytes / 1048576.0, limit / 1048576.0, limit == 0 ? "infinitely many" : Long.toString(needed),
                    partitions));
        }
        JavaRDD<Block> shards = in.blocks(partitions);
        int perPartition = Math.max(1, 5000 / partitions);
        // one pass over the shards: a sample of each, and its class count
        List<Tuple2<Block, Integer>> parts = shards.map(b -> new Tuple2<>(SparkEngine.sample(b, perPartition),
                DataLoader.classes(b.labels))).collect();
        Block sample = SparkEngine.concat(parts.stream().map(Tuple2::_1).toList());
        int classes = parts.stream().mapToInt(Tuple2::_2).max().orElse(1);
        return new Target(new Table(columns, new Block(sample.rows, sample.dimension, sample.x, sample.labels, null), label),
                SparkTarget.coPartitioned(shards, in.dimension()), classes, rows);
    }

    /** Particles from a file, hash-partitioned into the engine's partitions (so they zip with a co-partitioned target). */
    static Source source(SparkSession spark, DataSpec spec, int partitions) {
        SparkInputs.Input in = SparkInputs.open(spark, spec.path(), spec.read());
        long rows = in.rows();
        return new Source(in.blocks(partitions), in.dimension(), in.labelColumn() != null, rows);
    }

    /**
     * The particles' labels, by the rules of {@link DataLoader#sourceLabels}: a labelled source
     * needs a labelled target and the target's classes (checked on the executors); an unlabelled
     * source of a labelled target draws its labels from the target's.
     */
    static JavaRDD<Block> sourceLabels(JavaRDD<Block> particles, boolean sourceLabelled, Block target, int classes,
                                       DataSpec source, long seed) {
        if (target.labels == null) {
            if (sourceLabelled) {
                throw new IllegalArgumentException(DataLoader.unlabelledTarget(source));
            }
            return particles;
        }
        Block labels = new Block(target.rows, 0, new float[0], target.labels, null); // what tasks need of the target
        JavaRDD<Block> checked = SparkInputs.requireLabelsWithin(particles, classes, source.describe());
        return checked.map(b -> b.labels == null ? DataLoader.labelLike(b, labels, seed) : b);
    }
}
