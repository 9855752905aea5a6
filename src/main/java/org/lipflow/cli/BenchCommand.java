package org.lipflow.cli;

import org.lipflow.config.LipflowConfig;
import org.lipflow.data.SyntheticData;
import org.apache.spark.api.java.JavaSparkContext;
import org.lipflow.engine.FlowEngine;
import org.lipflow.engine.FlowProblem;
import org.lipflow.engine.FlowResult;
import org.lipflow.engine.InProcessEngine;
import org.lipflow.engine.ParticleSource;
import org.lipflow.engine.TargetSamples;
import org.lipflow.engine.spark.SparkEngine;
import org.lipflow.engine.spark.SparkSessions;
import org.lipflow.engine.spark.SparkSettings;
import org.lipflow.flow.Block;
import org.lipflow.discriminator.LipschitzConstraint;
import org.lipflow.flow.FlowOptions;
import org.lipflow.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code lipflow bench}: milliseconds per outer step and particle-steps per second over a grid of
 * M = N and d, with the reference network (hidden [32,32,32], 3 discriminator steps, full batch,
 * one Euler move per step) and the peer benchmark's data: Q ~ N(0, I), P ~ N(3, 0.5² I).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmark ms per outer step over M = N and d.")
final class BenchCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Option(names = "--Ms", defaultValue = "200,10000,100000,1000000", split = ",", description = "M = N values (default ${DEFAULT-VALUE})")
    int[] ms;

    @Option(names = "--ds", defaultValue = "2,50", split = ",", description = "dimensions (default ${DEFAULT-VALUE})")
    int[] ds;

    @Option(names = "--steps", defaultValue = "10", description = "timed steps per configuration (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--warmup", defaultValue = "3", description = "untimed warm-up steps (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--threads", defaultValue = "0", description = "worker threads; 0 = all cores")
    int threads;

    @Option(names = "--max-seconds", defaultValue = "120", description = "skip a configuration whose estimated time exceeds this")
    double maxSeconds;

    @Option(names = "--json", description = "also write the results to this file")
    Path json;

    @Option(names = "--engine", defaultValue = "inprocess", description = "inprocess | spark (default ${DEFAULT-VALUE})")
    String engine;

    @Option(names = "--master", defaultValue = "local[*]", description = "Spark master for --engine spark (default ${DEFAULT-VALUE})")
    String master;

    @Option(names = "--partitions", defaultValue = "0", description = "Spark partitions; 0 = default parallelism")
    int partitions;

    @Option(names = "--constraint", defaultValue = "project",
            description = "discriminator.constraint: project | rescale | gradient-penalty (default ${DEFAULT-VALUE})")
    String constraint;

    @Option(names = "--hidden", defaultValue = "32,32,32", split = ",",
            description = "hidden layer widths (default ${DEFAULT-VALUE}; the pixel network: 512,256,128)")
    int[] hidden;

    @Option(names = "--gemm", description = "also measure fp32 GEMM (n x n x n) with ND4J and with lipflow's kernel, GFLOP/s")
    int gemm;

    private SparkEngine spark;
    private Map<String, Object> gemmResult;

    @Override
    public Integer call() throws Exception {
        if (!engine.equals("inprocess") && !engine.equals("spark")) {
            throw new IllegalArgumentException("--engine must be inprocess or spark, got '" + engine + "'");
        }
        LipschitzConstraint.Mode.parse(constraint); // a bad --constraint fails before anything starts
        SparkSessions.Handle handle = null;
        if (engine.equals("spark")) {
            handle = SparkSessions.open(master);
            spark = new SparkEngine(JavaSparkContext.fromSparkContext(handle.session().sparkContext()),
                    new SparkSettings(partitions, 50, "", 256L << 20, 1, 1));
        }
        try {
            if (gemm > 0) {
                Map<String, Object> g = GemmRate.measure(gemm, threads);
                command.commandLine().getOut().printf("fp32 GEMM %d^3: ND4J %.1f GFLOP/s (%s threads), lipflow kernel %.1f GFLOP/s"
                        + " (1 thread)%n", gemm, g.get("nd4j_gflops"), g.get("nd4j_threads"), g.get("kernel_gflops"));
                gemmResult = g;
            }
            return bench();
        } finally {
            if (handle != null && handle.started()) {
                handle.stop();
            }
        }
    }

    private Integer bench() throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        command.commandLine().getOut().printf("%5s %9s %12s %12s %18s%n", "d", "M=N", "ms/step", "(mean)", "particle-steps/s");
        for (int d : ds) {
            warmUpJit(d);
            double prevMsPerRow = -1;
            for (int m : ms) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("d", d);
                row.put("M", m);
                double estimate = prevMsPerRow * m * (steps + warmup) / 1000;
                if (prevMsPerRow > 0 && estimate > maxSeconds) {
                    row.put("skipped", String.format("estimated %.0f s > %.0f s", estimate, maxSeconds));
                    command.commandLine().getOut().printf("%5d %9d  skipped: %s%n", d, m, row.get("skipped"));
                    rows.add(row);
                    continue;
                }
                double[] t = time(d, m);
                double[] sorted = t.clone();
                Arrays.sort(sorted);
                double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                        : 0.5 * (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]);
                double mean = Arrays.stream(t).average().orElse(Double.NaN);
                prevMsPerRow = median / m;
                row.put("ms_median", median);
                row.put("ms_mean", mean);
                row.put("particle_steps_per_s", m / (median / 1000));
                double flops = GemmRate.flopsPerStep(options(d, m).layout(d, 1), m, m, options(d, m).training().steps());
                row.put("gflop_per_step", flops / 1e9);
                row.put("gflop_per_s", flops / (median / 1000) / 1e9);
                rows.add(row);
                command.commandLine().getOut().printf("%5d %9d %12.3f %12.3f %18.4g%n", d, m, median, mean, m / (median / 1000));
            }
        }
        if (json != null) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("engine", engine);
            if (spark != null) {
                report.put("master", master);
                report.put("partitions", spark.partitions());
            }
            report.put("constraint", constraint);
            report.put("hidden", hidden);
            if (gemmResult != null) {
                report.put("gemm", gemmResult);
            }
            report.put("threads", threads == 0 ? Runtime.getRuntime().availableProcessors() : threads);
            report.put("java", System.getProperty("java.version"));
            report.put("results", rows);
            Files.writeString(json, Json.write(report) + "\n", StandardCharsets.UTF_8);
        }
        return 0;
    }

    /** Compiles the hot loops before anything is timed (small M would otherwise time the JIT). */
    private void warmUpJit(int d) {
        long until = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < until) {
            int saved = steps;
            // the reference network warms up at 2,000 rows (both threads); a wider one at the smallest M
            time(d, Arrays.equals(hidden, new int[]{32, 32, 32}) ? 2000 : Arrays.stream(ms).min().orElse(200));
            steps = saved;
        }
    }

    /**
     * warmup + steps + 1 flow steps: the flow's last step only moves (no discriminator is trained
     * after it), so it runs untimed and every timed step is a whole one (train + move, as the peer's).
     */
    private FlowOptions options(int d, int m) {
        return LipflowConfig.defaultFlowOptions().toBuilder().steps(warmup + steps + 1)
                .constraint(LipschitzConstraint.Mode.parse(constraint)).hidden(hidden).build();
    }

    /** Per-step wall times (ms) of the timed steps. */
    private double[] time(int d, int m) {
        FlowOptions o = options(d, m);
        Block q = SyntheticData.generate(new SyntheticData.Spec("gaussian", m, 1, d, 0, 1, 1, false));
        FlowProblem problem = new FlowProblem(o, TargetSamples.of(q),
                ParticleSource.generated(new SyntheticData.Spec("gaussian", m, 2, d, 3, 0.5, 1, false)));
        double[] times = new double[steps];
        long[] last = {System.nanoTime()};
        FlowEngine engine = spark != null ? spark : new InProcessEngine(threads);
        // the Spark engine times its jobs itself; in process, time from one step's report to the next
        FlowResult r = engine.run(problem, metrics -> {
            long now = System.nanoTime();
            int i = metrics.step() - warmup - 1;
            if (i >= 0 && i < times.length) {
                times[i] = spark != null ? metrics.millis() : (now - last[0]) / 1e6;
            }
            last[0] = now;
        });
        r.particles().close();
        if (spark != null) {
            spark.deleteCheckpoints();
        }
        return times;
    }
}
