package org.lipflow.cli;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.lipflow.config.DataSpec;
import org.lipflow.engine.TargetSamples;
import org.lipflow.engine.spark.SparkEngine;
import org.lipflow.engine.spark.SparkSettings;
import org.lipflow.engine.spark.SparkTarget;
import org.lipflow.flow.Block;
import org.lipflow.io.SparkInputs;
import org.lipflow.io.Table;

import java.util.List;

/** Target and source files read by Spark (any Hadoop URI; numeric or vector features). */
final class SparkData {
    private SparkData() {
    }

    record Source(JavaRDD<Block> blocks, int dimension) {
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
     */
    static Target target(SparkSession spark, DataSpec spec, SparkSettings settings, int partitions) {
        Dataset<Row> df = SparkInputs.frame(spark, spec.path(), spec.read());
        SparkInputs.Layout layout = SparkInputs.layout(df, spec.path(), spec.read());
        long rows = df.count();
        if (rows == 0) {
            throw new IllegalArgumentException(spec.path() + ": no data rows");
        }
        String[] columns = layout.featureColumns();
        if (columns == null) {
            columns = new String[layout.dimension()];
            for (int k = 0; k < columns.length; k++) {
                columns[k] = "x" + (k + 1);
            }
        }
        long bytes = rows * layout.dimension() * 4L;
        long limit = settings.broadcastLimitBytes();
        if (bytes <= limit) {
            Block b = SparkEngine.concat(SparkInputs.blocks(df, layout, spec.path()).collect());
            Block whole = new Block(b.rows, b.dimension, b.x, b.labels, null);
            return new Target(new Table(columns, whole, b.labels == null ? null : layout.labelColumn()), TargetSamples.of(whole));
        }
        long needed = (bytes + limit - 1) / Math.max(1, limit);
        if (limit == 0 || needed > partitions) {
            throw new IllegalArgumentException(String.format("target %s of %.3g MB exceeds engine.broadcast-limit-mb = %.3g and "
                    + "needs at least %s partitions to be co-partitioned under that limit; engine.partitions gives %d",
                    spec.path(), bytes / 1048576.0, limit / 1048576.0, limit == 0 ? "infinitely many" : Long.toString(needed),
                    partitions));
        }
        JavaRDD<Block> shards = SparkInputs.blocks(SparkInputs.byHash(df, layout, partitions), layout, spec.path());
        int perPartition = Math.max(1, 5000 / partitions);
        Block sample = SparkEngine.concat(shards.map(b -> SparkEngine.sample(b, perPartition)).collect());
        long[] counts = layout.labelColumn() == null ? null : classCounts(df, layout.labelColumn(), spec.path());
        return new Target(new Table(columns, new Block(sample.rows, sample.dimension, sample.x, sample.labels, null),
                sample.labels == null ? null : layout.labelColumn()), new SparkTarget(shards, layout.dimension(), rows, counts));
    }

    /**
     * Rows per label of a distributed target, counted by Spark (K = largest label + 1): what the
     * particles' labels are drawn from, without gathering the target.
     */
    static long[] classCounts(Dataset<Row> df, String labelColumn, String path) {
        List<Row> counts = df.groupBy(labelColumn).count().collectAsList();
        int k = 0;
        for (Row r : counts) {
            if (!r.isNullAt(0)) {
                int label = ((Number) r.get(0)).intValue();
                if (label < 0) {
                    throw new IllegalArgumentException(path + ": labels must be integers >= 0, got " + label);
                }
                k = Math.max(k, label + 1);
            }
        }
        long[] c = new long[k];
        for (Row r : counts) {
            if (!r.isNullAt(0)) {
                c[((Number) r.get(0)).intValue()] += r.getLong(1);
            }
        }
        return c;
    }

    /** Particles from a file, hash-partitioned into the engine's partitions (so they zip with a co-partitioned target). */
    static Source source(SparkSession spark, DataSpec spec, int partitions) {
        Dataset<Row> df = SparkInputs.frame(spark, spec.path(), spec.read());
        SparkInputs.Layout layout = SparkInputs.layout(df, spec.path(), spec.read());
        return new Source(SparkInputs.blocks(SparkInputs.byHash(df, layout, partitions), layout, spec.path()), layout.dimension());
    }
}
