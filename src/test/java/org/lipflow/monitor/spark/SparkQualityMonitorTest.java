package org.lipflow.monitor.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lipflow.config.LipflowConfig;
import org.lipflow.engine.spark.SparkTestSession;
import org.lipflow.flow.Block;
import org.lipflow.flow.FlowOptions;
import org.lipflow.monitor.MonitorOptions;
import org.lipflow.monitor.QualityMonitor;
import org.lipflow.util.Rng;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quality monitors on Spark (local[2], particles in 2 partitions of 1,000 and 2,000 rows) give
 * the in-process monitors' values: the same particles are measured (chosen by id), the sums over
 * 2 blocks and their pair equal the sums over one block to 1e-9 relative (rounding of the summation
 * order), the W1 dual estimate trains on the same rows in the same order (1e-9 relative); and it
 * takes one Spark job.
 */
@Tag("spark")
class SparkQualityMonitorTest {
    static final int D = 3;

    static Block gaussian(int from, int to, double mean, long seed, boolean ids) {
        int n = to - from;
        float[] x = new float[n * D];
        long[] id = new long[n];
        long stream = Rng.stream(seed, 99);
        for (int r = 0; r < n; r++) {
            id[r] = from + r;
            for (int k = 0; k < D; k++) {
                x[r * D + k] = (float) (mean + Rng.gaussian(stream, (long) (from + r) * D + k));
            }
        }
        return new Block(n, D, x, null, ids ? id : null);
    }

    /** What the monitor job ships survives Kryo as conf/spark-defaults.conf configures it (registration required). */
    @Test
    void theBroadcastMonitorAndTheSumsSurviveKryoWithRegistrationRequired() {
        org.apache.spark.serializer.SerializerInstance kryo = new org.apache.spark.serializer.KryoSerializer(
                new org.apache.spark.SparkConf(false).set("spark.kryo.registrator",
                        org.lipflow.engine.spark.LipflowKryoRegistrator.class.getName())
                        .set("spark.kryo.registrationRequired", "true")).newInstance();
        scala.reflect.ClassTag<Object> any = scala.reflect.ClassTag$.MODULE$.Any();
        Block reference = gaussian(0, 50, 0, 1, false), sample = gaussian(0, 40, 0.5, 2, true);
        QualityMonitor monitor = new QualityMonitor(new MonitorOptions("r.csv", 10, 100, false, 0.01), reference, 40, 5, null,
                null, 1);
        QualityMonitor back = (QualityMonitor) kryo.deserialize(kryo.serialize(monitor, any), any);
        assertEquals(monitor.measure(sample).get(QualityMonitor.ENERGY_DISTANCE), back.measure(sample).get(QualityMonitor.ENERGY_DISTANCE));
        org.lipflow.eval.ReferenceDistances.Sums sums = monitor.sums(sample);
        org.lipflow.eval.ReferenceDistances.Sums sumsBack = (org.lipflow.eval.ReferenceDistances.Sums) kryo.deserialize(
                kryo.serialize(sums, any), any);
        assertEquals(monitor.reference().figures(sums), monitor.reference().figures(sumsBack));
    }

    @Test
    void sparkMonitorsOnUnequalPartitionsAgreeWithTheInProcessMonitorsInOneJob() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSession.get("local[2]").sparkContext());
        Block reference = gaussian(0, 300, 0, 1, false);
        Block all = gaussian(0, 3000, 0.5, 2, true);
        FlowOptions w1 = LipflowConfig.estimateOptions(LipflowConfig.load(null, List.of("estimate.steps=20")))
                .toBuilder().lipschitz(0.01).build();
        // about 1,500 of the 3,000 particles are measured: two blocks of the subset, so block pairs are summed
        MonitorOptions o = new MonitorOptions("ref.csv", 10, 1500, true, 0.01);
        QualityMonitor monitor = new QualityMonitor(o, reference, all.rows, 5, w1, null, 1);
        Map<String, Object> local = monitor.measure(all);

        JavaRDD<Block> parts = sc.parallelize(Arrays.asList(gaussian(0, 1000, 0.5, 2, true), gaussian(1000, 3000, 0.5, 2, true)), 2);
        try (SparkQualityMonitor spark = new SparkQualityMonitor(sc, monitor)) {
            sc.setJobGroup("monitor-test", "quality monitors", false);
            Map<String, Object> distributed = spark.measure(parts);
            sc.clearJobGroup();
            assertEquals(1, sc.statusTracker().getJobIdsForGroup("monitor-test").length, "one Spark job");
            for (String k : List.of(QualityMonitor.ENERGY_DISTANCE, QualityMonitor.MMD2, QualityMonitor.SLICED_W1, QualityMonitor.W1_DUAL)) {
                double a = (Double) local.get(k), b = (Double) distributed.get(k);
                assertTrue(a > 0, k + " positive: " + a);
                assertEquals(a, b, 1e-9 * Math.abs(a), k);
            }
        }
        assertTrue(monitor.expectedRows() == 1500);
    }
}
