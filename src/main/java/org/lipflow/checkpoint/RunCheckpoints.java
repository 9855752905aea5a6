package org.lipflow.checkpoint;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ShutdownHookManager;
import org.lipflow.discriminator.MlpLayout;
import org.lipflow.flow.Block;
import org.lipflow.flow.DiscriminatorState;
import org.lipflow.flow.FlowListener;
import org.lipflow.flow.StepMetrics;
import org.lipflow.io.Json;
import org.lipflow.util.Versions;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The checkpoints of one run: when to write one (every {@code checkpoint.interval} steps, at the
 * last step, and at the next step boundary after a termination signal), what goes into it, and
 * what a resumed run continues from. Engines call {@link #due}, {@link #begin} and {@link #commit}
 * at step boundaries and read their particles back through {@link Resume#parts()}; this class
 * holds the monitors so far, so that a checkpoint carries the whole history of the run.
 *
 * <p>A checkpoint at step n holds the particles after step n's move and θ as step n+1 moves with
 * it (trained for step n+1 and averaged, with that training's H), except at the run's last step,
 * where θ has not trained for a next step ({@code trained = false}) and the resumed run trains it
 * first. Every random stream is a pure function of (seed, step, partition), so with the same
 * partitions a resumed run computes exactly what an uninterrupted one does.
 */
public final class RunCheckpoints implements AutoCloseable {
    /** Keys a resumed run may change: they do not change what the flow computes. */
    static final List<String> MAY_CHANGE = List.of("flow.steps", "output.", "checkpoint.", "estimate.", "engine.threads",
            "engine.task-threads", "engine.master", "engine.checkpoint-interval", "engine.checkpoint-dir", "engine.keep-checkpoints");
    /** How long a termination signal waits for the current step to end and its checkpoint to be written. */
    static final long STOP_WAIT_SECONDS = 120;
    /** Runs before Spark's and Hadoop's own shutdown hooks (Spark's context stops at 40, file systems close at 10). */
    static final int STOP_HOOK_PRIORITY = 60;

    /**
     * @param interval steps between checkpoints; 0 = no checkpoints
     * @param keep     complete checkpoints kept (the newest ones)
     * @param dir      where they go; "" = {@link #defaultDirectory} of the output
     * @param resume   continue from the newest usable checkpoint
     * @param auto     {@code checkpoint.interval = auto}: every {@link #AUTO_INTERVAL} steps, but only
     *                 once the run has been going for {@link #AUTO_AFTER_SECONDS} (see {@link #due})
     */
    public record Options(int interval, int keep, String dir, boolean resume, boolean auto) {
        public Options {
            if (interval < 0) {
                throw new IllegalArgumentException("checkpoint.interval must be >= 0 (0 = off), got " + interval);
            }
            if (keep < 1) {
                throw new IllegalArgumentException("checkpoint.keep must be >= 1, got " + keep);
            }
            if (auto && interval != AUTO_INTERVAL) {
                throw new IllegalArgumentException("checkpoint.interval = auto means every " + AUTO_INTERVAL + " steps, got " + interval);
            }
        }

        /** An explicit interval: a checkpoint every {@code interval} steps, however short the run. */
        public Options(int interval, int keep, String dir, boolean resume) {
            this(interval, keep, dir, resume, false);
        }

        /** {@code checkpoint.interval = auto}. */
        public static Options auto(int keep, String dir, boolean resume) {
            return new Options(AUTO_INTERVAL, keep, dir, resume, true);
        }

        public static final Options OFF = new Options(0, 1, "", false);
    }

    /** The interval of {@code checkpoint.interval = auto}. */
    public static final int AUTO_INTERVAL = 100;
    /**
     * {@code checkpoint.interval = auto} writes no periodic checkpoint before the run has been going
     * this long: a run killed earlier loses less than a minute, while at M = 200 (a few ms per
     * step) the fixed cost of a checkpoint every 100 steps is 15–30% of the run.
     */
    public static final double AUTO_AFTER_SECONDS = 60;

    /** No checkpoints and no resume: what engines use when nobody asks for checkpoints. */
    public static RunCheckpoints off() {
        return new RunCheckpoints(Options.OFF, null, "{}", null);
    }

    private final Options options;
    private final CheckpointStore store;
    private final String config;
    private final PrintWriter log;
    /** Whether the informational notes are printed ({@link #silenceNotes}). */
    private boolean notes = true;
    private final List<StepMetrics> history = new ArrayList<>();
    /** The quality monitors so far by step (monitor.*): they go into every checkpoint, as the metrics do. */
    private final TreeMap<Integer, Map<String, Object>> monitors = new TreeMap<>();
    private Map<String, Object> inputs = Map.of();
    private Resume resume;
    /** Said once the inputs are checked, so that a refusal is the only line. */
    private String resumeNote;
    private int lastWritten = -1;
    private boolean announced;
    /** Versions.all() once: it loads classes the first time. */
    private Map<String, Object> versions;
    private int written;
    private double writeMillis;
    private volatile boolean stopRequested;
    private final CountDownLatch stopHandled = new CountDownLatch(1);
    private Runnable hook;
    /** When the run opened its checkpoints (System.nanoTime): the start of {@code auto}'s waiting time. */
    private long openedNanos = System.nanoTime();

    private RunCheckpoints(Options options, CheckpointStore store, String config, PrintWriter log) {
        this.options = options;
        this.store = store;
        this.config = config;
        this.log = log;
    }

    /**
     * The default directory of a run's checkpoints: the hidden sibling {@code .NAME.checkpoints} of
     * its output NAME, on the same file system. Outside the output's temporary directory, so it
     * survives a killed driver (whose temporary output the next run removes) and never enters the
     * committed output.
     */
    public static String defaultDirectory(String out) {
        String q = org.lipflow.io.FileSystems.qualified(out);
        while (q.endsWith("/") && q.length() > 1) {
            q = q.substring(0, q.length() - 1); // an existing directory's URI ends with a slash
        }
        Path p = new Path(URI.create(q));
        return new Path(p.getParent(), "." + p.getName() + ".checkpoints").toString();
    }

    /**
     * Opens the checkpoints of a run. With {@code resume}, selects the newest usable checkpoint:
     * a corrupt or truncated one is skipped (with a warning) for the previous complete one; one of
     * another format version, one past {@code steps} or one written with another configuration is
     * refused (an {@link IllegalArgumentException}: exit 2). Without any, the run starts from step 0
     * and says so.
     *
     * @param out    the run's output (where the default directory is)
     * @param config the run's resolved configuration (HOCON rendered as JSON)
     * @param steps  the run's total steps
     * @param log    stderr: the resume notes and warnings
     */
    public static RunCheckpoints open(Options options, String out, String config, int steps, PrintWriter log, Configuration conf) {
        if (options.interval() == 0 && !options.resume()) {
            return new RunCheckpoints(options, null, config, log);
        }
        String dir = options.dir().isBlank() ? defaultDirectory(out) : options.dir();
        if (!options.dir().isBlank() && options.interval() > 0) {
            probe(dir);
        }
        RunCheckpoints cp = new RunCheckpoints(options, new CheckpointStore(dir, conf), config, log);
        if (options.resume()) {
            cp.select(steps);
        }
        if (options.interval() > 0) {
            cp.installStopHook();
        }
        return cp;
    }

    /**
     * A local checkpoint.dir must be creatable: found now rather than at the first checkpoint,
     * without creating anything (a run that fails on bad input leaves no directory behind).
     */
    static void probe(String dir) {
        java.nio.file.Path p = org.lipflow.io.FileSystems.isLocal(dir) ? java.nio.file.Path.of(dir).toAbsolutePath()
                : dir.startsWith("file:") ? java.nio.file.Path.of(URI.create(dir)) : null;
        while (p != null && !java.nio.file.Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            return;
        }
        if (!java.nio.file.Files.isDirectory(p)) {
            throw new IllegalArgumentException("checkpoint.dir " + dir + ": " + p + " is a file, not a directory");
        }
        if (!java.nio.file.Files.isWritable(p)) {
            throw new IllegalArgumentException("checkpoint.dir " + dir + ": cannot create a directory in " + p + " (permission denied)");
        }
    }

    public boolean enabled() {
        return options.interval() > 0;
    }

    /** The checkpoint this run continues from, or null for a run from step 0. */
    public Resume resume() {
        return resume;
    }

    /** Where the checkpoints are (null when off). */
    public String directory() {
        return store == null ? null : store.dir().toString();
    }

    // ------------------------------------------------------------------ resume

    private void select(int steps) {
        List<Integer> complete;
        try {
            complete = store.completeSteps();
        } catch (IOException e) {
            throw new IllegalArgumentException("checkpoint directory " + store.dir() + ": " + e.getMessage());
        }
        for (int step : complete) {
            Path dir = store.stepDir(step);
            try {
                Config m = store.manifest(step);
                int version = m.hasPath("format_version") ? m.getInt("format_version") : -1;
                if (version != CheckpointFiles.FORMAT_VERSION) {
                    throw new CheckpointFiles.UnsupportedVersion("checkpoint " + dir + " has format version " + version
                            + "; this lipflow reads version " + CheckpointFiles.FORMAT_VERSION
                            + " only: resume it with the lipflow that wrote it, or start afresh without --resume");
                }
                Resume r = Resume.of(store, dir, m);
                if (r.step > steps) {
                    throw new IllegalArgumentException("resume refused: the newest checkpoint (" + dir + ") is at step " + r.step
                            + ", past flow.steps = " + steps + "; --steps is the run's total: give at least " + r.step);
                }
                firstChange(m.getValue("config").render(ConfigRenderOptions.concise()), config, "").ifPresent(change -> {
                    throw new IllegalArgumentException("resume refused: " + change + " since the checkpoint of step " + r.step
                            + " (" + dir + "); a resumed run keeps its configuration (only flow.steps, output.*, checkpoint.*, "
                            + "engine.master/threads/task-threads and the lineage-cut keys may change): restore it, or start "
                            + "afresh without --resume");
                });
                resume = r;
                history.addAll(r.metrics);
                monitors.putAll(r.monitors);
                lastWritten = r.step;
                resumeNote = String.format("lipflow: resuming from the checkpoint of step %d/%d in %s", r.step, steps, dir);
                return;
            } catch (CheckpointFiles.CorruptCheckpoint | ConfigException e) {
                log("lipflow: warning: skipping checkpoint " + dir + ": " + e.getMessage().lines().findFirst().orElse("")
                        + "; trying the previous one");
            } catch (IOException e) {
                log("lipflow: warning: skipping checkpoint " + dir + ": cannot read it (" + e.getMessage() + "); trying the previous one");
            }
        }
        log("lipflow: --resume: no " + (complete.isEmpty() ? "" : "usable ") + "checkpoint in " + store.dir()
                + "; starting from step 0");
    }

    /**
     * Records the run's input fingerprints (written into every checkpoint) and, when resuming,
     * refuses inputs that differ from the checkpoint's. Locations ({@code uri}) may differ; contents
     * (hashes, generator specs, rows, columns) may not.
     */
    public void checkInputs(Map<String, Object> inputs) {
        this.inputs = new LinkedHashMap<>(inputs);
        if (resume != null) {
            firstChange(resume.inputs, Json.write(inputs), "input ").ifPresent(change -> {
                throw new IllegalArgumentException("resume refused: " + change + " since the checkpoint of step " + resume.step
                        + " (" + resume.dir + "): the inputs changed; restore them, or start afresh without --resume");
            });
            note(resumeNote);
        }
    }

    /**
     * The first difference between two JSON objects' leaves, ignoring the keys a resumed run may
     * change and the inputs' locations: "discriminator.steps was 3, is 5".
     */
    static Optional<String> firstChange(String before, String now, String prefix) {
        Map<String, String> a = leaves(before), b = leaves(now);
        TreeMap<String, String[]> diff = new TreeMap<>();
        for (String k : a.keySet()) {
            if (!a.get(k).equals(b.get(k))) {
                diff.put(k, new String[]{a.get(k), b.get(k)});
            }
        }
        // a key the checkpoint's lipflow did not know yet, at its default, is how that lipflow ran: no change
        Map<String, String> defaults = prefix.isEmpty() ? leaves(org.lipflow.config.LipflowConfig.defaults().root()
                .render(ConfigRenderOptions.concise())) : Map.of();
        for (String k : b.keySet()) {
            if (!a.containsKey(k) && !b.get(k).equals(defaults.get(k))) {
                diff.put(k, new String[]{null, b.get(k)});
            }
        }
        for (Map.Entry<String, String[]> e : diff.entrySet()) {
            String k = e.getKey();
            if (prefix.isEmpty() ? MAY_CHANGE.stream().anyMatch(m -> m.endsWith(".") ? k.startsWith(m) : k.equals(m))
                    : k.equals("uri") || k.endsWith(".uri")) {
                continue;
            }
            String[] v = e.getValue();
            return Optional.of(prefix + k + (v[0] == null ? " was not set" : " was " + v[0])
                    + (v[1] == null ? ", is not set now" : ", is " + v[1] + " now"));
        }
        return Optional.empty();
    }

    private static Map<String, String> leaves(String json) {
        Map<String, String> m = new TreeMap<>();
        Config c = ConfigFactory.parseString(json, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
        for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
            m.put(e.getKey(), e.getValue().render(ConfigRenderOptions.concise()));
        }
        return m;
    }

    // ------------------------------------------------------------------ writing

    /** The listener with this run's monitors recorded on the way (they go into every checkpoint). */
    public FlowListener track(FlowListener next) {
        if (store == null) {
            return next;
        }
        return new FlowListener() {
            @Override
            public void step(StepMetrics m) {
                next.step(m);
                history.add(m);
            }

            @Override
            public boolean wantsSnapshot(int step) {
                return next.wantsSnapshot(step);
            }

            @Override
            public void snapshot(int step, Block particles) {
                next.snapshot(step, particles);
            }

            @Override
            public boolean wantsMonitor(int step) {
                return next.wantsMonitor(step);
            }

            @Override
            public void monitor(int step, org.lipflow.flow.LiveParticles particles) {
                next.monitor(step, particles);
            }
        };
    }

    /**
     * Whether a checkpoint is due after a unit of work that ran steps first..last (one step, or
     * one Spark job of F steps): it contains a multiple of the interval, it ends the run, or a
     * termination signal came. With {@code auto}, a multiple of the interval counts only once the
     * run has been going for {@link #AUTO_AFTER_SECONDS} (the last step and a signal always do).
     */
    public boolean due(int first, int last, int steps) {
        if (!enabled() || last == lastWritten) {
            return false;
        }
        if (last == steps || stopRequested) {
            return true;
        }
        int i = options.interval();
        boolean multiple = Math.max(first, 1) <= last && last / i > (Math.max(first, 1) - 1) / i;
        return multiple && (!options.auto() || (System.nanoTime() - openedNanos) / 1e9 >= AUTO_AFTER_SECONDS);
    }

    /** For tests: as if the run had opened its checkpoints {@code seconds} ago. */
    void openedSecondsAgo(double seconds) {
        openedNanos = System.nanoTime() - (long) (seconds * 1e9);
    }

    /** Starts the checkpoint of {@code step}: where the engine writes the particle files. */
    public Writing begin(int step) {
        try {
            Path tmp = store.begin(step);
            return new Writing(step, tmp, new PartFiles(new Path(tmp, CheckpointStore.PARTICLES).toString(), null,
                    store.fs().getConf()), System.nanoTime());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the checkpoint of step " + step + " in " + store.dir(), e);
        }
    }

    /** A checkpoint being written: the engine writes its particle files through {@link #parts}. */
    public record Writing(int step, Path tmp, PartFiles parts, long started) {
    }

    /**
     * Completes a checkpoint: θ (and H of its training when {@code trained}), the monitors so
     * far, the configuration, input fingerprints and the files' checksums, then commits it and
     * removes the checkpoints beyond {@code checkpoint.keep}.
     *
     * @param state     θ as the next step moves with it (trained) or as the last step left it
     * @param trained   whether θ already trained for step+1 (false at the run's last step)
     * @param engine    the engine's name (for the manifest)
     * @param parts     what each partition's file holds, in partition order
     */
    public void commit(Writing w, DiscriminatorState state, boolean trained, double pendingDivergence, String engine,
                       List<CheckpointFiles.FileInfo> parts) {
        try {
            CheckpointFiles.FileInfo s = CheckpointFiles.writeState(store.fs(), new Path(w.tmp(), CheckpointStore.STATE), state,
                    trained ? pendingDivergence : Double.NaN);
            CheckpointFiles.FileInfo h = CheckpointFiles.writeMetrics(store.fs(), new Path(w.tmp(), CheckpointStore.METRICS),
                    history);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("format", "lipflow-checkpoint");
            m.put("format_version", CheckpointFiles.FORMAT_VERSION);
            m.put("step", w.step());
            m.put("trained", trained);
            m.put("engine", engine);
            m.put("partitions", parts.size());
            m.put("written", Instant.now().toString());
            if (versions == null) {
                versions = Versions.all();
            }
            m.put("versions", versions);
            m.put("config", new Json.Raw(config));
            m.put("inputs", inputs);
            m.put("files", Map.of("discriminator", info(s), "metrics", info(h)));
            if (!monitors.isEmpty()) {
                List<Object> q = new ArrayList<>();
                monitors.forEach((step, values) -> {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("step", step);
                    e.putAll(values);
                    q.add(e);
                });
                m.put("monitors", q);
            }
            List<Object> p = new ArrayList<>();
            for (CheckpointFiles.FileInfo f : parts) {
                p.add(info(f));
            }
            m.put("parts", p);
            store.commit(w.tmp(), w.step(), Json.write(m) + "\n");
            if (!announced) {
                store.removeLaterThan(resume == null ? -1 : resume.step, w.step());
            }
            lastWritten = w.step();
            store.prune(options.keep());
            written++;
            writeMillis += (System.nanoTime() - w.started()) / 1e6;
        } catch (IOException | RuntimeException e) {
            store.abandon(w.tmp());
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new UncheckedIOException("could not write the checkpoint of step " + w.step() + " in " + store.dir(), (IOException) e);
        }
        if (!announced) {
            announced = true;
            note("lipflow: checkpoints every " + options.interval() + " steps" + (options.auto() ? " once the run has taken "
                    + (int) AUTO_AFTER_SECONDS + " s (checkpoint.interval = auto)" : "") + " in " + store.dir() + " (resume with --resume)");
        }
    }

    private static Map<String, Object> info(CheckpointFiles.FileInfo f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", f.name());
        m.put("bytes", f.bytes());
        m.put("crc32c", f.crc());
        return m;
    }

    /** After a step boundary: if a termination signal came, the checkpoint is written, so stop here. */
    public void stopIfRequested() {
        if (stopRequested) {
            String message = "stopped by a termination signal after step " + lastWritten + "; its checkpoint is in "
                    + store.dir() + ": rerun with --resume to continue";
            // said here, not by the caller: once the run closes this, the signal's hook returns and the JVM may halt
            // before an exception handler prints anything (the latch is counted down in close(), after the output's cleanup)
            log("lipflow: " + message);
            throw new Stopped(message, log != null);
        }
    }

    /** The run stopped at a signal after writing its checkpoint. */
    public static final class Stopped extends RuntimeException {
        private final boolean reported;

        Stopped(String message, boolean reported) {
            super(message);
            this.reported = reported;
        }

        /** Whether the run's log already has the message (then a handler need not print it again). */
        public boolean reported() {
            return reported;
        }
    }

    /** For tests: what a termination signal does, without one. */
    void requestStop() {
        stopRequested = true;
    }

    private void installStopHook() {
        hook = () -> {
            stopRequested = true;
            try {
                stopHandled.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        ShutdownHookManager.get().addShutdownHook(hook, STOP_HOOK_PRIORITY, STOP_WAIT_SECONDS + 10, TimeUnit.SECONDS);
    }

    /** The run is over (done or failed): a later signal has nothing to wait for. */
    @Override
    public void close() {
        stopHandled.countDown();
        if (hook != null) {
            try {
                ShutdownHookManager.get().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down
            }
            hook = null;
        }
    }

    /**
     * From now on the informational notes (resuming from a checkpoint, where checkpoints go) are
     * not printed (--quiet); warnings, the "no checkpoint" note of --resume and the stop message still are.
     */
    public void silenceNotes() {
        notes = false;
    }

    private void note(String line) {
        if (notes) {
            log(line);
        }
    }

    private void log(String line) {
        if (log != null) {
            log.println(line);
            log.flush();
        }
    }

    /** What this run wrote, for its manifest: directory, checkpoints written and their total wall time (their cost). */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dir", directory());
        m.put("interval", options.interval());
        if (options.auto()) {
            m.put("auto_after_seconds", AUTO_AFTER_SECONDS);
        }
        m.put("written", written);
        m.put("millis", Math.round(writeMillis));
        return m;
    }

    /** The monitors of the steps before the resumed one (empty for a fresh run). */
    public List<StepMetrics> restoredMetrics() {
        return resume == null ? List.of() : resume.metrics;
    }

    /** Records the quality monitors of {@code step} (finite numbers by name): every later checkpoint carries them. */
    public void monitors(int step, Map<String, Object> values) {
        if (store != null) {
            monitors.put(step, Map.copyOf(values));
        }
    }

    /** The quality monitors of the resumed run's steps, by step (empty without a resume). */
    public Map<Integer, Map<String, Object>> restoredMonitors() {
        return resume == null ? Map.of() : resume.monitors;
    }

    /** Every monitor recorded so far, restored ones first. */
    public List<StepMetrics> history() {
        return List.copyOf(history);
    }

    /** A checkpoint selected for resuming, checked (lengths of all files, checksums of the driver's). */
    public static final class Resume {
        public final int step;
        /** Whether θ already trained for step+1 (then {@link #state} carries that training's H). */
        public final boolean trained;
        final Path dir;
        final String inputs;
        final List<StepMetrics> metrics;
        final Map<Integer, Map<String, Object>> monitors;
        private final CheckpointStore store;
        private final CheckpointFiles.FileInfo stateInfo;
        private final PartFiles parts;

        private Resume(int step, boolean trained, Path dir, String inputs, List<StepMetrics> metrics,
                       Map<Integer, Map<String, Object>> monitors, CheckpointStore store,
                       CheckpointFiles.FileInfo stateInfo, PartFiles parts) {
            this.step = step;
            this.trained = trained;
            this.dir = dir;
            this.inputs = inputs;
            this.metrics = metrics;
            this.monitors = monitors;
            this.store = store;
            this.stateInfo = stateInfo;
            this.parts = parts;
        }

        static Resume of(CheckpointStore store, Path dir, Config m) throws IOException {
            int step = m.getInt("step");
            CheckpointFiles.FileInfo state = fileInfo(m.getConfig("files.discriminator"));
            CheckpointFiles.FileInfo metrics = fileInfo(m.getConfig("files.metrics"));
            store.verify(new Path(dir, CheckpointStore.STATE), state);
            List<StepMetrics> history = CheckpointFiles.readMetrics(store.fs(), new Path(dir, CheckpointStore.METRICS), metrics);
            List<CheckpointFiles.FileInfo> parts = new ArrayList<>();
            for (Config p : m.getConfigList("parts")) {
                CheckpointFiles.FileInfo f = fileInfo(p);
                CheckpointFiles.checkLength(store.fs(), new Path(new Path(dir, CheckpointStore.PARTICLES), f.name()), f);
                parts.add(f);
            }
            if (history.size() != step) {
                throw CheckpointFiles.corrupt(new Path(dir, CheckpointStore.METRICS), history.size() + " steps of monitors for step " + step);
            }
            return new Resume(step, m.getBoolean("trained"), dir, m.getValue("inputs").render(ConfigRenderOptions.concise()),
                    List.copyOf(history), monitors(m), store, state, new PartFiles(new Path(dir, CheckpointStore.PARTICLES).toString(), parts,
                    store.fs().getConf()));
        }

        /** A checkpoint's quality monitors ("monitors": [{"step": n, name: value, ...}]; none in older checkpoints). */
        private static Map<Integer, Map<String, Object>> monitors(Config m) {
            Map<Integer, Map<String, Object>> out = new TreeMap<>();
            if (m.hasPath("monitors")) {
                for (Config c : m.getConfigList("monitors")) {
                    Map<String, Object> values = new LinkedHashMap<>(c.root().unwrapped());
                    int step = ((Number) values.remove("step")).intValue();
                    out.put(step, values);
                }
            }
            return out;
        }

        private static CheckpointFiles.FileInfo fileInfo(Config c) {
            return new CheckpointFiles.FileInfo(c.getString("name"), c.getLong("bytes"), c.getLong("crc32c"));
        }

        /** θ for this run's network, and the H of its training (NaN when not {@link #trained}). */
        public CheckpointFiles.State state(MlpLayout layout) {
            try {
                return CheckpointFiles.readState(store.fs(), new Path(dir, CheckpointStore.STATE), layout, stateInfo);
            } catch (IOException e) {
                throw new UncheckedIOException("could not read " + dir, e);
            }
        }

        /** The particle files, one per partition; a run must have as many partitions. */
        public PartFiles parts() {
            return parts;
        }

        /** Refuses a run whose particle partitions differ from the checkpoint's (each partition's streams are its own). */
        public void requirePartitions(int partitions) {
            if (partitions != parts.partitions()) {
                throw new IllegalArgumentException("resume refused: the checkpoint of step " + step + " (" + dir + ") holds "
                        + parts.partitions() + " particle partition" + (parts.partitions() == 1 ? "" : "s") + ", this run has "
                        + partitions + " (engine.partitions, or the in-process engine's 1); resume with " + parts.partitions());
            }
        }

        @Override
        public String toString() {
            return dir.toString();
        }
    }
}
