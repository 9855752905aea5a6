package org.lipflow.engine.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.lipflow.data.SyntheticData;
import org.lipflow.discriminator.MlpLayout;
import org.lipflow.flow.Block;
import org.lipflow.flow.DiscriminatorState;
import org.lipflow.flow.FlowListener;
import org.lipflow.flow.FlowOptions;
import org.lipflow.flow.NonFiniteException;
import org.lipflow.flow.ShardStep;
import org.lipflow.flow.StepMetrics;
import org.apache.spark.rdd.RDD;
import scala.Tuple2;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

import java.util.ArrayDeque;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The flow on Spark: particles as a persisted RDD of blocks (one per partition), the target
 * broadcast, and one fused job per outer step. Job n moves every shard with the broadcast
 * θ_n and trains a local copy of θ for k steps on it; the driver averages the shards' states
 * (weighted by shard size), projects onto the Lipschitz ball, logs the monitors and broadcasts
 * θ_{n+1}. This is the in-process order (train, then move) shifted by half a step, so each
 * outer step is a single pass over the particles, and with one partition it computes exactly
 * what {@link org.lipflow.engine.InProcessEngine} computes.
 *
 * <p>Old RDDs and broadcasts are released every step and the lineage is cut every
 * {@link SparkSettings#checkpointInterval()} steps, so step cost stays flat over long runs.
 * Particles never travel to the driver; only monitors, weights and (for plots) a small strided
 * sample do.
 */
public final class SparkEngine {
    private static final StorageLevel LEVEL = StorageLevel.MEMORY_AND_DISK();

    private final JavaSparkContext sc;
    private final SparkSettings settings;
    private Checkpoints checkpoints;

    public SparkEngine(JavaSparkContext sc, SparkSettings settings) {
        this.sc = sc;
        this.settings = settings;
    }

    /** Deletes the last run's checkpoints (unless kept): call once its particles are written. */
    public void deleteCheckpoints() {
        if (checkpoints != null) {
            checkpoints.release();
        }
    }

    /** Every k-th row of a block, at most {@code max} rows (for plots). */
    public static Block sample(Block b, int max) {
        return Blocks.strided(b, max);
    }

    /** Blocks gathered on the driver as one (small data: targets, samples). */
    public static Block concat(List<Block> blocks) {
        return Blocks.concatCopy(blocks.iterator());
    }

    public String name() {
        return "spark";
    }

    public int partitions() {
        return settings.partitions() > 0 ? settings.partitions() : sc.defaultParallelism();
    }

    /**
     * A generated source, each partition generating its own range of rows on the executor: a run
     * with 10⁷ particles never holds them on the driver.
     */
    public JavaRDD<Block> generate(SyntheticData.Spec spec) {
        int p = partitions();
        long n = spec.n();
        return sc.parallelize(IntStream.range(0, p).boxed().toList(), p)
                .map(i -> SyntheticData.generate(spec, n * i / p, n * (i + 1) / p));
    }

    /**
     * Runs the flow. The returned particle RDD is persisted; unpersist it when done.
     *
     * @param classes K, the number of discriminator outputs
     */
    public SparkFlowResult run(FlowOptions o, Block target, JavaRDD<Block> source, int dimension, int classes,
                               FlowListener listener) {
        long targetBytes = 4L * target.x.length + (target.labels == null ? 0 : 4L * target.labels.length);
        if (targetBytes > settings.broadcastLimitBytes()) {
            throw new IllegalArgumentException(String.format(
                    "target of %.1f MB exceeds engine.broadcast-limit-mb = %d; raise the limit or co-partition it",
                    targetBytes / 1e6, settings.broadcastLimitBytes() >> 20));
        }
        return run(o, SparkTarget.broadcast(target), source, dimension, classes, listener);
    }

    /**
     * Runs the flow with a broadcast or a co-partitioned target. A co-partitioned target must
     * have as many partitions as the particles ({@link #partitions()}).
     */
    public SparkFlowResult run(FlowOptions o, SparkTarget target, JavaRDD<Block> source, int dimension, int classes,
                               FlowListener listener) {
        if (target.dimension() != dimension) {
            throw new IllegalArgumentException("dimension mismatch: target has " + target.dimension()
                    + " columns, source has " + dimension);
        }
        MlpLayout layout = o.layout(dimension, classes);
        DiscriminatorState state = DiscriminatorState.initial(layout, o);
        checkpoints = new Checkpoints(sc, settings);
        Broadcast<Block> bTarget = target.whole() == null ? null : sc.broadcast(target.whole());
        RDD<Block> targetShards = null;
        if (target.shards() != null) {
            targetShards = target.shards().rdd().persist(LEVEL);
            if (targetShards.getNumPartitions() != source.getNumPartitions()) {
                throw new IllegalArgumentException("co-partitioned target has " + targetShards.getNumPartitions()
                        + " partitions, particles have " + source.getNumPartitions());
            }
        }
        Broadcast<DiscriminatorState> bState = sc.broadcast(state);
        ClassTag<Tuple2<Block, ShardStep>> pairTag = ClassTag$.MODULE$.apply(Tuple2.class);
        RDD<Tuple2<Block, ShardStep>> current = source.map(b -> new Tuple2<>(b, new ShardStep())).rdd().persist(LEVEL);
        if (listener.wantsSnapshot(0)) {
            listener.snapshot(0, sample(current, pairTag));
        }
        // broadcasts still referenced by the lineage (closures of uncheckpointed RDDs), oldest first
        ArrayDeque<Broadcast<DiscriminatorState>> live = new ArrayDeque<>();
        live.add(bState);
        double pendingDivergence = Double.NaN, lastKineticEnergy = Double.NaN;
        long start = System.nanoTime();
        try {
            int every = settings.averagingFrequency();
            for (int n = 0; n <= o.steps(); n += every) {
                long t0 = System.nanoTime();
                int local = Math.min(every, o.steps() + 1 - n);
                RDD<Tuple2<Block, ShardStep>> next = (targetShards == null
                        ? current.mapPartitionsWithIndex(
                                new ShardStepFunction(o, bState, bTarget, n, local, settings.taskThreads()), true, pairTag)
                        : current.zipPartitions(targetShards, true,
                                new CoPartitionedStepFunction(o, bState, n, local, settings.taskThreads()),
                                ClassTag$.MODULE$.apply(Block.class), pairTag))
                        .persist(LEVEL);
                boolean checkpoint = n > 0 && (n / every) % Math.max(1, settings.checkpointInterval() / every) == 0;
                if (checkpoint) {
                    checkpoints.cut(next);
                }
                sc.setJobDescription(description(n, Math.min(o.steps(), n + every - 1), o.steps(), pendingDivergence,
                        lastKineticEnergy, start));
                ShardResults results = new ShardResults(next.getNumPartitions());
                sc.sc().runJob(next, new ShardResults.Extract(), allPartitions(next), results.handler(),
                        ClassTag$.MODULE$.apply(ShardStep.class));
                ShardStep step = results.merged();
                current.unpersist(false);
                current = next;
                if (checkpoint) {
                    checkpoints.written(next);
                    // lineage now starts at `next`, whose closure holds the newest broadcast only
                    while (live.size() > 1) {
                        live.removeFirst().destroy(false);
                    }
                }
                if (step.trained()) {
                    state = step.averagedState(o);
                    bState = sc.broadcast(state);
                    live.add(bState);
                }
                double millis = (System.nanoTime() - t0) / 1e6 / local;
                for (int i = 0; i < local; i++) {
                    int s = n + i;
                    if (s > 0) {
                        StepMetrics m = new StepMetrics(s, pendingDivergence, step.move(i).kineticEnergy(), step.move(i).maxSpeed(),
                                millis);
                        NonFiniteException.check(m);
                        listener.step(m);
                    }
                    pendingDivergence = step.divergence(i);
                    if (s > 0) {
                        lastKineticEnergy = step.move(i).kineticEnergy();
                    }
                }
                int last = n + local - 1;
                boolean wanted = false;
                for (int i = Math.max(1, n); i <= last; i++) {
                    wanted |= listener.wantsSnapshot(i);
                }
                if (wanted) { // particles exist on the driver's side only at job boundaries
                    listener.snapshot(last, sample(current, pairTag));
                }
            }
        } catch (RuntimeException e) {
            checkpoints.release(); // a failed run's checkpoints are of no use
            throw e;
        } finally {
            sc.setJobDescription(null);
        }
        // the result RDD stays cached; the writer reads it from the cache. Broadcasts it still
        // references are released by Spark's ContextCleaner once the caller drops the RDD.
        ClassTag<Block> blockTag = ClassTag$.MODULE$.apply(Block.class);
        return new SparkFlowResult(JavaRDD.fromRDD(current.map(new ShardResults.First(), blockTag), blockTag), state);
    }

    private static Seq<Object> allPartitions(RDD<?> rdd) {
        List<Object> p = new ArrayList<>();
        for (int i = 0; i < rdd.getNumPartitions(); i++) {
            p.add(i);
        }
        return JavaConverters.asScalaBuffer(p).toSeq();
    }

    /** What the Spark UI shows for a step's job: steps, the latest H and KE, elapsed time. */
    private static String description(int first, int last, int steps, double h, double ke, long start) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        return String.format("lipflow step %s/%d%s%s, %.0fs elapsed", first == last ? Integer.toString(first) : first + "-" + last,
                steps, Double.isNaN(h) ? "" : String.format(", H=%.4g", h), Double.isNaN(ke) ? "" : String.format(", KE=%.4g", ke),
                elapsed);
    }

    /** A strided sample of at most ~5,000 particles, for plots. */
    private static Block sample(RDD<Tuple2<Block, ShardStep>> rdd, ClassTag<Tuple2<Block, ShardStep>> tag) {
        int perPartition = Math.max(1, 5000 / rdd.getNumPartitions());
        List<Block> parts = JavaRDD.fromRDD(rdd, tag).map(t -> Blocks.strided(t._1(), perPartition)).collect();
        return Blocks.concatCopy(parts.iterator());
    }
}
