package org.lipflow.cli;

import org.lipflow.config.DataSpec;
import org.lipflow.config.RunSpec;
import org.lipflow.discriminator.Dl4jModels;
import org.lipflow.engine.FlowEngine;
import org.lipflow.engine.FlowProblem;
import org.lipflow.engine.FlowResult;
import org.lipflow.engine.InProcessEngine;
import org.lipflow.flow.Block;
import org.lipflow.flow.FlowListener;
import org.lipflow.flow.StepMetrics;
import org.lipflow.io.Json;
import org.lipflow.io.MetricsLog;
import org.lipflow.io.OutputDirectory;
import org.lipflow.io.Plots;
import org.lipflow.io.Table;
import org.lipflow.io.Tables;
import org.lipflow.util.Versions;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The {@code run} job: load target and source, run the flow on the chosen engine, and write
 * particles, metrics.jsonl, manifest.json and plots into an atomically committed directory.
 */
public final class RunJob {
    private final RunSpec spec;
    private final boolean sourceFollowsTarget;
    private final PrintWriter log;

    public RunJob(RunSpec spec, boolean sourceFollowsTarget, PrintWriter log) {
        this.spec = spec;
        this.sourceFollowsTarget = sourceFollowsTarget;
        this.log = log;
    }

    /** Runs and commits; returns the committed directory. */
    public Path run() throws IOException {
        OutputDirectory.checkTarget(Path.of(spec.outputDir()).toAbsolutePath(), spec.overwrite());
        Table target = DataLoader.load(spec.target());
        DataSpec sourceSpec = spec.source();
        if (sourceSpec.synthetic() != null && sourceFollowsTarget) {
            sourceSpec = DataLoader.withDimension(sourceSpec, target.block().dimension);
        }
        Table source = DataLoader.load(sourceSpec);
        if (source.block().dimension != target.block().dimension) {
            throw new IllegalArgumentException("dimension mismatch: target " + spec.target().describe() + " has "
                    + target.block().dimension + " feature columns, source " + sourceSpec.describe() + " has "
                    + source.block().dimension);
        }
        Block sourceBlock = source.block();
        if (target.block().labels != null && sourceBlock.labels == null) {
            sourceBlock = DataLoader.labelLike(sourceBlock, target.block(), spec.options().seed());
        } else if (target.block().labels == null && sourceBlock.labels != null) {
            sourceBlock = new Block(sourceBlock.rows, sourceBlock.dimension, sourceBlock.x, null, null);
        }
        int classes = classes(target.block(), sourceBlock);
        FlowProblem problem = new FlowProblem(spec.options(), target.block(), sourceBlock, classes);
        TreeSet<Integer> snapshotSteps = snapshotSteps(spec.options().steps(), spec.snapshots());
        Instant started = Instant.now();
        try (OutputDirectory out = new OutputDirectory(spec.outputDir(), spec.overwrite());
             MetricsLog metrics = new MetricsLog(out.path());
             FlowEngine engine = new InProcessEngine(spec.threads())) {
            log.println("lipflow: engine " + engine.name() + " (" + why() + "); M = " + sourceBlock.rows + " particles, N = "
                    + target.block().rows + " targets, d = " + target.block().dimension + (classes > 1 ? ", K = " + classes : ""));
            List<StepMetrics> history = new ArrayList<>();
            Progress progress = new Progress(spec.options().steps(), spec.progress() ? log : null);
            Path dir = out.path();
            boolean plots = spec.plots() && target.block().dimension >= 2;
            FlowResult result = engine.run(problem, new FlowListener() {
                @Override
                public void step(StepMetrics m) {
                    metrics.write(m);
                    history.add(m);
                    progress.update(m);
                }

                @Override
                public boolean wantsSnapshot(int step) {
                    return plots && snapshotSteps.contains(step);
                }

                @Override
                public void snapshot(int step, Block particles) {
                    try {
                        Plots.snapshot(dir, step, target.block(), particles);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
            progress.finish();
            Table particles = new Table(target.columns(), result.particles(), target.labelColumn() == null ? null : target.labelColumn());
            Tables.write(dir.resolve("particles." + spec.format()).toString(), particles, spec.format());
            if (plots) {
                Plots.curves(dir, history);
            }
            if (spec.saveDiscriminator()) {
                Dl4jModels.save(result.discriminator().layout, result.discriminator().params, dir.resolve("discriminator.zip").toFile());
            }
            writeManifest(dir, engine.name(), target, source, started, history);
            metrics.close();
            out.commit();
            log.println("lipflow: wrote " + out.target());
            return out.target();
        }
    }

    private String why() {
        return "engine.type = " + spec.engine();
    }

    private static int classes(Block target, Block source) {
        if (target.labels == null) {
            return 1;
        }
        int max = 0;
        for (int l : target.labels) {
            max = Math.max(max, l);
        }
        for (int l : source.labels) {
            max = Math.max(max, l);
        }
        return max + 1;
    }

    static TreeSet<Integer> snapshotSteps(int steps, int count) {
        TreeSet<Integer> s = new TreeSet<>();
        if (count == 1) {
            s.add(steps);
        } else {
            for (int i = 0; i < count; i++) {
                s.add((int) Math.round(i * (double) steps / (count - 1)));
            }
        }
        return s;
    }

    private void writeManifest(Path dir, String engine, Table target, Table source, Instant started,
                               List<StepMetrics> history) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "run");
        m.put("seed", spec.options().seed());
        m.put("engine", engine);
        m.put("engine_reason", why());
        m.put("options", spec.options().toString());
        m.put("config", new Json.Raw(spec.resolvedConfig()));
        m.put("versions", Versions.all());
        m.put("target", DataLoader.describe(spec.target(), target));
        m.put("source", DataLoader.describe(spec.source(), source));
        m.put("particles_file", "particles." + spec.format());
        m.put("started", started.toString());
        m.put("finished", Instant.now().toString());
        if (!history.isEmpty()) {
            StepMetrics last = history.get(history.size() - 1);
            m.put("final", Map.of("step", last.step(), "divergence", last.divergence(),
                    "kinetic_energy", last.kineticEnergy(), "max_speed", last.maxSpeed()));
        }
        Files.writeString(dir.resolve("manifest.json"), Json.write(m) + "\n", StandardCharsets.UTF_8);
    }
}
