package org.lipflow.monitor.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.lipflow.eval.ReferenceDistances;
import org.lipflow.flow.Block;
import org.lipflow.monitor.QualityMonitor;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link QualityMonitor} on the Spark engine's particles, computed on the executors in one job with
 * one reduction; no particle comes to the driver. The monitor (with its reference, a few thousand
 * rows) is broadcast once. On a monitored step:
 * <ol>
 * <li>each partition keeps its measured particles (the same ids as in process) and maps them to
 * data space — a narrow map over the cached particles;</li>
 * <li>the subset is coalesced into k = ⌈rows / {@link #BLOCK_ROWS}⌉ blocks (at most the particles'
 * partitions) and every pair of blocks (i ≤ j) is a task of a {@code cartesian}: the diagonal
 * tasks sum their block's pairs, its pairs with the reference and its projections, the others the
 * pairs between two blocks — the particle–particle term of energy distance and MMD² is the sum
 * over block pairs, as in {@code eval.spark};</li>
 * <li>with {@code monitor.w1}, one more task (a union in the same job) trains the W1 dual
 * estimate's discriminator on the whole subset;</li>
 * <li>the tasks' {@link ReferenceDistances.Sums} are reduced to one, from which the driver forms the
 * figures (the subset's projections, rows × 128 numbers, ride along for the exact sliced W1).</li>
 * </ol>
 * The step's own job stays as it is: a monitored step costs one more job.
 */
public final class SparkQualityMonitor implements AutoCloseable {
    /** Rows per block of the measured subset: one block-pair task handles up to BLOCK_ROWS² pairs. */
    public static final int BLOCK_ROWS = 1024;

    private final Broadcast<QualityMonitor> monitor;
    private final int dimension;

    public SparkQualityMonitor(JavaSparkContext sc, QualityMonitor monitor) {
        this.monitor = sc.broadcast(monitor);
        this.dimension = monitor.reference().dimension();
    }

    /** The fields of a monitored step, measured on the executors. */
    public Map<String, Object> measure(JavaRDD<Block> particles) {
        long t0 = System.nanoTime();
        Broadcast<QualityMonitor> m = monitor;
        int d = dimension;
        QualityMonitor local = m.value();
        JavaRDD<Block> sample = particles.mapPartitionsWithIndex((part, it) -> {
            List<Block> out = new ArrayList<>();
            while (it.hasNext()) {
                out.add(m.value().sample(it.next(), (long) part << 40));
            }
            return out.iterator();
        }, true);
        int k = (int) Math.max(1, Math.min(particles.getNumPartitions(),
                (local.expectedRows() + BLOCK_ROWS - 1) / BLOCK_ROWS));
        JavaRDD<Tuple2<Integer, Block>> blocks = sample.coalesce(k, false).mapPartitionsWithIndex((i, it) -> {
            List<Block> parts = new ArrayList<>();
            it.forEachRemaining(parts::add);
            return List.of(new Tuple2<>(i, QualityMonitor.concat(parts, d))).iterator();
        }, true);
        JavaRDD<ReferenceDistances.Sums> sums = blocks.cartesian(blocks).map(p -> {
            int i = p._1()._1(), j = p._2()._1();
            return i == j ? m.value().sums(p._1()._2())
                    : i < j ? m.value().pair(p._1()._2(), p._2()._2()) : new ReferenceDistances.Sums();
        });
        if (local.w1()) {
            sums = sums.union(sample.coalesce(1, false).mapPartitions(it -> {
                List<Block> parts = new ArrayList<>();
                it.forEachRemaining(parts::add);
                return List.of(m.value().w1Dual(QualityMonitor.concat(parts, d))).iterator();
            }));
        }
        ReferenceDistances.Sums total = sums.reduce(ReferenceDistances.Sums::merge);
        return local.fields(total, (System.nanoTime() - t0) / 1e6);
    }

    @Override
    public void close() {
        monitor.destroy(false);
    }
}
