package org.lipflow.io;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.lipflow.flow.Block;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.List;

/** The id side column of a distributed source ({@link RowIds} per partition): built, checked. */
public final class SparkIds {
    private SparkIds() {
    }

    /** The side column of blocks read with their ids ({@link SparkInputs.Input#keyedBlocks}). */
    public static JavaRDD<RowIds> of(JavaRDD<Tuple2<Block, String[]>> keyed) {
        return keyed.map(t -> new RowIds(t._1().ids, t._2()));
    }

    /**
     * The side column of a table read on the driver and cut into {@code parts} contiguous slices
     * whose particle ids are (slice &lt;&lt; 40) + row, as {@code SparkData} cuts the source.
     */
    public static JavaRDD<RowIds> slices(JavaSparkContext sc, IdColumn ids, int parts) {
        int n = ids.values().length;
        List<RowIds> out = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            int from = (int) ((long) n * p / parts), to = (int) ((long) n * (p + 1) / parts);
            long[] id = new long[to - from];
            for (int i = 0; i < id.length; i++) {
                id[i] = ((long) p << 40) + i;
            }
            out.add(new RowIds(id, ids.slice(from, to).values()));
        }
        return sc.parallelize(out, parts);
    }

    /**
     * Every row has an id and no two share one (an explicitly configured id column): two small
     * jobs; the one-line error names the file, the column and the id.
     */
    public static void requireUnique(JavaRDD<RowIds> ids, String file, String column) {
        JavaRDD<String> values = ids.flatMap(r -> java.util.Arrays.asList(r.values()).iterator());
        if (!values.filter(v -> v == null || v.isEmpty()).take(1).isEmpty()) {
            throw new IllegalArgumentException(file + ", column " + column + ": missing id in some row (id-column)");
        }
        List<Tuple2<String, Long>> dup = values.mapToPair(v -> new Tuple2<>(v, 1L)).reduceByKey(Long::sum)
                .filter(t -> t._2() > 1).take(1);
        if (!dup.isEmpty()) {
            throw new IllegalArgumentException(file + ", column " + column + ": duplicate id '" + dup.get(0)._1() + "' ("
                    + dup.get(0)._2() + " rows; id-column: ids must be unique to join results back)");
        }
    }
}
