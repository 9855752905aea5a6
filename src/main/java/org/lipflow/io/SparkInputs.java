package org.lipflow.io;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.lipflow.flow.Block;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Reads a data set with Spark from any Hadoop URI into particle blocks on the executors, one
 * block per partition; ids are (partition &lt;&lt; 40) + row, unique and stable for a given input.
 * CSV (a file or a directory of part files) is read as text and parsed by lipflow's own
 * {@link CsvFormat}, so it follows the rules and messages of the in-process reader; Parquet by
 * Spark, with numeric columns or one Spark ML vector column as features. An integer label column
 * is used when present.
 */
public final class SparkInputs {
    private SparkInputs() {
    }

    /** A data set's columns, resolved on the driver, and its rows as blocks built on the executors. */
    public abstract static class Input {
        /** Feature column names (x1..xd for a vector column). */
        public abstract String[] columns();

        /** The label column, or null. */
        public abstract String labelColumn();

        /** The id column (ReadOptions.idColumn, when the data set has it), or null. */
        public abstract String idColumn();

        public int dimension() {
            return columns().length;
        }

        /** One block per partition of the input as stored. */
        public abstract JavaRDD<Block> blocks();

        /**
         * The rows in exactly {@code partitions} blocks, placed by a hash of their content and sorted
         * by it within each partition: deterministic (a recomputed partition holds the same rows in
         * the same order, so the same ids and minibatches), unlike a round-robin repartition. The sort
         * matters: a shuffle delivers the map outputs in whatever order they arrive, and a partition
         * recomputed after an executor loss would otherwise hold its rows in another order.
         */
        public abstract JavaRDD<Block> blocks(int partitions);

        /** The number of rows; CSV rows are parsed and validated on the way. */
        public abstract long rows();

        /**
         * As {@link #blocks(int)}, each block with its rows' id texts (null without an id column),
         * built in the same pass so that ids and rows cannot come apart.
         */
        public abstract JavaRDD<scala.Tuple2<Block, String[]>> keyedBlocks(int partitions);
    }

    /** Opens {@code path} (format from the options or its extension) and resolves its columns. */
    public static Input open(SparkSession spark, String path, ReadOptions o) {
        return o.formatOf(path).equals("parquet") ? new ParquetInput(spark, path, o) : new CsvInput(spark, path, o);
    }

    /**
     * A DataFrame's rows as an input, with the columns a Parquet file would give (numeric feature
     * columns or one vector column, an optional label); {@code name} names it in error messages.
     */
    public static Input of(Dataset<Row> df, String name, ReadOptions o) {
        return new ParquetInput(name, df, o);
    }

    /** Fails on the executors, naming file, partition, row and label, for a label outside [0, classes). */
    public static JavaRDD<Block> requireLabelsWithin(JavaRDD<Block> blocks, int classes, String file) {
        return blocks.mapPartitionsWithIndex(new LabelsWithin(classes, file), true);
    }

    private static final class CsvInput extends Input {
        private final String path;
        private final CsvFormat format;
        private final Dataset<String> lines;

        CsvInput(SparkSession spark, String path, ReadOptions o) {
            this.path = path;
            if (!o.vectorColumn().isEmpty()) {
                throw new IllegalArgumentException(path + ": features-column '" + o.vectorColumn()
                        + "' (a Spark ML vector column) needs a Parquet input; CSV has numeric columns (features)");
            }
            String[] first;
            try {
                first = CsvTables.firstLine(FileSystems.parts(path, spark.sparkContext().hadoopConfiguration()),
                        spark.sparkContext().hadoopConfiguration());
            } catch (IOException e) {
                throw new IllegalArgumentException(path + ": cannot read (" + firstLine(e.getMessage()) + ")");
            }
            CsvFormat header = new CsvFormat(first == null ? path : first[0], first == null ? null : first[1], o);
            this.format = header.named(path);
            try {
                this.lines = spark.read().textFile(path);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(path + ": cannot read (" + firstLine(e.getMessage()) + ")");
            }
        }

        @Override
        public String[] columns() {
            return format.featureNames();
        }

        @Override
        public String labelColumn() {
            return format.labelColumn();
        }

        @Override
        public String idColumn() {
            return format.idColumn();
        }

        @Override
        public JavaRDD<Block> blocks() {
            return lines.javaRDD().mapPartitionsWithIndex(new CsvToBlock(format), true).map(scala.Tuple2::_1);
        }

        @Override
        public JavaRDD<Block> blocks(int partitions) {
            return keyedBlocks(partitions).map(scala.Tuple2::_1);
        }

        @Override
        public JavaRDD<scala.Tuple2<Block, String[]>> keyedBlocks(int partitions) {
            return lines.repartition(partitions, lines.col("value")).sortWithinPartitions(lines.col("value")).javaRDD()
                   .mapPartitionsWithIndex(new CsvToBlock(format), true);
        }

        @Override
        public long rows() {
            long rows = blocks().map(b -> (long) b.rows).fold(0L, Long::sum);
            if (rows == 0) {
                throw new IllegalArgumentException(path + ": no data rows");
            }
            return rows;
        }
    }

    /** Lines of a partition into one block; header copies and blank lines are skipped. */
    private static final class CsvToBlock implements Function2<Integer, Iterator<String>, Iterator<scala.Tuple2<Block, String[]>>> {
        private static final long serialVersionUID = 1L;
        private final CsvFormat format;

        CsvToBlock(CsvFormat format) {
            this.format = format;
        }

        @Override
        public Iterator<scala.Tuple2<Block, String[]>> call(Integer partition, Iterator<String> lines) {
            BlockBuffer rows = new BlockBuffer(format.dimension(), format.labelColumn() != null, format.idColumn() != null);
            long[] line = {0};
            CsvFormat.Position at = () -> "partition " + partition + ", line " + line[0];
            while (lines.hasNext()) {
                line[0]++;
                String cleaned = CsvFormat.clean(lines.next());
                if (!format.skip(cleaned)) {
                    format.parse(cleaned, rows, at);
                }
            }
            return List.of(new scala.Tuple2<>(rows.build(ids(partition, rows.rows)), rows.keys())).iterator();
        }
    }

    private static final class ParquetInput extends Input {
        private final String path;
        private final Dataset<Row> df;
        private final Layout layout;

        ParquetInput(SparkSession spark, String path, ReadOptions o) {
            this.path = path;
            Dataset<Row> read;
            try {
                read = spark.read().parquet(path);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(path + ": cannot read (" + firstLine(e.getMessage()) + ")");
            }
            String[] names = read.schema().fieldNames();
            String[] clean = Arrays.stream(names).map(ColumnSelection::name).toArray(String[]::new);
            this.df = Arrays.equals(names, clean) ? read : read.toDF(clean);
            this.layout = layout(df, path, o);
        }

        /** A DataFrame the caller already has; {@code name} stands for the file in messages. */
        ParquetInput(String name, Dataset<Row> df, ReadOptions o) {
            this.path = name;
            this.df = df;
            this.layout = layout(df, name, o);
        }

        @Override
        public String[] columns() {
            if (layout.featureColumns() != null) {
                return layout.featureColumns();
            }
            String[] columns = new String[layout.dimension()];
            for (int k = 0; k < columns.length; k++) {
                columns[k] = "x" + (k + 1);
            }
            return columns;
        }

        @Override
        public String labelColumn() {
            return layout.labelColumn();
        }

        @Override
        public String idColumn() {
            return layout.idColumn();
        }

        @Override
        public JavaRDD<Block> blocks() {
            return toBlocks(df).map(scala.Tuple2::_1);
        }

        @Override
        public JavaRDD<Block> blocks(int partitions) {
            return keyedBlocks(partitions).map(scala.Tuple2::_1);
        }

        @Override
        public JavaRDD<scala.Tuple2<Block, String[]>> keyedBlocks(int partitions) {
            String[] cols = layout.vectorColumn() != null ? new String[]{layout.vectorColumn()} : layout.featureColumns();
            org.apache.spark.sql.Column[] by = Arrays.stream(cols).map(c -> df.col("`" + c + "`"))
                    .toArray(org.apache.spark.sql.Column[]::new);
            // sorted by every selected column (label and id included), so equal keys cannot swap rows either
            List<org.apache.spark.sql.Column> all = new ArrayList<>(Arrays.asList(by));
            if (layout.labelColumn() != null) {
                all.add(df.col("`" + layout.labelColumn() + "`"));
            }
            if (layout.idColumn() != null) { // equal rows with different ids keep their ids
                all.add(df.col("`" + layout.idColumn() + "`"));
            }
            return toBlocks(df.repartition(partitions, by).sortWithinPartitions(all.toArray(org.apache.spark.sql.Column[]::new)));
        }

        @Override
        public long rows() {
            long rows = df.count();
            if (rows == 0) {
                throw new IllegalArgumentException(path + ": no data rows");
            }
            return rows;
        }

        private JavaRDD<scala.Tuple2<Block, String[]>> toBlocks(Dataset<Row> rows) {
            List<String> cols = new ArrayList<>();
            if (layout.vectorColumn() != null) {
                cols.add(layout.vectorColumn());
            } else {
                cols.addAll(Arrays.asList(layout.featureColumns()));
            }
            if (layout.labelColumn() != null) {
                cols.add(layout.labelColumn());
            }
            if (layout.idColumn() != null) {
                cols.add(layout.idColumn());
            }
            Dataset<Row> selected = rows.selectExpr(cols.stream().map(c -> "`" + c + "`").toArray(String[]::new));
            return selected.javaRDD().mapPartitionsWithIndex(new RowsToBlock(layout, path), true);
        }
    }

    /** The columns a Parquet data set contributes, resolved against its schema on the driver. */
    record Layout(String[] featureColumns, String vectorColumn, String labelColumn, int dimension, String idColumn)
            implements Serializable {
    }

    /** Resolves feature and label columns; a vector column's size is read from its first row. */
    static Layout layout(Dataset<Row> df, String path, ReadOptions o) {
        String vectorColumn = o.vectorColumn();
        StructType schema = df.schema();
        List<String> names = Arrays.asList(schema.fieldNames());
        String wanted = o.labelColumn() == null || o.labelColumn().isEmpty() ? null : o.labelColumn();
        String label = wanted != null && names.contains(wanted) ? wanted : null;
        if (wanted != null && label == null && o.labelRequired()) {
            throw new IllegalArgumentException(path + ": label column '" + wanted + "' (label-column) not found; columns are " + names);
        }
        if (label != null && !(schema.apply(label).dataType() instanceof NumericType)) {
            throw new IllegalArgumentException(path + ": label column '" + label + "' is not numeric");
        }
        String id = !o.idColumn().isEmpty() && names.contains(o.idColumn()) ? o.idColumn() : null;
        if (!o.idColumn().isEmpty() && id == null && o.idRequired()) {
            throw new IllegalArgumentException(path + ": id column '" + o.idColumn() + "' (id-column) not found; columns are " + names);
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
            List<Row> first = df.select(vectorColumn).takeAsList(1);
            if (first.isEmpty() || first.get(0).isNullAt(0)) {
                throw new IllegalArgumentException(path + (first.isEmpty() ? ": no data rows"
                        : " row 1, column " + vectorColumn + ": missing value"));
            }
            return new Layout(null, vectorColumn, label, ((Vector) first.get(0).get(0)).size(), id);
        }
        List<String> features = new ArrayList<>();
        for (StructField f : schema.fields()) {
            if (f.name().equals(label) || f.name().equals(id) || (!o.features().isEmpty() && !o.features().contains(f.name()))) {
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
        return new Layout(features.toArray(String[]::new), null, label, features.size(), id);
    }

    /** Rows of a partition into one dense block, validating every value. */
    private static final class RowsToBlock implements Function2<Integer, Iterator<Row>, Iterator<scala.Tuple2<Block, String[]>>> {
        private static final long serialVersionUID = 1L;
        private final Layout layout;
        private final String path;

        RowsToBlock(Layout layout, String path) {
            this.layout = layout;
            this.path = path;
        }

        @Override
        public Iterator<scala.Tuple2<Block, String[]>> call(Integer partition, Iterator<Row> it) {
            int d = layout.dimension();
            boolean vector = layout.vectorColumn() != null;
            int labelIndex = vector ? 1 : d;
            int idIndex = labelIndex + (layout.labelColumn() != null ? 1 : 0);
            BlockBuffer rows = new BlockBuffer(d, layout.labelColumn() != null, layout.idColumn() != null);
            while (it.hasNext()) {
                Row r = it.next();
                rows.add();
                int n = rows.rows - 1;
                if (vector) {
                    Vector v = r.isNullAt(0) ? null : (Vector) r.get(0);
                    if (v == null) {
                        throw error(partition, n, layout.vectorColumn(), "missing value");
                    }
                    if (v.size() != d) {
                        throw new IllegalArgumentException(path + " " + where(partition, n) + ": features column '"
                                + layout.vectorColumn() + "' has vectors of size " + v.size() + " and " + d);
                    }
                    for (int k = 0; k < d; k++) {
                        rows.x[n * d + k] = checked(v.apply(k), layout.vectorColumn(), partition, n);
                    }
                } else {
                    for (int k = 0; k < d; k++) {
                        if (r.isNullAt(k)) {
                            throw error(partition, n, layout.featureColumns()[k], "missing value");
                        }
                        rows.x[n * d + k] = checked(((Number) r.get(k)).doubleValue(), layout.featureColumns()[k], partition, n);
                    }
                }
                if (rows.labels != null) {
                    if (r.isNullAt(labelIndex)) {
                        throw error(partition, n, layout.labelColumn(), "missing value");
                    }
                    double l = ((Number) r.get(labelIndex)).doubleValue();
                    if (!Labels.valid(l)) {
                        throw error(partition, n, layout.labelColumn(), Labels.rule(Double.toString(l)));
                    }
                    rows.labels[n] = (int) l;
                }
                if (rows.keys != null) {
                    rows.keys[n] = r.isNullAt(idIndex) ? null : String.valueOf(r.get(idIndex));
                }
            }
            return List.of(new scala.Tuple2<>(rows.build(ids(partition, rows.rows)), rows.keys())).iterator();
        }

        private float checked(double v, String column, int partition, int row) {
            float f = (float) v;
            if (!Float.isFinite(f)) {
                throw error(partition, row, column, "non-finite value " + v);
            }
            return f;
        }

        /** The in-process Parquet reader's message, with the partition before the row. */
        private IllegalArgumentException error(int partition, int row, String column, String what) {
            return new IllegalArgumentException(path + " " + where(partition, row) + ", column " + column + ": " + what);
        }

        private static String where(int partition, int row) {
            return "partition " + partition + ", row " + (row + 1);
        }
    }

    private static final class LabelsWithin implements Function2<Integer, Iterator<Block>, Iterator<Block>> {
        private static final long serialVersionUID = 1L;
        private final int classes;
        private final String file;

        LabelsWithin(int classes, String file) {
            this.classes = classes;
            this.file = file;
        }

        @Override
        public Iterator<Block> call(Integer partition, Iterator<Block> blocks) {
            List<Block> out = new ArrayList<>();
            int row = 0;
            while (blocks.hasNext()) {
                Block b = blocks.next();
                int r = Labels.firstOutside(b, classes);
                if (r >= 0) {
                    throw new IllegalArgumentException(Labels.outsideTarget(file, "partition " + partition + ", row " + (row + r + 1),
                            b.labels[r], classes));
                }
                row += b.rows;
                out.add(b);
            }
            return out.iterator();
        }
    }

    private static long[] ids(int partition, int rows) {
        long[] ids = new long[rows];
        for (int i = 0; i < rows; i++) {
            ids[i] = ((long) partition << 40) + i;
        }
        return ids;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
