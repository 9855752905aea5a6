package org.lipflow.engine.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.lipflow.config.LipflowConfig;
import org.lipflow.data.SyntheticData;
import org.lipflow.discriminator.MlpLayout;
import org.lipflow.engine.FlowEngine;
import org.lipflow.engine.FlowProblem;
import org.lipflow.engine.FlowResult;
import org.lipflow.engine.InProcessEngine;
import org.lipflow.engine.ParticleSource;
import org.lipflow.engine.TargetSamples;
import org.lipflow.flow.Block;
import org.lipflow.flow.DiscriminatorState;
import org.lipflow.flow.FlowListener;
import org.lipflow.flow.FlowOptions;
import org.lipflow.flow.ParameterAverage;
import org.lipflow.flow.ShardFlow;
import org.lipflow.flow.ShardStep;
import org.lipflow.util.ChunkPool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The measurements of {@code jobs/spark-scale}: the Spark engine against the in-process engine on
 * the same cores (the mixture example, N = 200, M particles), with Spark's own account of where
 * each job's time went; and the coefficients of the README's scale model. A benchmark, run by the
 * job script, never by a run or a test.
 *
 * <pre>
 *   ScaleProbe engines M=1000000 steps=20 master=local[2] partitions=2 F=1 task-threads=0 threads=2 rounds=1
 *                      [compare-task-threads=1] [thread-cpu=1] [thread-shards=1]
 *   ScaleProbe coefficients master=local-cluster[2,1,1024] repeats=30 Ms=100000
 *   ScaleProbe memory M=1000000 master=local[2] partitions=2
 * </pre>
 */
public final class ScaleProbe {
    private ScaleProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: ScaleProbe engines|coefficients|memory [key=value ...]");
        }
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("ScaleProbe: argument '" + args[i] + "' is not key=value");
            }
            a.put(kv[0], kv[1]);
        }
        switch (args[0]) {
            case "engines" -> engines(a);
            case "coefficients" -> coefficients(a);
            case "memory" -> memory(a);
            default -> throw new IllegalArgumentException("ScaleProbe: unknown probe '" + args[0] + "'");
        }
    }

    static int intArg(Map<String, String> a, String key, int def) {
        return a.containsKey(key) ? (int) Double.parseDouble(a.get(key)) : def;
    }

    /** The mixture example (N = 200, σ = 0.5) with M particles from N(0, 0.5²). */
    static FlowProblem mixture(int m, int steps, int... hidden) {
        FlowOptions.Builder b = LipflowConfig.defaultFlowOptions().toBuilder().steps(steps).dt(0.5);
        if (hidden.length > 0) {
            b.hidden(hidden);
        }
        return new FlowProblem(b.build(),
                TargetSamples.of(SyntheticData.generate(new SyntheticData.Spec("mixture4", 200, 0, 2, 0, 0.5, 0.5, false))),
                ParticleSource.generated(new SyntheticData.Spec("gaussian", m, 100, 2, 0, 0.5, 0.5, false)));
    }

    /** Per-step times (ms) of steps warmup+1..: the engine's own step times for Spark, callback gaps in process. */
    static double[] stepTimes(FlowEngine engine, FlowProblem problem, int warmup, boolean own) {
        List<Double> times = new ArrayList<>();
        long[] last = {System.nanoTime()};
        FlowResult r = engine.run(problem, m -> {
            long now = System.nanoTime();
            if (m.step() > warmup) {
                times.add(own ? m.millis() : (now - last[0]) / 1e6);
            }
            last[0] = now;
        });
        r.particles().close();
        return times.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static double median(double[] t) {
        double[] s = t.clone();
        Arrays.sort(s);
        return s.length == 0 ? Double.NaN : s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    /** One engine configuration of {@link #engines}: its step times over all rounds, its stages and thread CPU of the last. */
    private static final class Side {
        final String label;
        final FlowEngine engine;
        final boolean spark;
        final List<Double> times = new ArrayList<>();
        final Map<String, Long> cpu = new TreeMap<>();
        List<TaskTimes.Stage> stages = List.of();

        Side(String label, FlowEngine engine) {
            this.label = label;
            this.engine = engine;
            this.spark = engine instanceof SparkEngine;
        }

        double median() {
            return ScaleProbe.median(times.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    /**
     * In process (threads) and Spark (master, partitions, F, task-threads; compare-task-threads
     * adds a second Spark side with that value) on the same problem in this JVM, in-process first
     * and the Spark sides in turns after it; rounds &gt; 1 repeats the sequence to even out a machine
     * whose speed drifts. thread-cpu=1
     * prints the CPU time of this JVM's threads per side (who else ran), thread-shards=1 the
     * Spark engine's work split over threads without Spark.
     */
    static void engines(Map<String, String> a) {
        int m = intArg(a, "M", 1_000_000), steps = intArg(a, "steps", 20), warmup = intArg(a, "warmup", 3);
        int threads = intArg(a, "threads", 2), partitions = intArg(a, "partitions", 2), every = intArg(a, "F", 1);
        int taskThreads = intArg(a, "task-threads", 0), rounds = intArg(a, "rounds", 1);
        String master = a.getOrDefault("master", "local[2]");
        SparkSessions.Handle h = SparkSessions.open(master, "false", false);
        try {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(h.session().sparkContext());
            TaskTimes listener = new TaskTimes();
            sc.sc().addSparkListener(listener);
            FlowProblem problem = mixture(m, warmup + steps);
            List<Side> sides = new ArrayList<>();
            sides.add(new Side(String.format(Locale.ROOT, "in-process %d threads", threads), new InProcessEngine(threads)));
            List<Integer> variants = new ArrayList<>(List.of(taskThreads));
            if (a.containsKey("compare-task-threads")) {
                variants.add(intArg(a, "compare-task-threads", 1));
            }
            for (int t : variants) {
                sides.add(new Side(String.format(Locale.ROOT, "spark %s, %d partitions, F = %d, task-threads = %d", master, partitions,
                        every, t), new SparkEngine(sc, new SparkSettings(partitions, 50, "", 256L << 20, t, every))));
            }
            for (int r = 0; r < rounds; r++) {
                StringBuilder line = new StringBuilder();
                // in-process first; the Spark sides take turns to follow it (the first after it runs slower)
                List<Side> order = new ArrayList<>(sides.subList(1, sides.size()));
                Collections.rotate(order, r);
                order.add(0, sides.get(0));
                for (Side side : order) {
                    listener.clear();
                    Map<String, Long> before = threadCpu();
                    double[] t = stepTimes(side.engine, problem, warmup, side.spark);
                    side.cpu.clear();
                    addDelta(side.cpu, before, threadCpu());
                    for (double x : t) {
                        side.times.add(x);
                    }
                    if (side.spark) {
                        ((SparkEngine) side.engine).deleteCheckpoints();
                        sleep(500); // the listener bus delivers task ends asynchronously
                        side.stages = listener.stages();
                    }
                    line.append(String.format(Locale.ROOT, "  %s %.2f", side.label, median(t)));
                }
                if (rounds > 1) {
                    System.out.printf(Locale.ROOT, "round %d (ms/step):%s%n", r + 1, line);
                }
            }
            double[] threadShards = a.containsKey("thread-shards") ? threadShardTimes(problem, partitions, warmup) : null;
            double lm = sides.get(0).median();
            System.out.printf(Locale.ROOT, "# %s, loadavg %s%n", java.time.Instant.now(), loadAverage());
            System.out.printf(Locale.ROOT, "M = %d, N = 200, mixture, %d timed steps x %d round(s) after %d warm-up, medians%n", m, steps,
                    rounds, warmup);
            for (Side side : sides) {
                double sm = side.median();
                System.out.printf(Locale.ROOT, "%-58s: %9.2f ms/step  %10.4g particle-steps/s  = %.3f x in-process%n", side.label, sm,
                        m / sm * 1e3, lm / sm);
                if (side.spark) {
                    printStages(side.stages, every);
                }
                if (a.containsKey("thread-cpu")) {
                    printThreadCpu("last round", side.cpu);
                }
            }
            if (threadShards != null) {
                double tm = median(threadShards);
                System.out.printf(Locale.ROOT, "%-58s: %9.2f ms/step  %10.4g particle-steps/s  = %.3f x in-process%n",
                        "thread shards: " + partitions + " shards on as many threads, no Spark", tm, m / tm * 1e3, lm / tm);
            }
        } finally {
            h.stop();
        }
    }

    /**
     * The Spark engine's work per step without Spark ({@code thread-shards=1}): P threads each
     * run a fresh {@link ShardFlow} on a copy of its shard with θ_n, as a task
     * does, and this thread averages their {@link ShardStep}s in partition order
     * as the driver does. Separates what Spark costs from what splitting the ensemble costs.
     */
    static double[] threadShardTimes(FlowProblem problem, int p, int warmup) {
        FlowOptions o = problem.options();
        Block target = problem.target().local();
        Block all = problem.labels().attach(problem.source().local());
        Block[] shards = new Block[p];
        for (int i = 0; i < p; i++) {
            shards[i] = ShardFlow.prepare(o, Blocks.slice(all, (int) ((long) all.rows * i / p),
                    (int) ((long) all.rows * (i + 1) / p)), 0, i);
        }
        DiscriminatorState state = DiscriminatorState.initial(o.layout(target.dimension, problem.labels().classes()), o);
        ExecutorService executor = Executors.newFixedThreadPool(p);
        List<Double> times = new ArrayList<>();
        try {
            for (int n = 0; n <= o.flow().steps(); n++) {
                long t0 = System.nanoTime();
                DiscriminatorState theta = state;
                int step = n;
                List<Future<ShardStep>> parts = new ArrayList<>();
                for (int i = 0; i < p; i++) {
                    int shard = i;
                    parts.add(executor.submit(() -> {
                        Block moved = Blocks.movable(List.of(shards[shard]));
                        try (ChunkPool pool = new ChunkPool(1)) {
                            ShardStep r = new ShardFlow(o, target, moved, theta.copy(), shard, pool, 0)
                                    .run(step, 1);
                            shards[shard] = moved;
                            return r;
                        }
                    }));
                }
                ShardStep merged = ShardStep.empty(0);
                for (Future<ShardStep> f : parts) {
                    merged = merged.merge(f.get());
                }
                if (merged.trained()) {
                    state = merged.averagedState(o.constraint());
                }
                if (n > warmup) {
                    times.add((System.nanoTime() - t0) / 1e6);
                }
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        } finally {
            executor.shutdown();
        }
        return times.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** CPU time (ms, user + system) of every live thread of this JVM by thread name (digits folded), from /proc. */
    static Map<String, Long> threadCpu() {
        Map<String, Long> out = new TreeMap<>();
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) {
            return out;
        }
        for (java.io.File t : tasks) {
            try {
                String stat = java.nio.file.Files.readString(t.toPath().resolve("stat"));
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "#");
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                out.merge(name, Long.parseLong(f[11]) * 10, Long::sum); // utime (field 14), USER_HZ = 100
                out.merge(name + " (sys)", Long.parseLong(f[12]) * 10, Long::sum); // stime (field 15): page faults, syscalls
            } catch (java.io.IOException | RuntimeException e) {
                // a thread that ended meanwhile
            }
        }
        return out;
    }

    /** into += after − before, per thread name. */
    static void addDelta(Map<String, Long> into, Map<String, Long> before, Map<String, Long> after) {
        after.forEach((k, v) -> into.merge(k, v - before.getOrDefault(k, 0L), Long::sum));
    }

    static void printThreadCpu(String phase, Map<String, Long> cpu) {
        long total = cpu.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder b = new StringBuilder();
        cpu.entrySet().stream().filter(e -> e.getValue() >= 20).sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
                .forEach(e -> b.append(String.format(Locale.ROOT, " %s %d;", e.getKey(), e.getValue())));
        System.out.printf(Locale.ROOT, "  thread CPU ms, %s (total %d; threads that ended are missing):%s%n", phase, total, b);
    }

    /** Medians over the step jobs (stages with a task per partition) of the last Spark run. */
    static void printStages(List<TaskTimes.Stage> stages, int every) {
        if (stages.size() < 3) {
            return;
        }
        int n = stages.size();
        double[] slowest = new double[n], run = new double[n], cpu = new double[n], spread = new double[n], deser = new double[n], ser = new double[n];
        for (int i = 0; i < n; i++) {
            TaskTimes.Stage s = stages.get(i);
            slowest[i] = s.slowest();
            run[i] = s.meanRun();
            cpu[i] = s.meanCpu();
            spread[i] = s.spread();
            deser[i] = s.deserialize();
            ser[i] = s.resultSerialize();
        }
        System.out.printf(Locale.ROOT, "  per job of F = %d steps (median of %d stages): slowest task %.1f ms, mean task run %.1f ms (CPU %.1f ms), "
                + "slowest - fastest %.1f ms, task deserialize %.1f ms, result serialize %.1f ms%n", every, n, median(slowest),
                median(run), median(cpu), median(spread), median(deser), median(ser));
    }

    /**
     * The scale model's coefficients on {@code master}: a job that does nothing on P cached
     * partitions (job launch, and its growth with P), the same job whose tasks read a broadcast θ
     * (broadcast) or return a shard's parameter sum that the driver merges in partition order as
     * a step does (reduce), for networks of growing size; and the in-process compute per
     * particle-step on one thread.
     */
    static void coefficients(Map<String, String> a) {
        int repeats = intArg(a, "repeats", 30);
        String master = a.getOrDefault("master", "local-cluster[2,1,1024]");
        System.out.printf(Locale.ROOT, "# %s, loadavg %s, master %s, medians of %d jobs%n", java.time.Instant.now(), loadAverage(),
                master, repeats);
        SparkSessions.Handle h = SparkSessions.open(master, "false", false);
        try {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(h.session().sparkContext());
            FlowOptions o = LipflowConfig.defaultFlowOptions();
            for (int p : new int[]{2, 8, 32}) {
                org.apache.spark.api.java.JavaRDD<Integer> rdd = sc.parallelize(java.util.stream.IntStream.range(0, p).boxed().toList(), p)
                        .persist(org.apache.spark.storage.StorageLevel.MEMORY_ONLY());
                rdd.count();
                double launch = medianMillis(repeats, () -> rdd.foreachPartition(it -> { }));
                System.out.printf(Locale.ROOT, "job launch   P = %2d: %8.2f ms (a job whose tasks do nothing)%n", p, launch);
                if (p == 2) {
                    for (int[] hidden : new int[][]{{32, 32, 32}, {128, 128, 128}, {512, 512, 512}}) {
                        DiscriminatorState state = DiscriminatorState.initial(new MlpLayout(2, hidden, 1, o.discriminator().activation()), o);
                        long bytes = javaBytes(state);
                        double broadcast = medianMillis(repeats, () -> {
                            org.apache.spark.broadcast.Broadcast<DiscriminatorState> b = sc.broadcast(state);
                            rdd.foreachPartition(it -> b.value());
                            b.destroy(false);
                        });
                        // the tasks read θ from a broadcast they already hold: the job ships only their results
                        org.apache.spark.broadcast.Broadcast<DiscriminatorState> held = sc.broadcast(state);
                        double reduce = medianMillis(repeats, () -> {
                            List<ParameterAverage> parts = rdd.mapPartitions(it -> List.of(new ParameterAverage().add(held.value(), 1.0))
                                    .iterator()).collect();
                            ParameterAverage all = new ParameterAverage();
                            for (ParameterAverage part : parts) {
                                all.merge(part);
                            }
                        });
                        held.destroy(false);
                        long resultBytes = javaBytes(new ParameterAverage().add(state, 1.0));
                        System.out.printf(Locale.ROOT, "hidden %-15s |θ| = %7d: state %8d B, broadcast+launch %8.2f ms, "
                                + "reduce+launch %8.2f ms (%d B per task result)%n", Arrays.toString(hidden),
                                state.params.length, bytes, broadcast, reduce, resultBytes);
                    }
                }
                rdd.unpersist(false);
            }
        } finally {
            h.stop();
        }
        int m = intArg(a, "Ms", 100_000);
        FlowProblem problem = mixture(m, 13);
        double perStep = median(stepTimes(new InProcessEngine(1), problem, 3, false));
        System.out.printf(Locale.ROOT, "compute      M = %d, 1 thread: %.2f ms/step = %.3f µs per particle-step%n", m, perStep,
                perStep * 1e3 / m);
    }

    /** The heap bytes the cached particle RDD holds per particle (Spark's storage report) after a short run. */
    static void memory(Map<String, String> a) {
        int m = intArg(a, "M", 1_000_000), partitions = intArg(a, "partitions", 2);
        String master = a.getOrDefault("master", "local[2]");
        SparkSessions.Handle h = SparkSessions.open(master, "false", false);
        try {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(h.session().sparkContext());
            SparkEngine spark = new SparkEngine(sc, new SparkSettings(partitions, 50, "", 256L << 20, 1, 1));
            FlowResult r = spark.run(mixture(m, 3), FlowListener.NONE);
            long mem = 0, disk = 0;
            for (org.apache.spark.storage.RDDInfo info : sc.sc().getRDDStorageInfo()) {
                mem += info.memSize();
                disk += info.diskSize();
            }
            Runtime rt = Runtime.getRuntime();
            System.gc();
            System.out.printf(Locale.ROOT, "M = %d on %s: cached particle RDDs %.1f MB in memory (%.1f B per particle), %.1f MB on disk; "
                    + "driver heap in use %.1f MB of %.0f MB%n", m, master, mem / 1e6, (double) mem / m, disk / 1e6,
                    (rt.totalMemory() - rt.freeMemory()) / 1e6, rt.maxMemory() / 1e6);
            r.particles().close();
            spark.deleteCheckpoints();
        } finally {
            h.stop();
        }
    }

    static double medianMillis(int repeats, Runnable job) {
        for (int i = 0; i < 3; i++) {
            job.run(); // warm-up
        }
        double[] t = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            job.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        return median(t);
    }

    static long javaBytes(java.io.Serializable o) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(b)) {
            out.writeObject(o);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return b.size();
    }

    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
