package org.lipflow.util;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps credentials out of what lipflow writes and prints: manifests, metrics, log lines and
 * error messages all pass through here. Two kinds of secret are recognised:
 * <ul>
 *   <li>the value of a key whose name says it is one: it contains {@code secret}, {@code password},
 *       {@code token}, {@code credential}, or {@code access.key} / {@code secret.key} with any
 *       separator (so {@code fs.s3a.secret.key}, {@code spark.hadoop.fs.s3a.access.key},
 *       {@code fs.azure.account.key...} is not, but {@code ...sas.token} is), case-insensitive;</li>
 *   <li>the user-info part of a URI ({@code s3a://KEY:SECRET@bucket/path} becomes
 *       {@code s3a://[redacted]@bucket/path}).</li>
 * </ul>
 * The key rule is Spark's default {@code spark.redaction.regex} plus {@code credential} and the
 * account/private key names
 * ({@link #SPARK_REDACTION_REGEX}), so lipflow's outputs and Spark's UI and event logs hide the
 * same keys. Redaction errs on the side of hiding: a path with an {@code @} after its scheme
 * loses the part before the {@code @}.
 */
public final class Redaction {
    /** What replaces a secret. */
    public static final String REDACTED = "[redacted]";

    /** Key names whose values are secrets: also given to Spark as spark.redaction.regex. */
    public static final String SPARK_REDACTION_REGEX = "(?i)secret|password|token|credential|(access|account|private)[._-]?key";

    private static final Pattern SECRET_KEY = Pattern.compile(SPARK_REDACTION_REGEX);

    /** scheme://user-info@ : everything between "//" and the first "@" that is not whitespace, a quote or a bracket. */
    private static final Pattern USER_INFO = Pattern.compile("(\\b[A-Za-z][A-Za-z0-9+.\\-]*://)[^\\s\"'<>@\\[\\]{}]+@");

    /**
     * key=value, key: value, "key": "value" and key value-in-quotes forms whose key names a secret.
     * Group 1: the key with its separator, group 2: the value (quoted or up to a delimiter).
     */
    private static final Pattern SECRET_PAIR = Pattern.compile(
            "((?i)[\\w.\\-]*(?:secret|password|token|credential|(?:access|account|private)[._-]?key)[\\w.\\-]*\"?\\s*[=:]\\s*)"
                    + "(\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'|[^\\s,;&{}\\[\\]()\"']+)");

    private Redaction() {
    }

    /** Whether the value of a key (a config key, a Spark or Hadoop property) with this name is a secret. */
    public static boolean isSecretKey(String name) {
        return name != null && SECRET_KEY.matcher(name.toLowerCase(Locale.ROOT)).find();
    }

    /** {@code s} without URI user-info and without the values of secret-named keys in key=value form. */
    public static String text(String s) {
        if (s == null || s.isEmpty()) {
            return s;
        }
        String out = USER_INFO.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + REDACTED + "@"));
        Matcher pair = SECRET_PAIR.matcher(out);
        if (!pair.find()) {
            return out;
        }
        pair.reset();
        return pair.replaceAll(m -> {
            String v = m.group(2);
            String quote = v.startsWith("\"") ? "\"" : v.startsWith("'") ? "'" : "";
            return Matcher.quoteReplacement(m.group(1) + quote + REDACTED + quote);
        });
    }

    /** The value to write for {@code key}: {@link #REDACTED} for a secret key, else the value with URI user-info removed. */
    public static String value(String key, String value) {
        return isSecretKey(key) ? REDACTED : text(value);
    }
}
