package org.lipflow.ml;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.lipflow.config.LipflowConfig;
import org.lipflow.config.DataSpec;
import org.lipflow.config.LatentConfig;
import scala.runtime.AbstractFunction1;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The Spark ML params that stand for lipflow's configuration keys (the flow's, or with
 * {@link Scope#LATENT} the latent stage's), made from the key table of
 * {@code lipflow-defaults.conf} and checked by {@link LipflowConfig}'s converters: one source of
 * truth for names, defaults, documentation and validation.
 *
 * <ul>
 * <li>Which keys: every key of the sections {@code seed}, {@code data}, {@code flow}, {@code divergence},
 * {@code discriminator} (a key added there becomes a param), and the generated source's
 * {@link #SOURCE_KEYS} and the Spark engine's {@link #ENGINE_KEYS}.</li>
 * <li>Name: the key in camelCase, dots and dashes dropped ({@link #paramName}):
 * {@code divergence.lipschitz} → {@code divergenceLipschitz}, {@code discriminator.learning-rate}
 * → {@code discriminatorLearningRate}, {@code source.n} → {@code sourceN}, {@code seed} → {@code seed}.</li>
 * <li>Type: from the default's HOCON type; a whole-number default is an integer param unless the
 * converter accepts a fraction for it (then a double param); keys named {@code seed} are longs.</li>
 * <li>Default: the value in {@code lipflow-defaults.conf}; doc: its comment there.</li>
 * <li>Validation: a value is valid when the converter accepts the defaults with that one value;
 * otherwise setting it fails with the param, the key, the value and the converter's rule. The
 * whole set is converted again by {@code fit} (rules that involve several keys).</li>
 * </ul>
 */
final class ConfigParams implements Serializable {
    private static final long serialVersionUID = 1L;

    static final List<String> SECTIONS = List.of("seed", "data", "flow", "divergence", "discriminator");
    static final List<String> SOURCE_KEYS = List.of("source.synthetic", "source.n", "source.seed", "source.mean",
            "source.std", "source.nu");
    static final List<String> ENGINE_KEYS = List.of("engine.partitions", "engine.checkpoint-interval",
            "engine.checkpoint-dir", "engine.broadcast-limit-mb", "engine.task-threads");

    /** Which keys a stage takes and the converters that check them. */
    enum Scope {
        /** {@link ParticleFlow}: the flow's sections, the generated source, the Spark engine. */
        FLOW(SECTIONS, concat(SOURCE_KEYS, ENGINE_KEYS), List.of()),
        /** {@link LatentEncoder}: the latent stage's fit (not the run's model path or DL4J Spark's averaging). */
        LATENT(List.of("latent"), List.of(), List.of("latent.model", "latent.out", "latent.averaging-frequency"));

        final List<String> sections;
        final List<String> extraKeys;
        final List<String> excluded;

        Scope(List<String> sections, List<String> extraKeys, List<String> excluded) {
            this.sections = sections;
            this.extraKeys = extraKeys;
            this.excluded = excluded;
        }

        /** Runs every converter the keys feed; each error names its key. */
        void convert(Config c) {
            if (this == FLOW) {
                ConfigParams.convert(c);
                return;
            }
            String type = LatentConfig.type(c);
            if (type.equals("pca")) {
                LatentConfig.dimension(c);
            } else {
                LatentConfig.autoencoder(c);
            }
            LatentConfig.shape(c);
        }

        private static List<String> concat(List<String> a, List<String> b) {
            List<String> all = new ArrayList<>(a);
            all.addAll(b);
            return List.copyOf(all);
        }
    }

    /** A HashMap, not an EnumMap: Scope may be initialised first, and its initialiser reads this class's lists. */
    private static final Map<Scope, Table> TABLES = new java.util.HashMap<>();
    private static volatile Config defaults;

    /** lipflow-defaults.conf, resolved (parsed once per JVM: every set and fit converts over it). */
    static Config defaults() {
        Config d = defaults;
        if (d == null) {
            d = LipflowConfig.defaults().resolve();
            defaults = d;
        }
        return d;
    }

    /** One key's param description, computed once per JVM from the defaults. */
    record Entry(String key, String name, Kind kind, Object defaultValue, String doc) implements Serializable {
    }

    enum Kind { INT, LONG, DOUBLE, BOOLEAN, STRING, INT_LIST }

    /** The keys, in the order of the defaults file's sorted paths, with their descriptions. */
    record Table(List<Entry> entries) implements Serializable {
    }

    private final Scope scope;
    private final Map<String, Param<?>> byKey = new LinkedHashMap<>();

    /** The params of {@code owner} (its uid is their parent) for the keys of {@code scope}. */
    ConfigParams(org.apache.spark.ml.param.Params owner, Scope scope) {
        this.scope = scope;
        for (Entry e : table(scope).entries()) {
            byKey.put(e.key(), create(owner, e, scope));
        }
    }

    /** The flow's params. */
    ConfigParams(org.apache.spark.ml.param.Params owner) {
        this(owner, Scope.FLOW);
    }

    /** The entries behind this set's params, in the same order as {@link #all()}. */
    List<Entry> entries() {
        return table(scope).entries();
    }

    /** {@code divergence.lipschitz} → {@code divergenceLipschitz}. */
    static String paramName(String key) {
        String[] parts = key.split("[.-]");
        StringBuilder b = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            if (!parts[i].isEmpty()) {
                b.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
            }
        }
        return b.toString();
    }

    static Table table() {
        return table(Scope.FLOW);
    }

    static Table table(Scope scope) {
        synchronized (TABLES) {
            return TABLES.computeIfAbsent(scope, ConfigParams::build);
        }
    }

    private static Table build(Scope scope) {
        Config defaults = defaults();
        TreeSet<String> keys = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> e : defaults.entrySet()) {
            String section = e.getKey().contains(".") ? e.getKey().substring(0, e.getKey().indexOf('.')) : e.getKey();
            if (scope.sections.contains(section) && !scope.excluded.contains(e.getKey())) {
                keys.add(e.getKey());
            }
        }
        List<String> ordered = new ArrayList<>(keys);
        ordered.addAll(scope.extraKeys);
        List<Entry> entries = new ArrayList<>();
        for (String key : ordered) {
            ConfigValue v = defaults.getValue(key);
            Kind kind = kind(defaults, key, v, scope);
            Object value = switch (kind) {
                case INT -> defaults.getInt(key);
                case LONG -> defaults.getLong(key);
                case DOUBLE -> defaults.getDouble(key);
                case BOOLEAN -> defaults.getBoolean(key);
                case STRING -> defaults.getString(key);
                case INT_LIST -> defaults.getIntList(key).stream().mapToInt(Integer::intValue).toArray();
            };
            String comment = String.join(" ", v.origin().comments()).trim();
            String doc = (comment.isEmpty() ? "" : comment + " ") + "(config key " + key + ")";
            entries.add(new Entry(key, paramName(key), kind, value, doc));
        }
        return new Table(List.copyOf(entries));
    }

    /** The param type a key's default asks for; whole numbers the converter also takes as fractions are doubles. */
    private static Kind kind(Config defaults, String key, ConfigValue v, Scope scope) {
        if (v.valueType() == ConfigValueType.BOOLEAN) {
            return Kind.BOOLEAN;
        }
        if (v.valueType() == ConfigValueType.STRING) {
            return Kind.STRING;
        }
        if (v.valueType() == ConfigValueType.LIST) {
            return Kind.INT_LIST;
        }
        if (v.valueType() != ConfigValueType.NUMBER) {
            throw new IllegalStateException("config key " + key + " has no Spark ML param type (" + v.valueType() + ")");
        }
        if (key.equals("seed") || key.endsWith(".seed")) {
            return Kind.LONG;
        }
        Number n = (Number) v.unwrapped();
        if (n instanceof Double) {
            return Kind.DOUBLE;
        }
        try {
            scope.convert(defaults.withValue(key, ConfigValueFactory.fromAnyRef(n.doubleValue() + 0.5)));
            return Kind.DOUBLE;
        } catch (IllegalArgumentException e) {
            return e.getMessage() != null && e.getMessage().contains("must be an integer") ? Kind.INT : Kind.DOUBLE;
        } catch (ConfigException e) {
            return Kind.INT;
        }
    }

    private static Param<?> create(org.apache.spark.ml.param.Params owner, Entry e, Scope scope) {
        Check<Object> check = new Check<>(e.key(), e.name(), scope);
        return switch (e.kind()) {
            case INT -> new IntParam(owner, e.name(), e.doc(), cast(check));
            case LONG -> new LongParam(owner, e.name(), e.doc(), cast(check));
            case DOUBLE -> new DoubleParam(owner, e.name(), e.doc(), cast(check));
            case BOOLEAN -> new BooleanParam(owner, e.name(), e.doc()); // true and false both convert
            case STRING -> new Param<String>(owner, e.name(), e.doc(), cast(check));
            case INT_LIST -> new IntArrayParam(owner, e.name(), e.doc(), cast(check));
        };
    }

    @SuppressWarnings("unchecked")
    private static <T> scala.Function1<T, Object> cast(Check<Object> c) {
        return (scala.Function1<T, Object>) (scala.Function1<?, ?>) c;
    }

    /** The params, in table order. */
    List<Param<?>> all() {
        return new ArrayList<>(byKey.values());
    }

    Param<?> byKey(String key) {
        Param<?> p = byKey.get(key);
        if (p == null) {
            throw new IllegalArgumentException("config key '" + key + "' has no param; keys with params: " + byKey.keySet());
        }
        return p;
    }

    /** The configuration the owner's values (set or default) stand for, over the defaults. */
    Config config(org.apache.spark.ml.param.Params owner) {
        Config c = defaults();
        for (Map.Entry<String, Param<?>> e : byKey.entrySet()) {
            c = c.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(configValue(owner.getOrDefault(e.getValue()))));
        }
        return c;
    }

    /** A param value as Typesafe Config takes it (int[] as a list). */
    static Object configValue(Object v) {
        if (v instanceof int[] a) {
            return Arrays.stream(a).boxed().toList();
        }
        return v;
    }

    /**
     * A value given for a param, of another Java type (py4j gives Integer for a Python int,
     * lists for arrays), in the param's own type; anything else is left for the param to reject.
     */
    static Object coerce(Param<?> p, Object v) {
        if (v instanceof Number n) {
            if (p instanceof IntParam) {
                return n.intValue() == n.doubleValue() ? (Object) n.intValue() : v;
            }
            if (p instanceof LongParam) {
                return n.longValue() == n.doubleValue() ? (Object) n.longValue() : v;
            }
            if (p instanceof DoubleParam) {
                return n.doubleValue();
            }
        }
        if (p instanceof org.apache.spark.ml.param.StringArrayParam && v instanceof List<?> list) {
            return list.stream().map(String::valueOf).toArray(String[]::new);
        }
        if (p instanceof IntArrayParam && v instanceof List<?> list) {
            return list.stream().mapToInt(o -> ((Number) o).intValue()).toArray();
        }
        return v;
    }

    /** Runs every converter the params feed; each error names its key. */
    static void convert(Config c) {
        LipflowConfig.flowOptions(c);
        DataSpec source = LipflowConfig.source(c);
        if (source.synthetic() == null) {
            throw new IllegalArgumentException("source: ParticleFlow draws its particles from a generated source (source.synthetic)");
        }
        LipflowConfig.sparkSettings(c);
        LipflowConfig.blowupFactor(c);
    }

    /**
     * A param's validator: the defaults with this value must convert. Fails itself (rather than
     * returning false) so that the message keeps the converter's rule.
     */
    static final class Check<T> extends AbstractFunction1<T, Object> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String key;
        private final String name;
        private final Scope scope;

        Check(String key, String name, Scope scope) {
            this.key = key;
            this.name = name;
            this.scope = scope;
        }

        @Override
        public Object apply(T value) {
            Object v = configValue(value);
            try {
                scope.convert(defaults().withValue(key, ConfigValueFactory.fromAnyRef(v)));
            } catch (IllegalArgumentException | ConfigException e) {
                throw new IllegalArgumentException("param " + name + " (config key " + key + ") given invalid value "
                        + show(v) + ": " + e.getMessage());
            }
            return Boolean.TRUE;
        }
    }

    static String show(Object v) {
        return v instanceof String ? "'" + v + "'" : String.valueOf(v);
    }
}
