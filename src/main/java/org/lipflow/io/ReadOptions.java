package org.lipflow.io;

import java.util.List;
import java.util.Locale;

/**
 * How to read a table: format (csv, parquet or auto by extension), the label column, the feature
 * columns (empty: every column but the label), or one Spark ML vector column (read by the Spark
 * engine).
 *
 * @param labelColumn   the label column; empty or null: none
 * @param labelRequired true when the label column was configured explicitly: then a file without
 *                      it is an error; false (the default name) uses it only when present
 */
public record ReadOptions(String format, String labelColumn, List<String> features, String vectorColumn, boolean labelRequired) {
    public ReadOptions {
        format = format.toLowerCase(Locale.ROOT);
        if (!format.equals("csv") && !format.equals("parquet") && !format.equals("auto")) {
            throw new IllegalArgumentException("format must be csv, parquet or auto, got '" + format + "'");
        }
        features = List.copyOf(features);
        vectorColumn = vectorColumn == null ? "" : vectorColumn;
        labelRequired = labelRequired && labelColumn != null && !labelColumn.isEmpty();
    }

    /** Options whose label column is used only when the file has it. */
    public ReadOptions(String format, String labelColumn, List<String> features, String vectorColumn) {
        this(format, labelColumn, features, vectorColumn, false);
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
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.endsWith(".parquet") || p.endsWith(".parq")) {
            return "parquet";
        }
        return "csv";
    }
}
