package org.lipflow.io;

import java.util.List;
import java.util.Locale;

/**
 * How to read a table: format (csv, parquet or auto by extension), the label column (used when
 * present) and the feature columns (empty: every column but the label), or one Spark ML vector
 * column (read by the Spark engine).
 */
public record ReadOptions(String format, String labelColumn, List<String> features, String vectorColumn) {
    public ReadOptions {
        format = format.toLowerCase(Locale.ROOT);
        if (!format.equals("csv") && !format.equals("parquet") && !format.equals("auto")) {
            throw new IllegalArgumentException("format must be csv, parquet or auto, got '" + format + "'");
        }
        features = List.copyOf(features);
        vectorColumn = vectorColumn == null ? "" : vectorColumn;
    }

    public static ReadOptions defaults() {
        return new ReadOptions("auto", "label", List.of(), "");
    }

    /** The format of {@code path}: the configured one, or by extension when auto. */
    public String formatOf(String path) {
        if (!format.equals("auto")) {
            return format;
        }
        String p = path.toLowerCase(Locale.ROOT);
        if (p.endsWith(".parquet") || p.endsWith(".parq")) {
            return "parquet";
        }
        return "csv";
    }
}
