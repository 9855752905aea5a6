package org.lipflow.cli;

import org.apache.spark.api.java.JavaSparkContext;
import org.lipflow.checkpoint.RunCheckpoints;
import org.lipflow.config.DataSpec;
import org.lipflow.config.LipflowConfig;
import org.lipflow.config.RunSpec;
import org.lipflow.discriminator.Dl4jModels;
import org.lipflow.engine.FlowEngine;
import org.lipflow.engine.FlowProblem;
import org.lipflow.engine.FlowResult;
import org.lipflow.engine.InProcessEngine;
import org.lipflow.engine.MemoryCheck;
import org.lipflow.engine.spark.Checkpoints;
import org.lipflow.engine.ParticleSource;
import org.lipflow.engine.Particles;
import org.lipflow.engine.TargetSamples;
import org.lipflow.engine.spark.SparkEngine;
import org.lipflow.engine.spark.SparkSessions;
import org.lipflow.engine.spark.SparkSource;
import org.lipflow.flow.Block;
import org.lipflow.flow.BlowupGuard;
import org.lipflow.flow.DiscriminatorState;
import org.lipflow.flow.FlowListener;
import org.lipflow.flow.NumericalHealth;
import org.lipflow.flow.StepMetrics;
import org.lipflow.flow.StopRule;
import org.lipflow.io.FileSystems;
import org.lipflow.io.ImageGrids;
import org.lipflow.io.Json;
import org.lipflow.io.MetricsLog;
import org.lipflow.io.OutputDirectory;
import org.lipflow.io.Plots;
import org.lipflow.io.SnapshotPlots;
import org.lipflow.io.Table;
import org.lipflow.latent.LatentModels;
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
 * The {@code run} job: load the target, choose the engine, run the flow, and write particles,
 * metrics.jsonl, manifest.json, the discriminator and plots into an atomically committed
 * directory.
 */
public final class RunJob {
    private final RunSpec spec;
    private final boolean sourceFollowsTarget;
    /** stderr: warnings and the progress line (output.progress). */
    private final PrintWriter log;
    /** The informational lines (engine, where it wrote...): stderr, or nowhere with output.quiet (--quiet). */
    private final PrintWriter info;
    private final boolean quiet;
    /** The run's checkpoints and what it resumes from ({@link RunCheckpoints}). */
    private RunCheckpoints checkpoints;
    /** The source's id column on its way to the output (source.id-column), or null. */
    private SourceIds sourceIds;
    /** data.standardize: the flow's units and the way back to the user's. */
    private RunScaling scaling;

    public RunJob(RunSpec spec, boolean sourceFollowsTarget, PrintWriter log) {
        this(spec, sourceFollowsTarget, log, false);
    }

    /** @param quiet output.quiet: no informational lines; warnings and errors still go to {@code log} */
    public RunJob(RunSpec spec, boolean sourceFollowsTarget, PrintWriter log, boolean quiet) {
        this.spec = spec;
        this.sourceFollowsTarget = sourceFollowsTarget;
        this.log = log;
        this.quiet = quiet;
        this.info = quiet ? new PrintWriter(java.io.Writer.nullWriter()) : log;
    }

    /** Which engine runs and why. */
    record Choice(String engine, String reason) {
    }

    /** Runs and commits; returns the committed directory's URI. */
    public String run() throws IOException {
        InputFiles.of(spec).check(choose(spec.source()).engine().equals("spark")); // named by its key before anything starts
        try (RunCheckpoints cp = RunCheckpoints.open(LipflowConfig.checkpointOptions(spec), spec.outputDir(),
                spec.resolvedConfig(), spec.options().flow().steps(), log, org.lipflow.io.FileSystems.hadoopConf())) {
            checkpoints = cp;
            if (quiet) {
                cp.silenceNotes();
            }
            return runChecked();
        }
    }

    /** A resumed run replaces the output of the run it continues (a previous lipflow output, see OutputDirectory). */
    private boolean overwrite() {
        return spec.overwrite() || checkpoints.resume() != null;
    }

    private String runChecked() throws IOException {
        OutputDirectory.checkTarget(spec.outputDir(), overwrite(), inputs());
        Choice choice = choose(spec.source());
        boolean onSpark = choice.engine().equals("spark");
        if (!onSpark) { // the kernel's loops compile on another core while the run starts up
            org.lipflow.discriminator.KernelWarmUp.start(spec.options().layout(
                    spec.target().synthetic() != null ? spec.target().synthetic().dimension() : 2, 1));
        }
        if (spec.saveDiscriminator()) { // ND4J's backend loads on another core while the flow runs
            Dl4jModels.warmUp(spec.options().layout(2, 1));
        }
        for (DataSpec d : List.of(spec.target(), spec.source())) {
            if (!onSpark && d.path() != null && !d.read().vectorColumn().isEmpty()) {
                throw new IllegalArgumentException(d.describe() + ": features-column (a Spark ML vector column) needs engine.type = spark");
            }
        }
        if (!spec.latentModel().isEmpty()) {
            LatentModels.descriptor(spec.latentModel()); // a missing or bad model is reported before Spark starts
        }
        SparkSessions.Handle handle = onSpark ? SparkSessions.open(spec.master(), spec.sparkUi(), spec.progress()) : null;
        SparkSessions.uiUrl(handle).ifPresent(url -> info.println("lipflow: Spark UI at " + url));
        try {
            return run(choice, handle);
        } finally {
            if (handle != null && handle.started()) {
                handle.stop();
            }
        }
    }

    private String run(Choice choice, SparkSessions.Handle handle) throws IOException {
        SparkData.Target sparkTarget = handle == null ? null : spec.target().path() != null
                ? SparkData.target(handle.session(), spec.target(), spec.spark(), partitions(handle))
                : SparkData.generatedTarget(handle.session(), spec.target().synthetic(), spec.spark(), partitions(handle));
        Table dataTarget = sparkTarget != null ? sparkTarget.table() : DataLoader.load("target", spec.target());
        TargetSamples targetSamples = sparkTarget != null ? sparkTarget.samples() : TargetSamples.of(dataTarget.block());
        try (LatentRun latent = spec.latentModel().isEmpty() ? null : LatentRun.open(spec.latentModel(), handle == null ? null
                : JavaSparkContext.fromSparkContext(handle.session().sparkContext()))) {
            // in latent mode the flow sees the encoded target; dataTarget keeps the columns the particles are written with
            Table target = dataTarget;
            if (latent != null && spec.latentDimension() > 0 && spec.latentDimension() != latent.model.latentDimension()) {
                throw new IllegalArgumentException("latent.dimension = " + spec.latentDimension() + " does not match the model in "
                        + spec.latentModel() + " (k = " + latent.model.latentDimension() + "); a run takes k from its model: "
                        + "leave latent.dimension unset or equal to it");
            }
            if (latent != null) {
                latent.checkColumns(InputFiles.named("target", spec.target()), dataTarget.columns());
                target = latent.encode(dataTarget);
                targetSamples = latent.encode(targetSamples, target);
            }
            return run(choice, handle, dataTarget, target, targetSamples, sparkTarget != null, latent);
        }
    }

    private String run(Choice choice, SparkSessions.Handle handle, Table dataTarget, Table target, TargetSamples targetSamples,
                       boolean sparkTarget, LatentRun latent) throws IOException {
        DataSpec sourceSpec = spec.source();
        if (sourceSpec.synthetic() != null && sourceFollowsTarget) {
            sourceSpec = DataLoader.withDimension(sourceSpec, target.block().dimension);
        }
        Instant started = Instant.now();
        scaling = RunScaling.fit(RunScaling.enabled(spec), targetSamples, latent == null ? "data" : "latent", target.columns());
        Table flowTarget = scaling.apply(target);
        TargetSamples flowSamples = scaling.apply(targetSamples, target, flowTarget);
        try (RunMonitors monitors = RunMonitors.open(spec, dataTarget, latent); // a bad reference fails before any output
             OutputDirectory out = new OutputDirectory(spec.outputDir(), overwrite(), inputs(), info);
             SnapshotPlots snapshotPlots = new SnapshotPlots(); // closed before out: no plot is drawn into a removed output
             MetricsLog metrics = new MetricsLog(out.local());
             FlowEngine engine = handle != null
                     ? new SparkEngine(JavaSparkContext.fromSparkContext(handle.session().sparkContext()),
                             Checkpoints.withDefaultDirectory(spec.spark(), handle.session().sparkContext().master(),
                                     FileSystems.qualified(out.uri(".checkpoints"))))
                     : new InProcessEngine(spec.threads())) {
            Recorder recorder = new Recorder(out.local(), target.block(), metrics, monitors, snapshotPlots);
            Map<String, Object> source = new LinkedHashMap<>();
            ParticleSource particles0 = scaling.apply(source(sourceSpec, handle, target, targetSamples.classCounts(), source, latent));
            FlowProblem problem = new FlowProblem(spec.options(), flowSamples, particles0);
            int classes = problem.labels().classes();
            Map<String, Object> targetInfo = describe(spec.target(), dataTarget);
            checkpoints.checkInputs(fingerprints(targetInfo, source, latent));
            // the guards see the flow's units (standardised: the target's spread is sqrt(d) less its constant features)
            double flowSpread = BlowupGuard.spread(flowTarget.block());
            info.println("lipflow: engine " + engine.name() + " (" + choice.reason() + ") on " + engine.placement() + "; M = "
                    + (particles0.rows() >= 0 ? Long.toString(particles0.rows()) : "?") + " particles, N = " + targetSamples.rows()
                    + " targets, d = " + targetSamples.dimension() + (classes > 1 ? ", K = " + classes : "") + "; "
                    + scaling.logLine(spec.options().divergence().lipschitz(), spec.options().flow().dt(), flowSpread));
            NumericalHealth.stepWarning(spec.stepWarningFraction(), spec.options(), flowSpread)
                    .ifPresent(w -> log.println("lipflow: " + w));
            FlowListener guarded = new BlowupGuard(spec.blowupFactor(), flowSpread,
                    spec.options().divergence().lipschitz() * spec.options().flow().dt(), recorder);
            if (monitors != null) {
                monitors.start(particles0.rows() >= 0 ? particles0.rows() : ((Number) source.get("rows")).longValue(), handle,
                        scaling.scaling);
                monitors.restore(checkpoints.restoredMonitors());
            }
            recorder.replay(checkpoints.restoredMetrics(), guarded);
            StopRule.Options stopOptions = spec.options().flow().stop();
            StopRule restored = StopRule.replay(stopOptions, checkpoints.restoredMetrics());
            if (restored.stopped()) { // the engines replay the same monitors and run no step
                info.println("lipflow: the resumed run stopped at step " + checkpoints.resume().step + " (" + restored.reason()
                        + "): no step left to run; writing its output as of that step");
            }
            FlowResult r = engine.run(problem, guarded, checkpoints);
            StopRule stop = StopRule.replay(stopOptions, recorder.history);
            if (stop.stopped() && !recorder.history.isEmpty()) {
                info.println("lipflow: stopped after step " + recorder.history.get(recorder.history.size() - 1).step() + " of "
                        + spec.options().flow().steps() + ": " + stop.reason());
            }
            try (Particles flowParticles = r.particles(); SourceIds ids = sourceIds) {
                Particles particles = scaling.invert(flowParticles); // in data units (a latent run's: the model's code units)
                if (latent != null) {
                    write(particles, ids, out.uri("latent-particles." + spec.format()), target.columns(), target.labelColumn());
                    long t0 = System.nanoTime();
                    try (Particles decoded = latent.decode(particles)) { // one map over the blocks, fused into the write
                        write(decoded, ids, out.uri("particles." + spec.format()), dataTarget.columns(), dataTarget.labelColumn());
                    }
                    info.printf("lipflow: decoded and wrote particles.%s in %.1f s%n", spec.format(), (System.nanoTime() - t0) / 1e9);
                } else {
                    write(particles, ids, out.uri("particles." + spec.format()), target.columns(), target.labelColumn());
                }
            }
            if (engine instanceof SparkEngine spark) {
                spark.deleteCheckpoints(); // the particles are written: the lineage cuts are of no further use
            }
            DiscriminatorState discriminator = r.discriminator();
            snapshotPlots.finish();
            if (recorder.plots) {
                Plots.curves(out.local(), recorder.history);
                if (monitors != null) {
                    monitors.plot(out.local());
                }
                if (sourceSpec.path() != null) {
                    integrationPlots(out.local(), target.block(), recorder);
                }
                // images are drawn in data space: a latent run's last snapshot is decoded first
                ImageGrids.forRun(out.local(), dataTarget,
                        latent != null && recorder.last != null ? latent.decode(recorder.last) : recorder.last);
            }
            if (spec.saveDiscriminator()) {
                Dl4jModels.save(discriminator.layout, discriminator.params, out.local().resolve("discriminator.zip").toFile());
            }
            if (sparkTarget) {
                targetInfo.put("rows", targetSamples.rows()); // the table may be a sample of a co-partitioned target
                targetInfo.put("co_partitioned", targetSamples.local() == null);
            }
            writeManifest(out.local(), choice, targetInfo, source, started, recorder.history,
                    latent == null ? null : latent.describe(spec.format()), monitors == null ? null : monitors.describe());
            metrics.close();
            out.commit();
            info.println("lipflow: wrote " + out.target());
            return out.target();
        }
    }

    /**
     * A source data set transported onto the target (data integration): integration-before.png
     * (target vs source) and integration-after.png (target vs transported source) in the flow's
     * first two coordinates (a latent run's: PCA scores for a PCA model), coloured by batch, marked by label.
     */
    private static void integrationPlots(Path dir, Block target, Recorder recorder) throws IOException {
        if (recorder.first != null) {
            Plots.batches(dir.resolve("integration-before.png"), "before: reference and source", target, "source",
                    recorder.first, 0, 1);
        }
        if (recorder.last != null && recorder.last != recorder.first) {
            Plots.batches(dir.resolve("integration-after.png"), "after: reference and transported source", target,
                    "transported", recorder.last, 0, 1);
        }
    }

    /** Writes particles, with the source's id column first when it has one (source.id-column). */
    private void write(Particles particles, SourceIds ids, String uri, String[] columns, String labelColumn) throws IOException {
        if (ids == null) {
            particles.write(uri, columns, labelColumn, spec.format());
        } else {
            ids.write(particles, uri, columns, labelColumn, spec.format());
        }
    }

    /**
     * The initial particles: generated (by the engine, where its particles live), a file read by
     * Spark on the Spark engine, or a file read here. Fills {@code description} for the manifest.
     */
    private ParticleSource source(DataSpec sourceSpec, SparkSessions.Handle handle, Table target, long[] targetClassCounts,
                                  Map<String, Object> description, LatentRun latent) throws IOException {
        ParticleSource particles;
        if (sourceSpec.synthetic() != null) {
            if (sourceSpec.synthetic().labels() && targetClassCounts == null) {
                throw new IllegalArgumentException(DataLoader.unlabelledTarget(sourceSpec));
            }
            if (handle == null) {
                MemoryCheck.checkInProcess(sourceSpec.synthetic().n(), target.block(), spec.options());
            } else {
                MemoryCheck.checkSparkPartitions(sourceSpec.synthetic().n(), target.block().dimension, partitions(handle));
            }
            particles = ParticleSource.generated(sourceSpec.synthetic());
            description.putAll(describe(sourceSpec, null));
        } else if (handle != null) {
            SparkData.Source s = SparkData.source(handle.session(), sourceSpec, partitions(handle));
            particles = new SparkSource(SparkData.checkLabels(s, targetClassCounts, sourceSpec), s.dimension());
            sourceIds = s.ids();
            if (latent != null) {
                particles = latent.encode((SparkSource) particles, InputFiles.named("source", sourceSpec));
            }
            description.putAll(Map.of("uri", sourceSpec.describe(), "read_by", "spark", "rows", s.rows(),
                    "sha256", "not computed: read by Spark on the executors (hashing would read the whole source on the driver)"));
            if (sourceIds != null) {
                description.put("id_column", sourceIds.column);
            }
        } else {
            Table s = DataLoader.load("source", sourceSpec);
            DataLoader.checkLabels(s.block(), targetClassCounts, sourceSpec);
            sourceIds = s.ids() == null ? null : SourceIds.local(s.ids());
            description.putAll(describe(sourceSpec, s));
            if (latent != null) {
                latent.checkColumns(InputFiles.named("source", sourceSpec), s.columns());
                s = latent.encode(s);
            }
            particles = ParticleSource.of(s.block());
        }
        if (particles.dimension() != target.block().dimension) {
            throw new IllegalArgumentException("dimension mismatch: " + InputFiles.named("target", spec.target()) + " has "
                    + target.block().dimension + " feature columns, " + InputFiles.named("source", sourceSpec) + " has "
                    + particles.dimension());
        }
        return particles;
    }

    /** What a resumed run's inputs must still be: contents (hashes, generator specs, rows, columns), not locations. */
    private Map<String, Object> fingerprints(Map<String, Object> target, Map<String, Object> source, LatentRun latent) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", target);
        m.put("source", source);
        if (latent != null) {
            m.put("latent_model", latent.describe(spec.format()).get("descriptor_sha256"));
        }
        if (scaling.fingerprint() != null) {
            // a resumed run must standardise exactly as the checkpoint's; after target.* and source.* (a changed file is named first)
            m.put("target_standardization", scaling.fingerprint());
        }
        return m;
    }

    /** The run's input files: an output directory that holds one of them is never replaced. */
    private List<String> inputs() {
        String reference = LipflowConfig.monitorOptions(spec).reference();
        return java.util.stream.Stream.of(spec.target().path(), spec.source().path(),
                spec.latentModel().isEmpty() ? null : spec.latentModel(), reference.isEmpty() ? null : reference)
                .filter(java.util.Objects::nonNull).toList();
    }

    private int partitions(SparkSessions.Handle handle) {
        return spec.spark().partitions() > 0 ? spec.spark().partitions() : handle.session().sparkContext().defaultParallelism();
    }

    /** engine.type, or for auto: in-process for a local master and at most engine.auto-max-particles. */
    Choice choose(DataSpec source) {
        if (!spec.engine().equals("auto")) {
            return new Choice(spec.engine(), "engine.type = " + spec.engine());
        }
        boolean local = spec.master().startsWith("local[") || spec.master().equals("local");
        long m = source.synthetic() != null ? source.synthetic().n() : -1;
        if (local && m >= 0 && m <= spec.autoMaxParticles()) {
            return new Choice("inprocess", "auto: " + m + " particles <= engine.auto-max-particles and a local master");
        }
        if (local && m < 0) {
            return new Choice("inprocess", "auto: a source file read on the driver and a local master");
        }
        return new Choice("spark", "auto: " + (local ? m + " particles > engine.auto-max-particles" : "master " + spec.master()));
    }

    private static Map<String, Object> describe(DataSpec spec, Table t) throws IOException {
        if (t == null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("uri", spec.describe());
            m.put("rows", spec.synthetic().n());
            m.put("synthetic", spec.synthetic().toString());
            return m;
        }
        return DataLoader.describe(spec, t);
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

    /** Receives the engine's monitors: metrics.jsonl, progress line, history for curves, snapshot plots. */
    private final class Recorder implements FlowListener {
        final List<StepMetrics> history = new ArrayList<>();
        final Progress progress = new Progress(spec.options().flow().steps(), spec.progress() ? log : null);
        final TreeSet<Integer> snapshots = snapshotSteps(spec.options().flow().steps(), spec.snapshots());
        final boolean plots;
        final Path dir;
        final Block target;
        final MetricsLog metrics;
        /** The quality monitors (monitor.*), or null. */
        final RunMonitors monitors;
        final SnapshotPlots snapshotPlots;
        Block last; // the latest snapshot: the final particles' image grid
        Block first; // the step-0 snapshot: the source before the flow

        Recorder(Path dir, Block target, MetricsLog metrics, RunMonitors monitors, SnapshotPlots snapshotPlots) {
            this.dir = dir;
            this.target = target;
            this.metrics = metrics;
            this.monitors = monitors;
            this.snapshotPlots = snapshotPlots;
            this.plots = spec.plots() && target.dimension >= 2;
        }

        private boolean replaying;

        @Override
        public void step(StepMetrics m) {
            metrics.write(m, monitors == null ? Map.of() : monitors.fields(m.step()));
            history.add(m);
            if (!replaying) {
                progress.update(m);
            }
        }

        /** The monitors of a resumed run's earlier steps, through the listeners (metrics.jsonl, guard) but not the progress line. */
        void replay(List<StepMetrics> restored, FlowListener chain) {
            replaying = true;
            try {
                restored.forEach(chain::step);
            } finally {
                replaying = false;
            }
        }

        @Override
        public boolean wantsSnapshot(int step) {
            return plots && snapshots.contains(step);
        }

        @Override
        public boolean wantsMonitor(int step) {
            return monitors != null && monitors.due(step);
        }

        @Override
        public void monitor(int step, org.lipflow.flow.LiveParticles particles) {
            checkpoints.monitors(step, monitors.measure(step, particles)); // checkpoints carry them for a resume
        }

        @Override
        public void snapshot(int step, Block flowParticles) {
            Block particles = scaling.invert(flowParticles); // plots in data units
            last = particles;
            if (step == 0) { // the in-process engine goes on moving its block in place
                first = particles == flowParticles ? particles.copy() : particles;
            }
            snapshotPlots.submit(dir, step, target, particles); // drawn off the flow's thread
        }
    }

    private void writeManifest(Path dir, Choice choice, Map<String, Object> target, Map<String, Object> source,
                               Instant started, List<StepMetrics> history, Map<String, Object> latent,
                               Map<String, Object> monitors) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "run");
        m.put("seed", spec.options().seed());
        m.put("engine", choice.engine());
        m.put("engine_reason", choice.reason());
        m.put("options", spec.options().toString());
        m.put("config", new Json.Raw(spec.resolvedConfig()));
        m.put("versions", Versions.all());
        m.put("target", target);
        m.put("source", source);
        m.put("particles_file", "particles." + spec.format());
        m.put("standardization", scaling.describe());
        if (checkpoints.enabled()) {
            m.put("checkpoints", checkpoints.describe());
        }
        if (checkpoints.resume() != null) {
            m.put("resumed_from", Map.of("step", checkpoints.resume().step, "checkpoint", checkpoints.resume().toString()));
        }
        if (latent != null) {
            m.put("latent", latent); // the flow ran in this model's latent space; particles_file holds the decoded particles
        }
        if (monitors != null) {
            m.put("monitors", monitors);
        }
        Runtime rt = Runtime.getRuntime();
        System.gc(); // the heap the driver still holds after the run, not garbage
        m.put("driver_heap_used_mb", (rt.totalMemory() - rt.freeMemory()) >> 20);
        m.put("driver_heap_max_mb", rt.maxMemory() >> 20);
        m.put("started", started.toString());
        m.put("finished", Instant.now().toString());
        if (!history.isEmpty()) {
            StepMetrics last = history.get(history.size() - 1);
            m.put("final", Map.of("step", last.step(), "divergence", last.divergence(),
                    "kinetic_energy", last.kineticEnergy(), "max_speed", last.maxSpeed()));
            StopRule stop = StopRule.replay(spec.options().flow().stop(), history);
            if (stop.stopped()) {
                m.put("stopped", stop.describe(last.step()));
            }
        }
        Files.writeString(dir.resolve("manifest.json"), Json.write(m) + "\n", StandardCharsets.UTF_8);
    }
}
