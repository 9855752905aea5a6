package org.lipflow.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import org.lipflow.checkpoint.RunCheckpoints;
import org.lipflow.data.SyntheticData;
import org.lipflow.discriminator.Activation;
import org.lipflow.discriminator.LayerNorm;
import org.lipflow.discriminator.GradientPenalty;
import org.lipflow.discriminator.LipschitzConstraint;
import org.lipflow.divergence.Family;
import org.lipflow.divergence.Formulation;
import org.lipflow.engine.spark.SparkSettings;
import org.lipflow.flow.FlowOptions;
import org.lipflow.flow.Integrator;
import org.lipflow.flow.StopRule;
import org.lipflow.io.ReadOptions;

import java.io.File;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HOCON configuration: the defaults in {@code lipflow-defaults.conf}, a run file, then
 * {@code key=value} overrides, in that order. Keys that the defaults do not know are rejected, as
 * are values of the wrong type or out of range, each with a message naming the key.
 */
public final class LipflowConfig {
    static final String DEFAULTS = "lipflow-defaults.conf";
    /** Parse options of command-line text: it may include nothing. */
    private static final ConfigParseOptions NO_INCLUDES = ConfigParseOptions.defaults().setIncluder(new SafeIncluder(List.of()));

    private LipflowConfig() {
    }

    public static Config defaults() {
        return ConfigFactory.parseResources(LipflowConfig.class.getClassLoader(), DEFAULTS,
                ConfigParseOptions.defaults().setAllowMissing(false));
    }

    /** Environment variable: directories (path-separated) whose files a configuration file may include. */
    public static final String INCLUDE_PATH_ENV = "LIPFLOW_CONFIG_INCLUDE_PATH";

    /**
     * @param file      a HOCON run file or null
     * @param overrides "key=value" strings, applied last
     */
    public static Config load(String file, List<String> overrides) {
        String env = System.getenv(INCLUDE_PATH_ENV);
        List<java.nio.file.Path> allowed = env == null || env.isBlank() ? List.of() : java.util.Arrays.stream(env.split(File.pathSeparator))
                .filter(s -> !s.isBlank()).map(java.nio.file.Path::of).toList();
        return load(file, overrides, allowed);
    }

    /**
     * Like {@link #load(String, List)}; {@code file} may include files from its own directory tree
     * and from {@code includeDirs}, never from a URL ({@link SafeIncluder}).
     */
    public static Config load(String file, List<String> overrides, List<java.nio.file.Path> includeDirs) {
        Config defaults = defaults();
        Config cfg = ConfigFactory.empty();
        if (file != null) {
            File f = new File(file);
            if (!f.isFile()) {
                throw new IllegalArgumentException(file + ": configuration file not found");
            }
            if (!f.canRead()) {
                throw new IllegalArgumentException(file + ": configuration file not readable");
            }
            Config user;
            try {
                List<java.nio.file.Path> roots = new java.util.ArrayList<>();
                roots.add(f.getAbsoluteFile().toPath().getParent());
                roots.addAll(includeDirs);
                user = ConfigFactory.parseFile(f, ConfigParseOptions.defaults().setAllowMissing(false)
                        .setIncluder(new SafeIncluder(SafeIncluder.realDirectories(roots))));
            } catch (ConfigException e) {
                throw new IllegalArgumentException(file + syntaxError(e));
            }
            checkKnown(defaults, user, file);
            cfg = user;
        }
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set expects key=value, got '" + o + "'");
            }
            String key = o.substring(0, eq).trim();
            String value = o.substring(eq + 1).trim();
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) { // one key, one value: no HOCON statements smuggled in
                throw new IllegalArgumentException("--set " + key + ": the value must be one line");
            }
            Config one;
            try {
                one = ConfigFactory.parseString(key + " = " + (value.isEmpty() ? "\"\"" : value), NO_INCLUDES);
            } catch (ConfigException e) {
                one = ConfigFactory.parseMap(Map.of(key, value));
            }
            checkKnown(defaults, one, "--set");
            cfg = one.withFallback(cfg);
        }
        Config resolved;
        try {
            resolved = cfg.withFallback(defaults).resolve();
        } catch (ConfigException e) {
            throw new IllegalArgumentException("configuration: " + e.getMessage());
        }
        KeyRanges.check(defaults, resolved);
        return resolved;
    }

    /** " line N: what" from a HOCON parse error, without the origin Typesafe prefixes (the caller names the file). */
    private static String syntaxError(ConfigException e) {
        String m = String.valueOf(e.getMessage()).replace('\n', ' ');
        String origin = e.origin() == null ? null : e.origin().description();
        if (origin != null && m.startsWith(origin + ": ")) {
            m = m.substring(origin.length() + 2);
        }
        int line = e.origin() == null ? -1 : e.origin().lineNumber();
        return (line > 0 ? " line " + line : "") + ": " + m;
    }

    /**
     * A key given both by a command-line flag and by {@code --set} must have the same value in
     * both: otherwise one of them would be dropped without a word.
     */
    public static void checkAgree(List<String> flags, List<String> sets) {
        for (String flag : flags) {
            String key = flag.substring(0, flag.indexOf('='));
            for (String set : sets) {
                int eq = set.indexOf('=');
                if (eq > 0 && set.substring(0, eq).trim().equals(key) && !value(flag).equals(value(set))) {
                    throw new IllegalArgumentException(key + " is given twice with different values, by a flag ("
                            + flag.substring(key.length() + 1) + ") and by --set " + set + "; give it once");
                }
            }
        }
    }

    /** The value of a key=value override as HOCON reads it (so 5, "5" and 5.0 compare by value where HOCON does). */
    private static String value(String override) {
        int eq = override.indexOf('=');
        String key = override.substring(0, eq).trim(), v = override.substring(eq + 1).trim();
        try {
            return String.valueOf(ConfigFactory.parseString(key + " = " + (v.isEmpty() ? "\"\"" : v), NO_INCLUDES).getValue(key).unwrapped());
        } catch (ConfigException e) {
            return v;
        }
    }

    private static void checkKnown(Config defaults, Config user, String origin) {
        for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
            if (!defaults.hasPath(e.getKey())) {
                throw new IllegalArgumentException("unknown config key '" + e.getKey() + "' (" + origin + ")");
            }
        }
    }

    /** Converts a loaded configuration into a validated run specification. */
    public static RunSpec toRunSpec(Config c) {
        FlowOptions options = flowOptions(c);
        DataSpec target = data(c, "target", true);
        DataSpec source = data(c, "source", false);
        String engine = lower(string(c, "engine.type"));
        if (!engine.equals("inprocess") && !engine.equals("spark") && !engine.equals("auto")) {
            throw new IllegalArgumentException("engine.type must be inprocess, spark or auto, got '" + engine + "'");
        }
        SparkSettings spark = sparkSettings(c);
        String master = string(c, "engine.master");
        if (master.isBlank()) {
            throw new IllegalArgumentException("engine.master must not be empty");
        }
        int threads = integer(c, "engine.threads");
        if (threads < 0) {
            throw new IllegalArgumentException("engine.threads must be >= 0, got " + threads);
        }
        String format = lower(string(c, "output.format"));
        if (!format.equals("csv") && !format.equals("parquet")) {
            throw new IllegalArgumentException("output.format must be parquet or csv, got '" + format + "'");
        }
        String dir = string(c, "output.dir");
        if (dir.isBlank()) {
            throw new IllegalArgumentException("output.dir must not be empty");
        }
        int snapshots = integer(c, "output.snapshots");
        if (snapshots < 0) {
            throw new IllegalArgumentException("output.snapshots must be >= 0, got " + snapshots);
        }
        checkpointOptions(c); // a bad checkpoint.* key is reported with the others, before any work
        bool(c, "data.standardize"); // read by the run from the resolved configuration; checked here with the others
        String rendered = RedactedConfig.render(c);
        return new RunSpec(options, target, source, engine, threads, master, spark, c.getLong("engine.auto-max-particles"),
                dir, format, bool(c, "output.overwrite"),
                bool(c, "output.plots"), bool(c, "output.discriminator"), snapshots, bool(c, "output.progress"),
                blowupFactor(c), rendered, string(c, "latent.model").trim(),
                KeyOrigin.explicit(c, "latent.dimension") ? LatentConfig.dimension(c) : 0, sparkUi(c), stepWarningFraction(c));
    }

    /** engine.ui: auto, true or false. */
    static String sparkUi(Config c) {
        String ui = lower(string(c, "engine.ui"));
        if (!ui.equals("auto") && !ui.equals("true") && !ui.equals("false")) {
            throw new IllegalArgumentException("engine.ui must be auto, true or false, got '" + ui + "'");
        }
        return ui;
    }

    private static double stepWarningFraction(Config c) {
        double f = number(c, "flow.step-warning-fraction");
        if (!(f > 0) || Double.isInfinite(f)) {
            throw new IllegalArgumentException("flow.step-warning-fraction must be > 0 and finite, got " + f);
        }
        return f;
    }

    /** The {@code checkpoint.*} keys of a loaded configuration; every error names its key. */
    public static RunCheckpoints.Options checkpointOptions(Config c) {
        return new RunCheckpoints.Options(integer(c, "checkpoint.interval"), integer(c, "checkpoint.keep"),
                string(c, "checkpoint.dir").trim(), bool(c, "checkpoint.resume"));
    }

    /** The {@code checkpoint.*} keys of a run specification's resolved configuration. */
    public static RunCheckpoints.Options checkpointOptions(RunSpec spec) {
        return checkpointOptions(ConfigFactory.parseString(spec.resolvedConfig(),
                ConfigParseOptions.defaults().setSyntax(com.typesafe.config.ConfigSyntax.JSON)));
    }

    /** The Spark engine's settings (engine.*); every error names its key. */
    public static SparkSettings sparkSettings(Config c) {
        double broadcastLimitMb = number(c, "engine.broadcast-limit-mb");
        if (!(broadcastLimitMb >= 0) || Double.isInfinite(broadcastLimitMb)) {
            throw new IllegalArgumentException("engine.broadcast-limit-mb must be >= 0 and finite, got " + broadcastLimitMb);
        }
        return new SparkSettings(integer(c, "engine.partitions"), integer(c, "engine.checkpoint-interval"),
                string(c, "engine.checkpoint-dir"), (long) (broadcastLimitMb * (1 << 20)),
                integer(c, "engine.task-threads"), integer(c, "engine.averaging-frequency"), bool(c, "engine.keep-checkpoints"));
    }

    /** The source section (source.*) as a data specification; every error names its key. */
    public static DataSpec source(Config c) {
        return data(c, "source", false);
    }

    /** flow.blowup-factor, checked. */
    public static double blowupFactor(Config c) {
        double f = number(c, "flow.blowup-factor");
        if (!(f >= 0) || Double.isInfinite(f)) {
            throw new IllegalArgumentException("flow.blowup-factor must be >= 0 and finite (0 = off), got " + f);
        }
        return f;
    }

    /**
     * The flow options of {@code lipflow-defaults.conf} alone: the one source of defaults for the
     * CLI, the {@code divergence} command, benchmarks and the Spark ML params.
     */
    public static FlowOptions defaultFlowOptions() {
        return flowOptions(defaults().resolve());
    }

    /** The {@link FlowOptions} of a loaded configuration; every error names its key. */
    public static FlowOptions flowOptions(Config c) {
        Family f = Family.parse(string(c, "divergence.f"));
        Formulation formulation = Formulation.parse(string(c, "divergence.formulation"));
        List<Integer> hidden = java.util.Arrays.stream(intList(c, "discriminator.hidden")).boxed().toList();
        return new FlowOptions(c.getLong("seed"),
                new FlowOptions.Integration(integer(c, "flow.steps"), number(c, "flow.dt"),
                        Integrator.parse(string(c, "flow.integrator")),
                        new StopRule.Options(number(c, "flow.stop.kinetic-energy"), integer(c, "flow.stop.window"))),
                new FlowOptions.Divergence(f, number(c, "divergence.alpha"), formulation, number(c, "divergence.lipschitz")),
                new FlowOptions.Network(hidden, Activation.parse(string(c, "discriminator.activation")),
                        LayerNorm.parse(string(c, "discriminator.norm")),
                        LipschitzConstraint.Mode.parse(string(c, "discriminator.constraint")),
                        new GradientPenalty(number(c, "discriminator.penalty-weight"),
                                GradientPenalty.Side.parse(string(c, "discriminator.penalty")))),
                new FlowOptions.Training(integer(c, "discriminator.steps"), number(c, "discriminator.learning-rate"),
                        integer(c, "discriminator.batch-size"), bool(c, "discriminator.reset-optimizer"),
                        number(c, "discriminator.beta1"), number(c, "discriminator.beta2"), number(c, "discriminator.epsilon")));
    }

    /**
     * The options of the {@code divergence} command: the flow options of {@code c} with the
     * discriminator trained {@code estimate.steps} Adam steps at {@code estimate.learning-rate}
     * (an estimate between two fixed samples needs far more steps than one outer step of a flow).
     */
    public static FlowOptions estimateOptions(Config c) {
        int steps = integer(c, "estimate.steps");
        if (steps < 1) {
            throw new IllegalArgumentException("estimate.steps must be >= 1, got " + steps);
        }
        double lr = number(c, "estimate.learning-rate");
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("estimate.learning-rate must be > 0 and finite, got " + lr);
        }
        return flowOptions(c).toBuilder().steps(1).discriminatorSteps(steps).learningRate(lr).build();
    }

    private static DataSpec data(Config c, String section, boolean isTarget) {
        String path = string(c, section + ".path");
        String synthetic = string(c, section + ".synthetic");
        ReadOptions read = readOptions(c, section);
        if (!path.isBlank()) {
            KeyOrigin.requireNoSizeWithFile(c, section);
            return new DataSpec(path, null, read);
        }
        if (synthetic.isBlank()) {
            throw new IllegalArgumentException(section + ": set " + section + ".path (a CSV or Parquet file) or "
                    + section + ".synthetic (" + String.join(", ", SyntheticData.NAMES) + ")");
        }
        int dimension = integer(c, section + ".dimension");
        if (!isTarget && dimension == 0) {
            dimension = 1; // replaced by the target's dimension once the target is read
        }
        SyntheticData.Spec spec;
        try {
            spec = new SyntheticData.Spec(synthetic, integer(c, section + ".n"), c.getLong(section + ".seed"),
                    dimension, number(c, section + ".mean"), number(c, section + ".std"), number(c, section + ".nu"),
                    bool(c, section + ".labels"));
        } catch (SyntheticData.InvalidSpec e) {
            String key = section + "." + e.field() + (section.equals("source") && e.field().equals("n") ? " (--particles)" : "");
            throw new IllegalArgumentException(e.field().equals("synthetic") ? key + ": " + e.rule() : key + " " + e.rule());
        }
        return new DataSpec(null, spec, read);
    }

    /** How to read the section's file; an invalid value's error names its key. */
    private static ReadOptions readOptions(Config c, String section) {
        int perClass = integer(c, section + ".per-class");
        if (perClass < 0) {
            throw new IllegalArgumentException(section + ".per-class must be >= 0 (0 = every row), got " + perClass);
        }
        double scale = number(c, section + ".scale");
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException(section + ".scale must be > 0 and finite (1 = none), got " + scale);
        }
        try {
            return new ReadOptions(string(c, section + ".format"), string(c, section + ".label-column"),
                    c.getStringList(section + ".features"), string(c, section + ".features-column"),
                    KeyOrigin.explicit(c, section + ".label-column"), string(c, section + ".labels-path"), perClass,
                    c.getLong(section + ".sample-seed"), scale)
                    .withIdColumn(string(c, section + ".id-column").trim(), KeyOrigin.explicit(c, section + ".id-column"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(section + "." + e.getMessage());
        }
    }

    /** True when the source dimension follows the target's (source.dimension = 0). */
    public static boolean sourceFollowsTarget(Config c) {
        return integer(c, "source.dimension") == 0;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    static String string(Config c, String key) {
        try {
            ConfigValue v = c.getValue(key);
            if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST) {
                throw new IllegalArgumentException("config key '" + key + "' must be a string");
            }
            return c.getString(key);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("config key '" + key + "': " + e.getMessage());
        }
    }

    static double number(Config c, String key) {
        try {
            return c.getDouble(key);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("config key '" + key + "' must be a number, got '" + raw(c, key) + "'");
        }
    }

    static int integer(Config c, String key) {
        int v;
        try {
            v = c.getInt(key);
        } catch (ConfigException e) {
            boolean tooLarge = c.hasPath(key) && c.getValue(key).unwrapped() instanceof Number n && Math.abs(n.doubleValue()) > Integer.MAX_VALUE;
            throw new IllegalArgumentException("config key '" + key + "' must be an integer" + (tooLarge ? " of at most "
                    + Integer.MAX_VALUE : "") + ", got '" + raw(c, key) + "'");
        }
        if (fraction(c.getValue(key).unwrapped(), v)) { // getInt truncates 200.5 to 200 without a word
            throw new IllegalArgumentException("config key '" + key + "' must be an integer, got '" + raw(c, key) + "'");
        }
        return v;
    }

    private static boolean fraction(Object unwrapped, int v) {
        try {
            double d = unwrapped instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(unwrapped).trim());
            return d != v;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static boolean bool(Config c, String key) {
        try {
            return c.getBoolean(key);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("config key '" + key + "' must be true or false, got '" + raw(c, key) + "'");
        }
    }

    static int[] intList(Config c, String key) {
        try {
            return c.getIntList(key).stream().mapToInt(Integer::intValue).toArray();
        } catch (ConfigException e) {
            throw new IllegalArgumentException("config key '" + key + "' must be a list of integers, got '" + raw(c, key) + "'");
        }
    }

    private static String raw(Config c, String key) {
        try {
            return String.valueOf(c.getValue(key).unwrapped());
        } catch (ConfigException e) {
            return "?";
        }
    }
}
