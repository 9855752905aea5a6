package org.lipflow.io;

import java.util.Collection;
import java.util.Map;

/**
 * A minimal JSON writer for metrics lines and manifests: maps, lists, strings, numbers, booleans
 * and null. Non-finite doubles become null, which JSON can represent.
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
            sb.append(r.json());
        } else if (o instanceof String s) {
            quote(sb, s);
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
                quote(sb, String.valueOf(e.getKey()));
                sb.append(':');
                append(sb, e.getValue());
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
            quote(sb, o.toString());
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
