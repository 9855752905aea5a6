package org.lipflow.engine.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.lipflow.checkpoint.CheckpointFiles;
import org.lipflow.checkpoint.PartFiles;
import org.lipflow.checkpoint.RunCheckpoints;
import org.lipflow.data.SyntheticData;
import org.lipflow.discriminator.MlpLayout;
import org.lipflow.flow.Block;
import org.lipflow.flow.DiscriminatorState;
import org.lipflow.flow.FlowListener;
import org.lipflow.engine.FlowEngine;
import org.lipflow.engine.FlowProblem;
import org.lipflow.engine.FlowResult;
import org.lipflow.engine.ParticleSource;
import org.lipflow.engine.TargetSamples;
import org.lipflow.flow.FlowOptions;
import org.lipflow.flow.Integrator;
import org.lipflow.flow.LabelSampler;
import org.lipflow.flow.Minibatch;
import org.lipflow.flow.NonFiniteException;
import org.lipflow.flow.ShardStep;
import org.lipflow.flow.StepMetrics;
import org.lipflow.flow.StopRule;
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
 * broadcast (or co-partitioned, {@link SparkTarget}), and one fused job per outer step (or per
 * F steps with an averaging frequency F). Job n runs {@link org.lipflow.flow.ShardFlow} on every
 * shard from the broadcast θ_n: step n's move, then k training steps for step n+1; the driver
 * averages the shards' states (weighted by shard size), projects onto the Lipschitz ball, logs
 * the monitors and broadcasts θ_{n+1}. The step composition is the in-process engine's, so with
 * one partition it computes exactly what {@link org.lipflow.engine.InProcessEngine} computes;
 * this class only distributes it. Particles get their labels from the problem's
 * {@link LabelSampler} on the executors.
 *
 * <p>Old RDDs and broadcasts are released every step and the lineage is cut every
 * {@link SparkSettings#checkpointInterval()} steps, so step cost stays flat over long runs.
 * Particles never travel to the driver; only monitors, weights and (for plots) a small strided
 * sample do.
 */
public final class SparkEngine implements FlowEngine {
    private static final StorageLevel LEVEL = StorageLevel.MEMORY_AND_DISK();

    private final JavaSparkContext sc;
    private final SparkSettings settings;
    private final KernelThreads threads;
    private Checkpoints checkpoints;

    public SparkEngine(JavaSparkContext sc, SparkSettings settings) {
        this.sc = sc;
        this.settings = settings;
        this.threads = KernelThreads.of(settings.taskThreads(), sc.getConf());
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

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public String placement() {
        return sc.master() + ", " + partitions() + " partitions, " + threads.describe();
    }

    public int partitions() {
        return settings.partitions() > 0 ? settings.partitions() : sc.defaultParallelism();
    }

    /** The initial particles as an RDD of blocks with ids, {@link #partitions()} of them unless already distributed. */
    JavaRDD<Block> particles(ParticleSource source) {
        if (source instanceof ParticleSource.Generated g) {
            return generate(g.spec());
        }
        if (source instanceof SparkSource s) {
            return s.blocks();
        }
        Block b = source.local();
        if (b == null) {
            throw new IllegalArgumentException("the Spark engine cannot read a source of type " + source.getClass().getSimpleName());
        }
        int p = partitions();
        List<Block> slices = new ArrayList<>(p);
        for (int i = 0; i < p; i++) {
            slices.add(Blocks.slice(b, (int) ((long) b.rows * i / p), (int) ((long) b.rows * (i + 1) / p)));
        }
        return sc.parallelize(slices, p);
    }

    /**
     * A generated source, each partition generating its own range of rows on the executor: a run
     * with 10⁷ particles never holds them on the driver.
     */
    public JavaRDD<Block> generate(SyntheticData.Spec spec) {
        return generate(sc, spec, partitions());
    }

    /** A generated data set in {@code p} partitions, each generating its own range of rows on an executor. */
    public static JavaRDD<Block> generate(JavaSparkContext sc, SyntheticData.Spec spec, int p) {
        long n = spec.n();
        return sc.parallelize(IntStream.range(0, p).boxed().toList(), p)
                .map(i -> SyntheticData.generate(spec, n * i / p, n * (i + 1) / p));
    }

    /**
     * Runs the flow. The result's particles stay persisted until {@link SparkParticles#close()}.
     * The target is broadcast when it is in this JVM and zipped partition by partition with the
     * particles when it is a {@link SparkTarget}; a generated source is generated on the executors.
     */
    @Override
    public FlowResult run(FlowProblem problem, FlowListener listener) {
        return run(problem, listener, RunCheckpoints.off());
    }

    /**
     * Runs the flow, writing checkpoints as {@code checkpoints} asks (each partition writes its own
     * particle file on its executor) and continuing from its {@link RunCheckpoints#resume()} when
     * there is one, with the checkpoint's particle files read back into the same partitions.
     */
    @Override
    public FlowResult run(FlowProblem problem, FlowListener listener, RunCheckpoints saved) {
        FlowOptions o = problem.options();
        LabelSampler labels = problem.labels();
        RunCheckpoints.Resume resume = saved.resume();
        JavaRDD<Block> source = particles(problem.source()).map(new AttachLabels(labels));
        int partitions = source.getNumPartitions();
        if (resume != null) {
            resume.requirePartitions(partitions);
            PartFiles files = resume.parts();
            source = sc.parallelize(IntStream.range(0, partitions).boxed().toList(), partitions).map(files::read);
        }
        Integrator integrator = o.flow().integrator();
        if (integrator.retrainsStages() && partitions > 1) {
            throw new IllegalArgumentException("flow.integrator = " + integrator.name() + " needs one particle partition on the "
                    + "Spark engine (engine.partitions = 1), got " + partitions + ": with flow.integrator-retrain = each-stage each "
                    + "partition would re-train its stages' discriminator alone and never average it; use "
                    + "flow.integrator-retrain = reuse, or flow.integrator = euler, ab2 or ab3");
        }
        TargetSamples target = problem.target();
        if (target.local() == null && !(target instanceof SparkTarget)) {
            throw new IllegalArgumentException("the Spark engine cannot read a target of type " + target.getClass().getSimpleName());
        }
        if (target.local() != null && 4L * target.local().x.length > settings.broadcastLimitBytes()) {
            throw new IllegalArgumentException(String.format("target of %.3g MB exceeds engine.broadcast-limit-mb = %.3g; "
                    + "raise the limit or give it as a co-partitioned SparkTarget", 4e0 * target.local().x.length / 1048576.0,
                    settings.broadcastLimitBytes() / 1048576.0));
        }
        MlpLayout layout = o.layout(target.dimension(), labels.classes());
        DiscriminatorState state = DiscriminatorState.initial(layout, o);
        int start = 0;
        double pendingDivergence = Double.NaN, lastKineticEnergy = Double.NaN;
        if (resume != null) {
            CheckpointFiles.State restored = resume.state(layout);
            state = restored.state();
            start = resume.step;
            pendingDivergence = restored.pendingDivergence();
        }
        listener = saved.track(listener);
        checkpoints = new Checkpoints(sc, settings);
        Broadcast<Block> bTarget = target.local() == null ? null : sc.broadcast(target.local());
        RDD<Block> targetShards = null;
        if (target instanceof SparkTarget coPartitioned) {
            targetShards = coPartitioned.shards().rdd().persist(LEVEL);
            if (targetShards.getNumPartitions() != source.getNumPartitions()) {
                throw new IllegalArgumentException("co-partitioned target has " + targetShards.getNumPartitions()
                        + " partitions, particles have " + source.getNumPartitions());
            }
        }
        Broadcast<DiscriminatorState> bState = sc.broadcast(state);
        Broadcast<FlowOptions> bOptions = sc.broadcast(o); // left to the ContextCleaner: the result's lineage may refer to it
        ClassTag<Tuple2<Block, ShardStep>> pairTag = ClassTag$.MODULE$.apply(Tuple2.class);
        RDD<Tuple2<Block, ShardStep>> current = source.map(b -> new Tuple2<>(b, new ShardStep())).rdd().persist(LEVEL);
        if (start == 0 && listener.wantsSnapshot(0)) {
            listener.snapshot(0, sample(current, pairTag));
        }
        Minibatch.Partitioning rows = o.training().batchSize() == 0 ? null : partitioning(current, pairTag, target, targetShards);
        // broadcasts still referenced by the lineage (closures of uncheckpointed RDDs), oldest first
        ArrayDeque<Broadcast<DiscriminatorState>> live = new ArrayDeque<>();
        live.add(bState);
        long started = System.nanoTime();
        try {
            int every = settings.averagingFrequency();
            // a resumed θ that trained for step start+1 moves at once; otherwise the first local step only trains
            int first = resume != null && resume.trained ? start + 1 : start;
            // decided on the driver from the per-step monitors, at job boundaries; a resumed run that had
            // stopped stays stopped: no job runs, its checkpoint's particles are the result
            StopRule stop = StopRule.replay(o.flow().stop(), saved.restoredMetrics());
            for (int n = first; n <= o.flow().steps() && !stop.stopped(); n += every) {
                long t0 = System.nanoTime();
                int local = Math.min(every, o.flow().steps() + 1 - n);
                RDD<Tuple2<Block, ShardStep>> next = (targetShards == null
                        ? current.mapPartitionsWithIndex(
                                new ShardStepFunction(bOptions, bState, bTarget, n, local, threads, start, rows), true, pairTag)
                        : current.zipPartitions(targetShards, true,
                                new CoPartitionedStepFunction(bOptions, bState, n, local, threads, start, rows),
                                ClassTag$.MODULE$.apply(Block.class), pairTag))
                        .persist(LEVEL);
                // a local cut costs a look-up per partition, so it is made every job: each job's task then carries
                // one step's closure instead of the serialized lineage since the last cut (tens of ms per job
                // after 50 steps); a reliable cut writes the particles, so it keeps engine.checkpoint-interval
                boolean checkpoint = !checkpoints.reliable()
                        || n > 0 && (n / every) % Math.max(1, settings.checkpointInterval() / every) == 0;
                if (checkpoint) {
                    checkpoints.cut(next);
                }
                sc.setJobDescription(description(n, Math.min(o.flow().steps(), n + every - 1), o.flow().steps(), pendingDivergence,
                        lastKineticEnergy, started));
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
                    state = step.averagedState(o.constraint());
                    bState = sc.broadcast(state);
                    live.add(bState);
                    if (every == 1) {
                        listener.discriminator(n + 1, state); // the next job moves step n + 1 with it
                    }
                }
                double millis = (System.nanoTime() - t0) / 1e6 / local;
                List<StepMetrics> lines = new ArrayList<>(local);
                for (int i = 0; i < local; i++) {
                    int s = n + i;
                    if (s > start) {
                        StepMetrics m = StepMetrics.of(s, pendingDivergence, step.move(i), millis);
                        lines.add(m);
                        stop.observe(m);
                    }
                    pendingDivergence = step.divergence(i);
                    if (s > start) {
                        lastKineticEnergy = step.move(i).kineticEnergy();
                    }
                }
                int last = n + local - 1;
                // quality monitors: on the particles as the job left them, into the line of its last step
                if (!lines.isEmpty() && lines.stream().allMatch(NonFiniteException::finite) && monitorWanted(listener, lines, stop.stopped(), o.flow().steps())) {
                    listener.monitor(last, new SparkLiveParticles(JavaRDD.fromRDD(current.map(new ShardResults.First(),
                            ClassTag$.MODULE$.apply(Block.class)), ClassTag$.MODULE$.apply(Block.class))));
                }
                for (StepMetrics m : lines) { // the steps before a blow-up are reported, then it is
                    NonFiniteException.check(m);
                    listener.step(m);
                }
                boolean wanted = false;
                for (int i = Math.max(start + 1, n); i <= last; i++) {
                    wanted |= listener.wantsSnapshot(i);
                }
                wanted |= stop.stopped() && listener.wantsSnapshot(o.flow().steps()); // in place of the final step's
                if (wanted) { // particles exist on the driver's side only at job boundaries
                    listener.snapshot(last, sample(current, pairTag));
                }
                if (saved.due(n, last, stop.stopped() ? last : o.flow().steps())) { // a stop ends the run: its checkpoint is due
                    RunCheckpoints.Writing w = saved.begin(last);
                    saved.commit(w, state, step.trained(), pendingDivergence, name(),
                            writeParts(current, pairTag, w.parts(), target.dimension()));
                }
                saved.stopIfRequested();
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
        return new FlowResult(new SparkParticles(JavaRDD.fromRDD(current.map(new ShardResults.First(), blockTag), blockTag),
                labels.conditional()), state);
    }

    /**
     * Each partition writes its particles into the checkpoint's file of that partition, on its
     * executor (an empty partition writes an empty block); the driver gets what was written.
     */
    private static List<CheckpointFiles.FileInfo> writeParts(RDD<Tuple2<Block, ShardStep>> rdd,
                                                             ClassTag<Tuple2<Block, ShardStep>> tag, PartFiles files, int dimension) {
        List<long[]> written = JavaRDD.fromRDD(rdd, tag).mapPartitionsWithIndex((p, it) -> {
            List<Block> blocks = new ArrayList<>();
            it.forEachRemaining(t -> blocks.add(t._1()));
            Block b = blocks.isEmpty() ? new Block(0, dimension, new float[0], null, null) : Blocks.concatCopy(blocks.iterator());
            CheckpointFiles.FileInfo f = files.write(p, b);
            return List.of(new long[]{p, f.bytes(), f.crc()}).iterator(); // arrays, not records: Kryo may ship them
        }, true).collect();
        List<CheckpointFiles.FileInfo> infos = new ArrayList<>();
        for (long[] w : written) {
            infos.add(new CheckpointFiles.FileInfo(CheckpointFiles.partName((int) w[0]), w[1], w[2]));
        }
        return infos;
    }

    /** Whether one of a job's steps is to be measured (the final step's measure moves to an early stop's job). */
    private static boolean monitorWanted(FlowListener listener, List<StepMetrics> lines, boolean stopped, int steps) {
        for (StepMetrics m : lines) {
            if (listener.wantsMonitor(m.step())) {
                return true;
            }
        }
        return stopped && listener.wantsMonitor(steps);
    }

    /**
     * Where each partition sits in the ensemble, for the global minibatch draws: one small job
     * counting the rows of each (cached) partition, and the target's rows.
     */
    private static Minibatch.Partitioning partitioning(RDD<Tuple2<Block, ShardStep>> rdd, ClassTag<Tuple2<Block, ShardStep>> tag,
                                                       TargetSamples target, RDD<Block> targetShards) {
        List<long[]> counts = JavaRDD.fromRDD(rdd, tag).mapPartitionsWithIndex((p, it) -> {
            long n = 0;
            while (it.hasNext()) {
                n += it.next()._1().rows;
            }
            return List.of(new long[]{p, n}).iterator();
        }, true).collect();
        long[] perPartition = new long[rdd.getNumPartitions()];
        for (long[] c : counts) {
            perPartition[(int) c[0]] = c[1];
        }
        long n = target.local() != null ? target.local().rows
                : JavaRDD.fromRDD(targetShards, ClassTag$.MODULE$.apply(Block.class)).map(b -> (long) b.rows).reduce(Long::sum);
        return Minibatch.Partitioning.of(perPartition, Math.max(1, n));
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
