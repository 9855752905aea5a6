package org.lipflow.io;

import org.lipflow.util.Redaction;

import java.util.Collection;
import java.util.Map;

/**
 * A minimal JSON writer for metrics lines and manifests: maps, lists, strings, numbers, booleans
 * and null. Non-finite doubles become null, which JSON can represent. Nothing lipflow writes as
 * JSON carries a credential: the value of a secret-named key is written as
 * {@value Redaction#REDACTED} and every string loses its URIs' user-info ({@link Redaction}).
 */
public final class Json {
    private Json() {
    }

    /** Already-rendered JSON, embedded verbatim. */
    public record Raw(String json) {
    }

    public static String write(Object o) {
        StringBuilder sb = new StringBuilder();
        append(sb, o);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object o) {
        if (o == null) {
            sb.append("null");
        } else if (o instanceof Raw r) {
            sb.append(Redaction.text(r.json()));
        } else if (o instanceof String s) {
            quote(sb, Redaction.text(s));
        } else if (o instanceof Double || o instanceof Float) {
            double d = ((Number) o).doubleValue();
            sb.append(Double.isFinite(d) ? Double.toString(d) : "null");
        } else if (o instanceof Number || o instanceof Boolean) {
            sb.append(o);
        } else if (o instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                String key = String.valueOf(e.getKey());
                quote(sb, key);
                sb.append(':');
                append(sb, Redaction.isSecretKey(key) && e.getValue() != null ? Redaction.REDACTED : e.getValue());
            }
            sb.append('}');
        } else if (o instanceof Collection<?> c) {
            sb.append('[');
            boolean first = true;
            for (Object e : c) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                append(sb, e);
            }
            sb.append(']');
        } else if (o instanceof int[] a) {
            append(sb, java.util.Arrays.stream(a).boxed().toList());
        } else if (o instanceof double[] a) {
            append(sb, java.util.Arrays.stream(a).boxed().toList());
        } else {
            quote(sb, Redaction.text(o.toString()));
        }
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }
}
