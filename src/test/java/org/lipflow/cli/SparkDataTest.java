package org.lipflow.cli;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lipflow.engine.spark.SparkTestSession;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Class counts of a distributed target, counted by Spark without gathering the rows. */
@Tag("spark")
class SparkDataTest {

    static Dataset<Row> labels(int... values) {
        SparkSession spark = SparkTestSession.get("local[2]");
        StructType schema = new StructType().add("x1", DataTypes.DoubleType).add("label", DataTypes.IntegerType);
        List<Row> rows = new ArrayList<>();
        for (int v : values) {
            rows.add(RowFactory.create(0.5, v));
        }
        return spark.createDataFrame(rows, schema).repartition(3);
    }

    @Test
    void classCountsAreRowsPerLabelUpToTheLargestLabel() {
        assertArrayEquals(new long[]{2, 0, 3}, SparkData.classCounts(labels(2, 0, 2, 0, 2), "label", "t.parquet"));
    }

    @Test
    void aNegativeLabelIsAOneLineErrorNamingTheFile() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkData.classCounts(labels(1, -1), "label", "t.parquet"));
        assertEquals("t.parquet: labels must be integers >= 0, got -1", e.getMessage());
    }
}
