package org.lipflow.io;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.lipflow.flow.Block;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Writes a distributed particle RDD as Parquet or CSV part files, by Spark, from the executors. */
public final class SparkTables {
    private SparkTables() {
    }

    public static void write(SparkSession spark, JavaRDD<Block> blocks, String[] columns, String labelColumn,
                             String format, String path) {
        write(spark, blocks, columns, labelColumn, format, path, null, null);
    }

    /**
     * Writes the particles with an id column first: the text of each particle's id comes from the
     * side column {@code ids}, partitioned like {@code blocks} (zipped partition by partition, matched
     * by particle id; a particle without an id text is an internal error, never a wrong join).
     *
     * @param idColumn the id column's name, or null for none
     * @param ids      the side column (one or more {@link RowIds} per partition), or null
     */
    public static void write(SparkSession spark, JavaRDD<Block> blocks, String[] columns, String labelColumn,
                             String format, String path, String idColumn, JavaRDD<RowIds> ids) {
        List<StructField> fields = new ArrayList<>();
        if (idColumn != null) {
            fields.add(DataTypes.createStructField(idColumn, DataTypes.StringType, true));
        }
        for (String c : columns) {
            fields.add(DataTypes.createStructField(c, DataTypes.FloatType, false));
        }
        if (labelColumn != null) {
            fields.add(DataTypes.createStructField(labelColumn, DataTypes.IntegerType, false));
        }
        StructType schema = DataTypes.createStructType(fields);
        boolean labels = labelColumn != null;
        // rows exist only while the writer consumes them, one partition at a time
        JavaRDD<Row> rows = idColumn == null ? blocks.flatMap(b -> rowIterator(b, labels, null))
                : blocks.zipPartitions(ids, (bs, is) -> keyedRows(bs, is, labels));
        var writer = spark.createDataFrame(rows, schema).write().mode(SaveMode.ErrorIfExists);
        if (format.equals("csv")) {
            writer.option("header", "true").csv(path);
        } else {
            writer.parquet(path);
        }
    }

    /**
     * A partition's rows with their id texts, looked up by particle id (positionally when the ids
     * line up); rows are made one at a time as the writer consumes them.
     */
    private static Iterator<Row> keyedRows(Iterator<Block> blocks, Iterator<RowIds> ids, boolean labels) {
        List<RowIds> side = new ArrayList<>();
        ids.forEachRemaining(side::add);
        return new Iterator<>() {
            java.util.Map<Long, String> byId;
            Iterator<Row> current = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && blocks.hasNext()) {
                    Block b = blocks.next();
                    current = rowIterator(b, labels, texts(b));
                }
                return current.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return current.next();
            }

            private String[] texts(Block b) {
                if (side.size() == 1 && java.util.Arrays.equals(side.get(0).ids(), b.ids)) {
                    return side.get(0).values();
                }
                if (byId == null) {
                    byId = new java.util.HashMap<>();
                    for (RowIds r : side) {
                        for (int i = 0; i < r.ids().length; i++) {
                            byId.put(r.ids()[i], r.values()[i]);
                        }
                    }
                }
                String[] text = new String[b.rows];
                for (int i = 0; i < b.rows; i++) {
                    if (b.ids == null || !byId.containsKey(b.ids[i])) {
                        throw new IllegalStateException("particle " + (b.ids == null ? "row " + i : "id " + b.ids[i])
                                + " has no source id: particles and the source's id column are not partitioned alike");
                    }
                    text[i] = byId.get(b.ids[i]);
                }
                return text;
            }
        };
    }

    private static Iterator<Row> rowIterator(Block b, boolean labels, String[] ids) {
        return new Iterator<>() {
            int r;

            @Override
            public boolean hasNext() {
                return r < b.rows;
            }

            @Override
            public Row next() {
                int first = ids == null ? 0 : 1;
                Object[] v = new Object[first + b.dimension + (labels ? 1 : 0)];
                if (ids != null) {
                    v[0] = ids[r];
                }
                for (int k = 0; k < b.dimension; k++) {
                    v[first + k] = b.x[r * b.dimension + k];
                }
                if (labels) {
                    v[first + b.dimension] = b.labels[r];
                }
                r++;
                return RowFactory.create(v);
            }
        };
    }
}
