package org.lipflow.io;

import org.lipflow.flow.Block;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * CSV with a header line, numeric feature columns and an optional integer label column. Every
 * bad value is reported with file, line and column; NaN and infinities are refused.
 */
public final class CsvTables {
    private CsvTables() {
    }

    public static Table read(String path, ReadOptions o) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(FileSystems.open(path), StandardCharsets.UTF_8), 1 << 16)) {
            String headerLine = in.readLine();
            if (headerLine == null || headerLine.isBlank()) {
                throw new IllegalArgumentException(path + ": empty file (a header line and data rows are expected)");
            }
            String[] header = Arrays.stream(headerLine.split(",", -1)).map(String::trim).toArray(String[]::new);
            ColumnSelection sel = new ColumnSelection(path, header, o);
            for (String h : header) {
                if (isNumber(h)) {
                    throw new IllegalArgumentException(path + " line 1: expected a header with column names, found the number '" + h + "'");
                }
            }
            int d = sel.featureIndex.length;
            float[] x = new float[1024 * d];
            int[] labels = sel.labelIndex >= 0 ? new int[1024] : null;
            int rows = 0;
            int lineNo = 1;
            String[] fields = new String[header.length];
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                split(line, fields, path, lineNo, header.length);
                if ((rows + 1) * d > x.length) {
                    x = Arrays.copyOf(x, x.length * 2);
                    if (labels != null) {
                        labels = Arrays.copyOf(labels, labels.length * 2);
                    }
                }
                for (int k = 0; k < d; k++) {
                    int c = sel.featureIndex[k];
                    x[rows * d + k] = parseFeature(fields[c], path, lineNo, header[c]);
                }
                if (labels != null) {
                    labels[rows] = parseLabel(fields[sel.labelIndex], path, lineNo, header[sel.labelIndex]);
                }
                rows++;
            }
            if (rows == 0) {
                throw new IllegalArgumentException(path + ": no data rows");
            }
            Block b = new Block(rows, d, Arrays.copyOf(x, rows * d), labels == null ? null : Arrays.copyOf(labels, rows), null);
            return new Table(sel.featureNames, b, labels == null ? null : header[sel.labelIndex]);
        }
    }

    /** Writes the table with a header; floats in their shortest round-trip form. */
    public static void write(String path, Table t) throws IOException {
        try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(FileSystems.create(path), StandardCharsets.UTF_8), 1 << 16)) {
            out.write(String.join(",", t.columns()));
            if (t.labelColumn() != null) {
                out.write("," + t.labelColumn());
            }
            out.write('\n');
            Block b = t.block();
            StringBuilder sb = new StringBuilder(64);
            for (int r = 0; r < b.rows; r++) {
                sb.setLength(0);
                for (int k = 0; k < b.dimension; k++) {
                    if (k > 0) {
                        sb.append(',');
                    }
                    sb.append(b.x[r * b.dimension + k]);
                }
                if (b.labels != null) {
                    sb.append(',').append(b.labels[r]);
                }
                sb.append('\n');
                out.write(sb.toString());
            }
        }
    }

    private static void split(String line, String[] fields, String path, int lineNo, int expected) {
        int n = 0, start = 0;
        for (int i = 0; i <= line.length(); i++) {
            if (i == line.length() || line.charAt(i) == ',') {
                if (n < expected) {
                    fields[n] = line.substring(start, i).trim();
                }
                n++;
                start = i + 1;
            }
        }
        if (n != expected) {
            throw new IllegalArgumentException(path + " line " + lineNo + ": expected " + expected + " fields, found " + n);
        }
    }

    private static float parseFeature(String s, String path, int line, String column) {
        float v;
        try {
            v = Float.parseFloat(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(path + " line " + line + ", column " + column + ": not a number '" + s + "'");
        }
        if (!Float.isFinite(v)) {
            throw new IllegalArgumentException(path + " line " + line + ", column " + column + ": non-finite value '" + s
                    + "'" + (Double.isFinite(Double.parseDouble(s)) ? " (beyond float range)" : ""));
        }
        return v;
    }

    private static int parseLabel(String s, String path, int line, String column) {
        try {
            int v = Integer.parseInt(s);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(path + " line " + line + ", column " + column
                    + ": labels must be integers >= 0, got '" + s + "'");
        }
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
