package org.lipflow.cli;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.lipflow.config.DataSpec;
import org.lipflow.engine.spark.SparkSettings;
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

    /** The target, checked against the broadcast limit before it is gathered on the driver. */
    static Table target(SparkSession spark, DataSpec spec, SparkSettings settings) {
        Dataset<Row> df = SparkInputs.frame(spark, spec.path(), spec.read());
        SparkInputs.Layout layout = SparkInputs.layout(df, spec.path(), spec.read(), spec.read().vectorColumn());
        long rows = df.count();
        if (rows == 0) {
            throw new IllegalArgumentException(spec.path() + ": no data rows");
        }
        long bytes = rows * layout.dimension() * 4L;
        if (bytes > settings.broadcastLimitBytes()) {
            throw new IllegalArgumentException(String.format("target %s of %.1f MB exceeds engine.broadcast-limit-mb = %d "
                    + "(targets are broadcast to every executor)", spec.path(), bytes / 1e6, settings.broadcastLimitBytes() >> 20));
        }
        List<Block> parts = SparkInputs.blocks(df, layout, spec.path()).collect();
        Block b = org.lipflow.engine.spark.SparkEngine.concat(parts);
        String[] columns = layout.featureColumns();
        if (columns == null) {
            columns = new String[layout.dimension()];
            for (int k = 0; k < columns.length; k++) {
                columns[k] = "x" + (k + 1);
            }
        }
        return new Table(columns, new Block(b.rows, b.dimension, b.x, b.labels, null), b.labels == null ? null : layout.labelColumn());
    }

    static Source source(SparkSession spark, DataSpec spec) {
        Dataset<Row> df = SparkInputs.frame(spark, spec.path(), spec.read());
        SparkInputs.Layout layout = SparkInputs.layout(df, spec.path(), spec.read(), spec.read().vectorColumn());
        return new Source(SparkInputs.blocks(df, layout, spec.path()), layout.dimension());
    }
}
