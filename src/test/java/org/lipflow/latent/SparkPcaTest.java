package org.lipflow.latent;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lipflow.engine.spark.SparkTestSession;
import org.lipflow.flow.Block;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PCA on Spark: the aggregated moments' merge algebra, and the fit against the in-process one. */
class SparkPcaTest {

    static List<Block> split(Block b, int parts) {
        List<Block> out = new ArrayList<>();
        int d = b.dimension;
        for (int p = 0; p < parts; p++) {
            int from = b.rows * p / parts, to = b.rows * (p + 1) / parts;
            out.add(new Block(to - from, d, Arrays.copyOfRange(b.x, from * d, to * d), null, null));
        }
        return out;
    }

    @Test
    void mergingPartsEqualsTheWholeAndMergingAnEmptyOneChangesNothing() {
        Block b = PcaModelTest.data(40, 5, 2, 0.1, 8);
        SparkPca.Moments whole = new SparkPca.Moments(5).add(b);
        SparkPca.Moments merged = new SparkPca.Moments(5);
        for (Block part : split(b, 3)) {
            merged.merge(new SparkPca.Moments(5).add(part));
        }
        merged.merge(new SparkPca.Moments(5));
        assertEquals(whole.rows, merged.rows);
        assertArrayEquals(whole.sum, merged.sum, 1e-9);
        assertArrayEquals(whole.xtx, merged.xtx, 1e-7);
    }

    @Test
    @Tag("spark")
    void tallAndWideFitsOnSparkEqualTheInProcessFit() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSession.get("local[2]").sparkContext());
        for (int[] shape : new int[][]{{400, 20}, {30, 120}}) {
            int n = shape[0], d = shape[1];
            Block b = PcaModelTest.data(n, d, 4, 0.2, 9);
            List<String> columns = PcaModelTest.columns(d);
            PcaModel local = PcaModel.fit(b, columns, 3, "t");
            PcaModel spark = SparkPca.fit(sc.parallelize(split(b, 3), 3), columns, 3, "t");
            for (int j = 0; j < 3; j++) {
                assertEquals(local.explainedVariance()[j], spark.explainedVariance()[j], 1e-9 * local.explainedVariance()[0],
                        n + " x " + d + ": variance " + j);
            }
            assertArrayEquals(local.descriptor().dataShift(), spark.descriptor().dataShift(), 1e-9);
            // both fix each component's sign the same way, so the components agree entry by entry
            double[] a = local.components(), c = spark.components();
            for (int i = 0; i < a.length; i++) {
                assertTrue(Math.abs(a[i] - c[i]) < 1e-7, n + " x " + d + ": component entry " + i + ": " + a[i] + " vs " + c[i]);
            }
            assertEquals(n, spark.descriptor().trainingRows());
        }
    }
}
