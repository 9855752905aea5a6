package org.lipflow.ml;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.lipflow.flow.Block;
import org.lipflow.flow.FlowTrajectory;
import org.lipflow.io.Labels;
import org.lipflow.io.ReadOptions;
import org.lipflow.io.SparkInputs;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** DataFrames in and out of the ML API: which columns are features, blocks as rows, and the distributed transport. */
final class Frames {
    /** Rows a task gathers into one block before transporting it. */
    static final int BATCH = 4096;

    private Frames() {
    }

    /** Where the features and labels of a frame are. */
    record Columns(String vectorColumn, String[] featureColumns, String labelColumn) implements Serializable {
    }

    /** A stage's feature columns (its featuresCol and featureCols) and {@code labelCol} ("" = none) as read options. */
    static ReadOptions readOptions(LipflowParams<?> stage, String labelCol, StructType schema) {
        return readOptions(stage.getOrDefault(stage.featuresCol()), stage.getOrDefault(stage.featureCols()), labelCol, schema);
    }

    /**
     * The read options the params stand for: featureCols when given, else featuresCol when the
     * frame has it, else every numeric column but the label.
     */
    static ReadOptions readOptions(String featuresCol, String[] featureCols, String labelCol, StructType schema) {
        boolean hasVector = Arrays.asList(schema.fieldNames()).contains(featuresCol);
        String vector = featureCols.length == 0 && hasVector ? featuresCol : "";
        return new ReadOptions("parquet", labelCol, List.of(featureCols), vector, !labelCol.isEmpty());
    }

    /** The frame's feature and label columns, checked against its schema (the messages of lipflow's Parquet reader). */
    static Columns columns(Dataset<?> df, String name, ReadOptions o) {
        SparkInputs.Input in = SparkInputs.of(df.toDF(), name, o);
        return new Columns(o.vectorColumn().isEmpty() ? null : o.vectorColumn(),
                o.vectorColumn().isEmpty() ? in.columns() : null, in.labelColumn());
    }

    /** The schema of particles and samples: id, features (a vector), and label for a conditional flow. */
    /** {@code schema} with a vector column {@code out} appended: a model's transformSchema (outputCol must be new). */
    static StructType withVectorColumn(StructType schema, String out) {
        if (Arrays.asList(schema.fieldNames()).contains(out)) {
            throw new IllegalArgumentException("param outputCol given invalid value '" + out + "': the frame already has that column");
        }
        return schema.add(out, SQLDataTypes.VectorType(), false);
    }

    static StructType particleSchema(boolean labelled) {
        List<StructField> f = new ArrayList<>();
        f.add(DataTypes.createStructField("id", DataTypes.LongType, false));
        f.add(DataTypes.createStructField("features", SQLDataTypes.VectorType(), false));
        if (labelled) {
            f.add(DataTypes.createStructField("label", DataTypes.IntegerType, false));
        }
        return DataTypes.createStructType(f);
    }

    /** Blocks as a particle frame (rows made while Spark consumes them). */
    static Dataset<Row> particles(SparkSession spark, JavaRDD<Block> blocks, boolean labelled) {
        JavaRDD<Row> rows = blocks.flatMap(b -> rows(b, labelled));
        return spark.createDataFrame(rows, particleSchema(labelled));
    }

    private static Iterator<Row> rows(Block b, boolean labelled) {
        return new Iterator<>() {
            int r;

            @Override
            public boolean hasNext() {
                return r < b.rows;
            }

            @Override
            public Row next() {
                if (r >= b.rows) {
                    throw new NoSuchElementException();
                }
                double[] v = new double[b.dimension];
                for (int k = 0; k < v.length; k++) {
                    v[k] = b.x[r * b.dimension + k];
                }
                long id = b.ids == null ? r : b.ids[r];
                Row row = labelled ? RowFactory.create(id, Vectors.dense(v), b.labels[r]) : RowFactory.create(id, Vectors.dense(v));
                r++;
                return row;
            }
        };
    }

    /** What a stage does to a block of rows on an executor: transport, encode or decode. */
    interface RowsMap extends Serializable {
        /** Columns it reads. */
        int inputs();

        /** The rows mapped (may move them in place and return the same block). */
        Block apply(Block rows);
    }

    /**
     * The fitted flow as a rows map: standardised with the model's scaling (null: none, a model
     * saved without one), transported, mapped back to data units; all in place on the batch.
     */
    record FlowMap(FlowTrajectory trajectory, org.lipflow.data.FeatureScaling scaling) implements RowsMap {
        @Override
        public int inputs() {
            return trajectory.layout().inputs();
        }

        @Override
        public Block apply(Block rows) {
            if (scaling != null) {
                scaling.applyInPlace(rows);
            }
            trajectory.transport(rows);
            return scaling == null ? rows : scaling.invertInPlace(rows);
        }
    }

    /**
     * Maps the rows of each partition in blocks of {@link #BATCH} (transport, encode, decode) and
     * appends each mapped row as a vector column; every input column is kept.
     */
    static final class Transport implements FlatMapFunction<Iterator<Row>, Row> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<? extends RowsMap> trajectory;
        private final int vectorIndex;
        private final int[] featureIndex;
        private final String[] featureNames;
        private final int labelIndex;
        private final String labelName;

        Transport(Broadcast<? extends RowsMap> trajectory, StructType schema, Columns c, boolean conditional) {
            this.trajectory = trajectory;
            this.vectorIndex = c.vectorColumn() == null ? -1 : schema.fieldIndex(c.vectorColumn());
            this.featureNames = c.vectorColumn() == null ? c.featureColumns() : new String[]{c.vectorColumn()};
            this.featureIndex = c.vectorColumn() == null
                    ? Arrays.stream(c.featureColumns()).mapToInt(schema::fieldIndex).toArray() : null;
            if (conditional && c.labelColumn() == null) {
                throw new IllegalArgumentException("the flow is conditional: set labelCol to the frame's label column");
            }
            this.labelIndex = conditional ? schema.fieldIndex(c.labelColumn()) : -1;
            this.labelName = c.labelColumn();
        }

        @Override
        public Iterator<Row> call(Iterator<Row> in) {
            RowsMap t = trajectory.value();
            int d = t.inputs();
            return new Iterator<>() {
                final List<Row> batch = new ArrayList<>(BATCH);
                Block moved;
                int next;
                long seen;

                @Override
                public boolean hasNext() {
                    if (moved != null && next < batch.size()) {
                        return true;
                    }
                    if (!in.hasNext()) {
                        return false;
                    }
                    batch.clear();
                    while (in.hasNext() && batch.size() < BATCH) {
                        batch.add(in.next());
                    }
                    float[] x = new float[batch.size() * d];
                    int[] labels = labelIndex < 0 ? null : new int[batch.size()];
                    for (int r = 0; r < batch.size(); r++) {
                        read(batch.get(r), x, r, d, seen + r + 1);
                        if (labels != null) {
                            Row row = batch.get(r);
                            if (row.isNullAt(labelIndex) || !label(((Number) row.get(labelIndex)).doubleValue())) {
                                throw new IllegalArgumentException("row " + (seen + r + 1) + " of the partition, column " + labelName
                                        + ": " + (row.isNullAt(labelIndex) ? "missing value" : "not a class label: " + row.get(labelIndex)));
                            }
                            labels[r] = ((Number) row.get(labelIndex)).intValue();
                        }
                    }
                    seen += batch.size();
                    moved = t.apply(new Block(batch.size(), d, x, labels, null));
                    next = 0;
                    return true;
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    Row row = batch.get(next);
                    int e = moved.dimension;
                    double[] v = new double[e];
                    for (int k = 0; k < e; k++) {
                        v[k] = moved.x[next * e + k];
                    }
                    next++;
                    Object[] values = new Object[row.size() + 1];
                    for (int i = 0; i < row.size(); i++) {
                        values[i] = row.get(i);
                    }
                    values[row.size()] = Vectors.dense(v);
                    return RowFactory.create(values);
                }
            };
        }

        private void read(Row row, float[] x, int r, int d, long rowNumber) {
            if (vectorIndex >= 0) {
                Vector v = row.isNullAt(vectorIndex) ? null : (Vector) row.get(vectorIndex);
                if (v == null || v.size() != d) {
                    throw new IllegalArgumentException("row " + rowNumber + " of the partition, column " + featureNames[0] + ": "
                            + (v == null ? "missing value" : "a vector of size " + v.size() + ", the flow was fitted on " + d));
                }
                for (int k = 0; k < d; k++) {
                    x[r * d + k] = finite(v.apply(k), featureNames[0], rowNumber);
                }
                return;
            }
            for (int k = 0; k < d; k++) {
                if (row.isNullAt(featureIndex[k])) {
                    throw new IllegalArgumentException("row " + rowNumber + " of the partition, column " + featureNames[k]
                            + ": missing value");
                }
                x[r * d + k] = finite(((Number) row.get(featureIndex[k])).doubleValue(), featureNames[k], rowNumber);
            }
        }

        private static boolean label(double v) {
            return v == Math.rint(v) && v >= 0 && v < Labels.MAX_CLASSES;
        }

        private static float finite(double v, String column, long row) {
            float f = (float) v;
            if (!Float.isFinite(f)) {
                throw new IllegalArgumentException("row " + row + " of the partition, column " + column + ": non-finite value " + v);
            }
            return f;
        }
    }
}
