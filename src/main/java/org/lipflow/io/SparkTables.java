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
        List<StructField> fields = new ArrayList<>();
        for (String c : columns) {
            fields.add(DataTypes.createStructField(c, DataTypes.FloatType, false));
        }
        if (labelColumn != null) {
            fields.add(DataTypes.createStructField(labelColumn, DataTypes.IntegerType, false));
        }
        StructType schema = DataTypes.createStructType(fields);
        boolean labels = labelColumn != null;
        // rows exist only while the writer consumes them, one partition at a time
        JavaRDD<Row> rows = blocks.flatMap(b -> rowIterator(b, labels));
        var writer = spark.createDataFrame(rows, schema).write().mode(SaveMode.ErrorIfExists);
        if (format.equals("csv")) {
            writer.option("header", "true").csv(path);
        } else {
            writer.parquet(path);
        }
    }

    private static Iterator<Row> rowIterator(Block b, boolean labels) {
        return new Iterator<>() {
            int r;

            @Override
            public boolean hasNext() {
                return r < b.rows;
            }

            @Override
            public Row next() {
                Object[] v = new Object[b.dimension + (labels ? 1 : 0)];
                for (int k = 0; k < b.dimension; k++) {
                    v[k] = b.x[r * b.dimension + k];
                }
                if (labels) {
                    v[b.dimension] = b.labels[r];
                }
                r++;
                return RowFactory.create(v);
            }
        };
    }
}
