package org.lipflow.io;

import java.util.List;
import java.util.Locale;

/**
 * How to read a table: format (csv, parquet, idx or auto by extension), the label column, the
 * feature columns (empty: every column but the label), or one Spark ML vector column (read by the
 * Spark engine); then which rows to keep and how to scale them.
 *
 * @param labelColumn   the label column; empty or null: none
 * @param labelRequired true when the label column was configured explicitly: then a file without
 *                      it is an error; false (the default name) uses it only when present
 * @param labelsPath    an IDX images file's labels file; empty: the standard name beside it
 * @param perClass      rows drawn per class ({@link ClassBalancedSubset}); 0 = every row
 * @param sampleSeed    seed of that draw
 * @param scale         every feature is multiplied by it (1/255 for pixels; 1 = none)
 * @param idColumn      a row-id column (any text, e.g. a sample name): never a feature, its values kept in the
 *                      table's {@link IdColumn} so results can be joined back; empty or null: none
 * @param idRequired    true when the id column was configured explicitly: then a file without it, and a missing
 *                      or duplicate id, are errors; false (the default name) uses it only when present
 */
public record ReadOptions(String format, String labelColumn, List<String> features, String vectorColumn, boolean labelRequired,
                          String labelsPath, int perClass, long sampleSeed, double scale, String idColumn, boolean idRequired) {
    public ReadOptions {
        format = format.toLowerCase(Locale.ROOT);
        if (!format.equals("csv") && !format.equals("parquet") && !format.equals("idx") && !format.equals("auto")) {
            throw new IllegalArgumentException("format must be csv, parquet, idx or auto, got '" + format + "'");
        }
        features = List.copyOf(features);
        vectorColumn = vectorColumn == null ? "" : vectorColumn;
        labelRequired = labelRequired && labelColumn != null && !labelColumn.isEmpty();
        labelsPath = labelsPath == null ? "" : labelsPath;
        if (perClass < 0) {
            throw new IllegalArgumentException("per-class must be >= 0 (0 = every row), got " + perClass);
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be > 0 and finite (1 = none), got " + scale);
        }
        idColumn = idColumn == null ? "" : idColumn;
        idRequired = idRequired && !idColumn.isEmpty();
        if (!idColumn.isEmpty() && idColumn.equals(labelColumn)) {
            throw new IllegalArgumentException("id-column and label-column must differ, both are '" + idColumn + "'");
        }
        if (!idColumn.isEmpty() && features.contains(idColumn)) {
            throw new IllegalArgumentException("id-column '" + idColumn + "' is also listed in features; an id is never a feature");
        }
    }

    /** Options without an id column. */
    public ReadOptions(String format, String labelColumn, List<String> features, String vectorColumn, boolean labelRequired,
                       String labelsPath, int perClass, long sampleSeed, double scale) {
        this(format, labelColumn, features, vectorColumn, labelRequired, labelsPath, perClass, sampleSeed, scale, "", false);
    }

    /** The same options with the id column {@code column} (explicit: {@code required}). */
    public ReadOptions withIdColumn(String column, boolean required) {
        return new ReadOptions(format, labelColumn, features, vectorColumn, labelRequired, labelsPath, perClass, sampleSeed, scale,
                column, required);
    }

    /** Every row, unscaled. */
    public ReadOptions(String format, String labelColumn, List<String> features, String vectorColumn, boolean labelRequired) {
        this(format, labelColumn, features, vectorColumn, labelRequired, "", 0, 0, 1.0);
    }

    /** Options whose label column is used only when the file has it. */
    public ReadOptions(String format, String labelColumn, List<String> features, String vectorColumn) {
        this(format, labelColumn, features, vectorColumn, false);
    }

    /** lipflow-defaults.conf's: the label column "label" and the id column "id", each used when present. */
    public static ReadOptions defaults() {
        return new ReadOptions("auto", "label", List.of(), "").withIdColumn("id", false);
    }

    /** True when rows are subset or scaled after reading (then the Spark engine reads the file on the driver). */
    public boolean transformsRows() {
        return perClass > 0 || scale != 1.0;
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
        if (IdxFiles.isIdxName(p)) {
            return "idx";
        }
        return "csv";
    }
}
