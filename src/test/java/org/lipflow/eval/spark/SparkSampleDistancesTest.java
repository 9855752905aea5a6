package org.lipflow.eval.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lipflow.engine.spark.SparkTestSession;
import org.lipflow.eval.SampleDistances;
import org.lipflow.flow.Block;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Sliced W1 from per-partition quantile sketches against the exact in-process value. */
@Tag("spark")
class SparkSampleDistancesTest {

    static Block gaussian(int rows, int d, double shift, long seed) {
        Random g = new Random(seed);
        float[] x = new float[rows * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (g.nextGaussian() * (1 + (i % d) * 0.2) + shift);
        }
        return new Block(rows, d, x, null, null);
    }

    static List<Block> parts(Block b, int p) {
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < p; i++) {
            int from = b.rows * i / p, to = b.rows * (i + 1) / p;
            out.add(new Block(to - from, b.dimension, java.util.Arrays.copyOfRange(b.x, from * b.dimension, to * b.dimension), null,
                    null));
        }
        return out;
    }

    @Test
    void slicedW1FromQuantileSketchesIsWithinAFewThousandthsOfTheExactValue() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSession.get("local[2]").sparkContext());
        Block x = gaussian(12_000, 6, 0, 1), y = gaussian(9_000, 6, 0.15, 2);
        double exact = SampleDistances.slicedW1(x, y, 7);
        // 4,000 and 3,000 rows per partition: more than the 2,000 atoms a sketch keeps
        JavaRDD<Block> rx = sc.parallelize(parts(x, 3), 3), ry = sc.parallelize(parts(y, 3), 3);
        double sketched = SparkSampleDistances.slicedW1(rx, x.rows, ry, y.rows, 6, 7, 0);
        double gathered = SparkSampleDistances.slicedW1(rx, x.rows, ry, y.rows, 6, 7, Long.MAX_VALUE);
        assertEquals(exact, gathered, 1e-9 * exact, "gathered projections: the exact value");
        // measured 0.10% apart (0.11542 vs 0.11530): 2,000 atoms per partition put each quantile within 1/2,000 in rank
        assertEquals(exact, sketched, 3e-3 * exact, "sketched: within 0.3%");
    }
}
