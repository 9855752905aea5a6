package org.lipflow.io;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.lipflow.flow.Block;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Reads a data set with Spark from any Hadoop URI (Parquet or CSV) into particle blocks on the
 * executors: features are either one Spark ML vector column or numeric columns; an integer label
 * column is used when present. Each partition becomes one block; ids are (partition &lt;&lt; 40) +
 * row, unique and stable for a given input.
 */
public final class SparkInputs {
    private SparkInputs() {
    }

    /** The columns a data set contributes, resolved against its schema on the driver. */
    public record Layout(String[] featureColumns, String vectorColumn, String labelColumn, int dimension)
            implements Serializable {
    }

    public static Dataset<Row> frame(SparkSession spark, String path, ReadOptions o) {
        try {
            return o.formatOf(path).equals("parquet") ? spark.read().parquet(path)
                    : spark.read().option("header", "true").option("inferSchema", "true").csv(path);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(path + ": cannot read (" + firstLine(e.getMessage()) + ")");
        }
    }

    /** Resolves feature and label columns; a vector column's size is read from its first row. */
    public static Layout layout(Dataset<Row> df, String path, ReadOptions o) {
        String vectorColumn = o.vectorColumn();
        StructType schema = df.schema();
        List<String> names = Arrays.asList(schema.fieldNames());
        String label = o.labelColumn() != null && names.contains(o.labelColumn()) ? o.labelColumn() : null;
        if (label != null && !(schema.apply(label).dataType() instanceof NumericType)) {
            throw new IllegalArgumentException(path + ": label column '" + label + "' is not numeric");
        }
        if (!vectorColumn.isEmpty()) {
            if (!names.contains(vectorColumn)) {
                throw new IllegalArgumentException(path + ": features column '" + vectorColumn + "' not found; columns are " + names);
            }
            DataType t = schema.apply(vectorColumn).dataType();
            if (!t.typeName().equals("vector")) {
                throw new IllegalArgumentException(path + ": features column '" + vectorColumn + "' has type " + t.simpleString()
                        + ", expected a Spark ML vector");
            }
            Row first = df.select(vectorColumn).first();
            int d = ((Vector) first.get(0)).size();
            return new Layout(null, vectorColumn, label, d);
        }
        List<String> features = new ArrayList<>();
        for (StructField f : schema.fields()) {
            if (f.name().equals(label) || (!o.features().isEmpty() && !o.features().contains(f.name()))) {
                continue;
            }
            if (!(f.dataType() instanceof NumericType)) {
                throw new IllegalArgumentException(path + ": column '" + f.name() + "' has type " + f.dataType().simpleString()
                        + ", expected a number (or set features-column for a vector column)");
            }
            features.add(f.name());
        }
        for (String f : o.features()) {
            if (!names.contains(f)) {
                throw new IllegalArgumentException(path + ": feature column '" + f + "' not found; columns are " + names);
            }
        }
        if (features.isEmpty()) {
            throw new IllegalArgumentException(path + ": no feature columns");
        }
        return new Layout(features.toArray(String[]::new), null, label, features.size());
    }

    /**
     * The rows in exactly {@code partitions} partitions, by a hash of their feature columns:
     * deterministic (a recomputed partition holds the same rows), unlike a round-robin repartition.
     */
    public static Dataset<Row> byHash(Dataset<Row> df, Layout layout, int partitions) {
        String[] cols = layout.vectorColumn() != null ? new String[]{layout.vectorColumn()} : layout.featureColumns();
        org.apache.spark.sql.Column[] by = Arrays.stream(cols).map(c -> df.col("`" + c + "`")).toArray(org.apache.spark.sql.Column[]::new);
        return df.repartition(partitions, by);
    }

    /** One block per partition, built on the executors. */
    public static JavaRDD<Block> blocks(Dataset<Row> df, Layout layout, String path) {
        List<String> cols = new ArrayList<>();
        if (layout.vectorColumn() != null) {
            cols.add(layout.vectorColumn());
        } else {
            cols.addAll(Arrays.asList(layout.featureColumns()));
        }
        if (layout.labelColumn() != null) {
            cols.add(layout.labelColumn());
        }
        Dataset<Row> selected = df.selectExpr(cols.stream().map(c -> "`" + c + "`").toArray(String[]::new));
        return selected.javaRDD().mapPartitionsWithIndex(new ToBlock(layout, path), true);
    }

    /** Rows of a partition into one dense block, validating every value. */
    private static final class ToBlock implements org.apache.spark.api.java.function.Function2<Integer, Iterator<Row>, Iterator<Block>> {
        private static final long serialVersionUID = 1L;
        private final Layout layout;
        private final String path;

        ToBlock(Layout layout, String path) {
            this.layout = layout;
            this.path = path;
        }

        @Override
        public Iterator<Block> call(Integer partition, Iterator<Row> rows) {
            int d = layout.dimension();
            boolean vector = layout.vectorColumn() != null;
            int labelIndex = vector ? 1 : d;
            float[] x = new float[1024 * d];
            int[] labels = layout.labelColumn() != null ? new int[1024] : null;
            int n = 0;
            while (rows.hasNext()) {
                Row r = rows.next();
                if ((n + 1) * d > x.length) {
                    x = Arrays.copyOf(x, x.length * 2);
                    labels = labels == null ? null : Arrays.copyOf(labels, labels.length * 2);
                }
                if (vector) {
                    Vector v = (Vector) r.get(0);
                    if (v == null || v.size() != d) {
                        throw new IllegalArgumentException(path + ": features column '" + layout.vectorColumn()
                                + "' has vectors of size " + (v == null ? "null" : v.size()) + " and " + d
                                + " (partition " + partition + ", row " + (n + 1) + ")");
                    }
                    for (int k = 0; k < d; k++) {
                        x[n * d + k] = checked(v.apply(k), layout.vectorColumn(), partition, n);
                    }
                } else {
                    for (int k = 0; k < d; k++) {
                        if (r.isNullAt(k)) {
                            throw new IllegalArgumentException(path + ": column " + layout.featureColumns()[k] + " is empty (partition "
                                    + partition + ", row " + (n + 1) + ")");
                        }
                        x[n * d + k] = checked(((Number) r.get(k)).doubleValue(), layout.featureColumns()[k], partition, n);
                    }
                }
                if (labels != null) {
                    double l = r.isNullAt(labelIndex) ? -1 : ((Number) r.get(labelIndex)).doubleValue();
                    if (l < 0 || l != Math.rint(l)) {
                        throw new IllegalArgumentException(path + ": column " + layout.labelColumn()
                                + ": labels must be integers >= 0, got " + l + " (partition " + partition + ", row " + (n + 1) + ")");
                    }
                    labels[n] = (int) l;
                }
                n++;
            }
            long[] ids = new long[n];
            for (int i = 0; i < n; i++) {
                ids[i] = ((long) partition << 40) + i;
            }
            Block b = new Block(n, d, Arrays.copyOf(x, n * d), labels == null ? null : Arrays.copyOf(labels, n), ids);
            return List.of(b).iterator();
        }

        private float checked(double v, String column, int partition, int row) {
            float f = (float) v;
            if (!Float.isFinite(f)) {
                throw new IllegalArgumentException(path + ": column " + column + ": non-finite value " + v + " (partition "
                        + partition + ", row " + (row + 1) + ")");
            }
            return f;
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
