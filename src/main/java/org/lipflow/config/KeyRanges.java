package org.lipflow.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The range of every numeric configuration key, checked when a configuration is loaded, whether
 * or not the command or the run uses the key (a {@code target.std = -1} next to a target file, or
 * {@code latent.epochs = -1} in a run configuration, is a mistake to report, not to ignore). The
 * commands check the keys they use again where they use them, with the same messages. Every
 * numeric key of lipflow-defaults.conf must have a rule here (BadInputSuiteTest tries each key out
 * of range and fails for a key without one).
 */
final class KeyRanges {
    /** A range, as the message states it. */
    enum Rule {
        LONG("an integer"),
        FINITE("finite"),
        POSITIVE("> 0 and finite"),
        NON_NEGATIVE(">= 0 and finite"),
        ABOVE_ONE("> 1 and finite"),
        UNIT("in [0, 1)"),
        INT_NON_NEGATIVE(">= 0"),
        INT_POSITIVE(">= 1");

        final String text;

        Rule(String text) {
            this.text = text;
        }

        boolean integer() {
            return this == LONG || this == INT_NON_NEGATIVE || this == INT_POSITIVE;
        }

        boolean holds(double v) {
            return switch (this) {
                case LONG -> Double.isFinite(v) && v == Math.rint(v) && Math.abs(v) <= 9.007199254740992E15;
                case FINITE -> Double.isFinite(v);
                case POSITIVE -> v > 0 && Double.isFinite(v);
                case NON_NEGATIVE -> v >= 0 && Double.isFinite(v);
                case ABOVE_ONE -> v > 1 && Double.isFinite(v);
                case UNIT -> v >= 0 && v < 1;
                case INT_NON_NEGATIVE -> v >= 0 && v <= Integer.MAX_VALUE && v == Math.rint(v);
                case INT_POSITIVE -> v >= 1 && v <= Integer.MAX_VALUE && v == Math.rint(v);
            };
        }
    }

    static final Map<String, Rule> RULES = new LinkedHashMap<>();
    /** Numeric keys that also accept the string auto. */
    private static final java.util.Set<String> AUTO = java.util.Set.of("discriminator.batch-size");
    /** What 0 means, where the rule's message says it. */
    private static final Map<String, String> NOTES = Map.ofEntries(
            Map.entry("flow.blowup-factor", " (0 = off)"),
            Map.entry("monitor.every", " (0 = only at the last step)"),
            Map.entry("target.per-class", " (0 = every row)"),
            Map.entry("source.per-class", " (0 = every row)"),
            Map.entry("discriminator.batch-size", " (0 = full batch) or auto"),
            Map.entry("engine.partitions", " (0 = default parallelism)"),
            Map.entry("engine.threads", " (0 = all cores)"),
            Map.entry("engine.task-threads", " (0 = the executor's cores, shared by its tasks)"),
            Map.entry("target.scale", " (1 = none)"),
            Map.entry("source.scale", " (1 = none)"),
            Map.entry("source.dimension", " (0 = the target's)"),
            Map.entry("flow.stop.kinetic-energy", " (0 = off)"));

    static {
        RULES.put("seed", Rule.LONG);
        for (String s : new String[]{"target", "source"}) {
            RULES.put(s + ".n", Rule.INT_POSITIVE);
            RULES.put(s + ".seed", Rule.LONG);
            RULES.put(s + ".dimension", s.equals("source") ? Rule.INT_NON_NEGATIVE : Rule.INT_POSITIVE);
            RULES.put(s + ".mean", Rule.FINITE);
            RULES.put(s + ".std", Rule.POSITIVE);
            RULES.put(s + ".nu", Rule.POSITIVE);
            RULES.put(s + ".per-class", Rule.INT_NON_NEGATIVE);
            RULES.put(s + ".sample-seed", Rule.LONG);
            RULES.put(s + ".scale", Rule.POSITIVE);
        }
        RULES.put("divergence.alpha", Rule.ABOVE_ONE);
        RULES.put("divergence.lipschitz", Rule.POSITIVE);
        RULES.put("discriminator.learning-rate", Rule.POSITIVE);
        RULES.put("discriminator.steps", Rule.INT_POSITIVE);
        RULES.put("discriminator.batch-size", Rule.INT_NON_NEGATIVE);
        RULES.put("discriminator.beta1", Rule.UNIT);
        RULES.put("discriminator.beta2", Rule.UNIT);
        RULES.put("discriminator.epsilon", Rule.POSITIVE);
        RULES.put("flow.steps", Rule.INT_POSITIVE);
        RULES.put("flow.dt", Rule.POSITIVE);
        RULES.put("flow.blowup-factor", Rule.NON_NEGATIVE);
        RULES.put("flow.step-warning-fraction", Rule.POSITIVE);
        RULES.put("flow.stop.kinetic-energy", Rule.NON_NEGATIVE);
        RULES.put("flow.stop.window", Rule.INT_POSITIVE);
        RULES.put("discriminator.penalty-weight", Rule.POSITIVE);
        RULES.put("monitor.every", Rule.INT_NON_NEGATIVE);
        RULES.put("monitor.max-rows", Rule.INT_POSITIVE);
        RULES.put("monitor.w1-lipschitz", Rule.POSITIVE);
        RULES.put("estimate.steps", Rule.INT_POSITIVE);
        RULES.put("estimate.learning-rate", Rule.POSITIVE);
        RULES.put("engine.threads", Rule.INT_NON_NEGATIVE);
        RULES.put("engine.partitions", Rule.INT_NON_NEGATIVE);
        RULES.put("engine.checkpoint-interval", Rule.INT_POSITIVE);
        RULES.put("checkpoint.keep", Rule.INT_POSITIVE);
        RULES.put("engine.broadcast-limit-mb", Rule.NON_NEGATIVE);
        RULES.put("engine.task-threads", Rule.INT_NON_NEGATIVE);
        RULES.put("engine.averaging-frequency", Rule.INT_POSITIVE);
        RULES.put("engine.auto-max-particles", Rule.INT_NON_NEGATIVE);
        RULES.put("output.snapshots", Rule.INT_NON_NEGATIVE);
        RULES.put("latent.dimension", Rule.INT_POSITIVE);
        RULES.put("latent.epochs", Rule.INT_POSITIVE);
        RULES.put("latent.batch-size", Rule.INT_POSITIVE);
        RULES.put("latent.learning-rate", Rule.POSITIVE);
        RULES.put("latent.seed", Rule.LONG);
        RULES.put("latent.averaging-frequency", Rule.INT_POSITIVE);
    }

    private KeyRanges() {
    }

    /**
     * Checks every numeric key of {@code defaults} in the loaded configuration {@code c}: its type
     * (a number) and its range. Errors name the key, the rule and the value.
     */
    static void check(Config defaults, Config c) {
        for (Map.Entry<String, com.typesafe.config.ConfigValue> e : defaults.entrySet()) {
            if (e.getValue().valueType() != ConfigValueType.NUMBER) {
                continue;
            }
            String key = e.getKey();
            Rule rule = RULES.get(key);
            if (rule == null) {
                continue; // checked where it is used; BadInputSuiteTest fails until the key has a rule here
            }
            if (AUTO.contains(key) && LipflowConfig.isAuto(c, key)) {
                continue;
            }
            if (rule.integer() && rule != Rule.LONG) {
                LipflowConfig.integer(c, key); // a string or an int overflow: "must be an integer, got '...'"
            }
            double v = LipflowConfig.number(c, key);
            if (!rule.holds(v)) {
                boolean whole = Double.isFinite(v) && v == Math.rint(v);
                String got = rule.integer() && whole ? Long.toString((long) v) : Double.toString(v);
                String name = key + (key.equals("source.n") ? " (--particles)" : "");
                throw new IllegalArgumentException(rule.integer() && !whole
                        ? name + " must be an integer, got " + got
                        : name + " must be " + rule.text + NOTES.getOrDefault(key, "") + ", got " + got);
            }
        }
    }
}
