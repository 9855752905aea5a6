package org.lipflow.cli;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.lipflow.eval.SampleDistances;
import org.lipflow.eval.spark.SparkSampleDistances;
import org.lipflow.flow.Block;
import org.lipflow.io.ClassBalancedSubset;
import org.lipflow.io.ReadOptions;
import org.lipflow.io.SparkInputs;
import org.lipflow.io.Tables;
import org.lipflow.util.Rng;

/**
 * {@code eval --engine spark}: the inputs read by Spark (CSV or Parquet from any Hadoop URI, on the
 * executors; IDX files and per-class draws on the driver, then distributed) and the figures reduced
 * on the executors ({@link SparkSampleDistances}). Inputs above --max-rows are thinned on the
 * executors to about that many rows.
 */
final class SparkEval {
    private final SparkSession spark;
    private final JavaSparkContext sc;
    private final int partitions;
    private final long seed;
    private final long maxRows;

    SparkEval(SparkSession spark, int partitions, long seed, long maxRows) {
        this.spark = spark;
        this.sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.partitions = partitions > 0 ? partitions : sc.defaultParallelism();
        this.seed = seed;
        this.maxRows = maxRows;
    }

    /** An input's features (labels dropped), scaled on the executors, thinned to about --max-rows. */
    JavaRDD<Block> read(String path, ReadOptions o, int which) {
        JavaRDD<Block> blocks;
        if (o.formatOf(path).equals("idx") || o.perClass() > 0) {
            Block b = Tables.read(path, o).block();
            blocks = sc.parallelize(AutoencoderJob.split(b, partitions), partitions);
        } else {
            ReadOptions unscaled = new ReadOptions(o.format(), o.labelColumn(), o.features(), o.vectorColumn(), false)
                    .withIdColumn(o.idColumn(), false);
            double scale = o.scale();
            blocks = SparkInputs.open(spark, path, unscaled).blocks(partitions)
                    .map(b -> ClassBalancedSubset.scaled(new Block(b.rows, b.dimension, b.x, null, b.ids), scale));
        }
        long rows = SparkSampleDistances.rows(blocks);
        if (rows == 0) {
            throw new IllegalArgumentException(path + ": no data rows");
        }
        return SparkSampleDistances.thin(blocks, rows, maxRows, Rng.stream(seed, Rng.EVAL, 0, which));
    }

    SampleDistances.Figures compare(JavaRDD<Block> g, JavaRDD<Block> r) {
        return SparkSampleDistances.compare(sc, g, r, seed);
    }

    double medianNearestNeighbour(JavaRDD<Block> from, JavaRDD<Block> train) {
        return SparkSampleDistances.medianNearestNeighbour(sc, from, train, seed);
    }

    static long rows(JavaRDD<Block> b) {
        return SparkSampleDistances.rows(b);
    }

    static int dimension(JavaRDD<Block> b) {
        return b.map(x -> x.dimension).first();
    }
}
