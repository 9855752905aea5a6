package org.lipflow.io;

import java.io.Serializable;

/**
 * The CSV lipflow reads, the same on every engine (RFC 4180, one record per line): a header line
 * of column names, then data rows; fields separated by commas, optionally enclosed in double
 * quotes (a quoted field may hold commas; {@code ""} inside quotes is one quote); spaces around a
 * field are ignored. A UTF-8 byte order mark and the CR of a CRLF line break are dropped; blank
 * lines and lines equal to the header (each part file of a directory repeats it) are skipped.
 * Line breaks inside quoted fields are not supported: a record is one line.
 *
 * <p>A {@code CsvFormat} is the parser of one table's data rows: built from its header on the
 * driver and shipped to Spark executors, so that both engines accept and refuse the same rows
 * with the same messages (only the position differs: a line number, or a partition and line).
 */
final class CsvFormat implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final char BOM = '\uFEFF';

    /** Where a row is, for messages: "line 12" or "partition 3, line 12". */
    interface Position {
        String describe();
    }

    private final String file;
    private final String headerLine;
    private final String[] header;
    private final int[] featureIndex;
    private final int labelIndex;
    private final int idIndex;
    private transient String[] fields;

    /**
     * @param file       the name messages use
     * @param headerLine the first line of the file (of its first part file for a directory), or null when empty
     */
    CsvFormat(String file, String headerLine, ReadOptions o) {
        this.file = file;
        this.headerLine = headerLine == null ? null : clean(headerLine);
        if (this.headerLine == null || this.headerLine.isBlank()) {
            throw new IllegalArgumentException(file + ": empty file (a header line and data rows are expected)");
        }
        Position first = () -> "line 1";
        String[] names = new String[count(this.headerLine, first)];
        split(this.headerLine, names, first);
        for (String h : names) {
            if (isNumber(h)) {
                throw new IllegalArgumentException(file + " line 1: expected a header with column names, found the number '" + h + "'");
            }
        }
        ColumnSelection sel = new ColumnSelection(file, names, o);
        this.header = sel.header;
        this.featureIndex = sel.featureIndex;
        this.labelIndex = sel.labelIndex;
        this.idIndex = sel.idIndex;
    }

    private CsvFormat(CsvFormat o, String file) {
        this.file = file;
        this.headerLine = o.headerLine;
        this.header = o.header;
        this.featureIndex = o.featureIndex;
        this.labelIndex = o.labelIndex;
        this.idIndex = o.idIndex;
    }

    /** The same parser with messages naming another file (a part file of a directory). */
    CsvFormat named(String otherFile) {
        return new CsvFormat(this, otherFile);
    }

    /** A column name as a CSV field: quoted when it holds a comma, a quote or surrounding spaces. */
    static String field(String s) {
        boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || !s.equals(s.trim());
        return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    /** A text value as a CSV field: quoted when it holds a comma, a quote or surrounding spaces, or is empty. */
    static String value(String s) {
        return s == null || s.isEmpty() ? "\"\"" : field(s);
    }

    int dimension() {
        return featureIndex.length;
    }

    String[] featureNames() {
        String[] n = new String[featureIndex.length];
        for (int k = 0; k < n.length; k++) {
            n[k] = header[featureIndex[k]];
        }
        return n;
    }

    /** The label column's name, or null when the table has none. */
    String labelColumn() {
        return labelIndex < 0 ? null : header[labelIndex];
    }

    /** The id column's name, or null when the table has none. */
    String idColumn() {
        return idIndex < 0 ? null : header[idIndex];
    }

    /** The line without a leading byte order mark or a trailing CR. */
    static String clean(String line) {
        int from = !line.isEmpty() && line.charAt(0) == BOM ? 1 : 0;
        int to = line.length();
        if (to > from && line.charAt(to - 1) == '\r') {
            to--;
        }
        return from == 0 && to == line.length() ? line : line.substring(from, to);
    }

    /** True for a cleaned line that holds no data: blank, or a repeated header. */
    boolean skip(String cleaned) {
        return cleaned.isBlank() || cleaned.equals(headerLine);
    }

    /** Parses a cleaned data line into row {@code row} of {@code rows}, validating every value. */
    void parse(String cleaned, BlockBuffer rows, Position at) {
        if (fields == null) {
            fields = new String[header.length];
        }
        int n = split(cleaned, fields, at);
        if (n != header.length) {
            throw new IllegalArgumentException(file + " " + at.describe() + ": expected " + header.length + " fields, found " + n);
        }
        rows.add();
        int d = featureIndex.length;
        int base = (rows.rows - 1) * d;
        for (int k = 0; k < d; k++) {
            rows.x[base + k] = feature(fields[featureIndex[k]], at, header[featureIndex[k]]);
        }
        if (labelIndex >= 0) {
            String s = fields[labelIndex];
            int label = Labels.parse(s);
            if (label < 0) {
                throw new IllegalArgumentException(file + " " + at.describe() + ", column " + header[labelIndex] + ": "
                        + Labels.rule("'" + s + "'"));
            }
            rows.labels[rows.rows - 1] = label;
        }
        if (idIndex >= 0 && rows.keys != null) {
            rows.keys[rows.rows - 1] = fields[idIndex];
        }
    }

    private float feature(String s, Position at, String column) {
        float v;
        try {
            if (javaOnlySyntax(s)) {
                throw new NumberFormatException(s);
            }
            v = Float.parseFloat(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + " " + at.describe() + ", column " + column + ": not a number '" + s + "'"
                    + separatorHint(s));
        }
        if (!Float.isFinite(v)) {
            throw new IllegalArgumentException(file + " " + at.describe() + ", column " + column + ": non-finite value '" + s
                    + "'" + (Double.isFinite(Double.parseDouble(s)) ? " (beyond float range)" : ""));
        }
        return v;
    }

    /**
     * Float.parseFloat also takes Java literals no CSV writer means as numbers: a type suffix
     * ("4f", "2d") and hexadecimal floats ("0x1p3").
     */
    private static boolean javaOnlySyntax(String s) {
        if (s.isEmpty()) {
            return false;
        }
        char last = s.charAt(s.length() - 1);
        return last == 'f' || last == 'F' || last == 'd' || last == 'D' || s.indexOf('x') >= 0 || s.indexOf('X') >= 0;
    }

    /** A value holding ';' or a tab is most likely a whole row of a file with another separator. */
    private static String separatorHint(String value) {
        for (char c : new char[]{';', '\t'}) {
            if (value.indexOf(c) >= 0) {
                return " (fields are separated by commas; this looks like a file separated by "
                        + (c == ';' ? "semicolons" : "tabs") + ")";
            }
        }
        return "";
    }

    private int count(String line, Position at) {
        return split(line, new String[0], at);
    }

    /**
     * Splits a line into fields (as many as {@code out} holds are stored) and returns how many
     * fields the line has. Quoted fields lose their quotes; unquoted ones their surrounding spaces.
     */
    private int split(String line, String[] out, Position at) {
        int n = 0;
        int len = line.length();
        int i = 0;
        while (true) {
            int s = i;
            while (s < len && line.charAt(s) <= ' ') {
                s++;
            }
            String field;
            int end;
            if (s < len && line.charAt(s) == '"') {
                StringBuilder sb = null;
                int from = s + 1;
                int j = from;
                while (true) {
                    if (j >= len) {
                        throw new IllegalArgumentException(file + " " + at.describe() + ": field " + (n + 1)
                                + " has no closing quote (a line break inside quotes is not supported)");
                    }
                    if (line.charAt(j) == '"') {
                        if (j + 1 < len && line.charAt(j + 1) == '"') {
                            sb = (sb == null ? new StringBuilder() : sb).append(line, from, j + 1);
                            j += 2;
                            from = j;
                            continue;
                        }
                        break;
                    }
                    j++;
                }
                field = sb == null ? line.substring(from, j) : sb.append(line, from, j).toString();
                end = j + 1;
                while (end < len && line.charAt(end) <= ' ') {
                    end++;
                }
                if (end < len && line.charAt(end) != ',') {
                    throw new IllegalArgumentException(file + " " + at.describe() + ": field " + (n + 1)
                            + " has text after its closing quote");
                }
            } else {
                end = line.indexOf(',', s);
                if (end < 0) {
                    end = len;
                }
                field = line.substring(s, end).trim();
                if (field.indexOf('"') >= 0) {
                    throw new IllegalArgumentException(file + " " + at.describe() + ": field " + (n + 1)
                            + " has a quote but does not start with one (enclose the field in quotes and double the quote)");
                }
            }
            if (n < out.length) {
                out[n] = field;
            }
            n++;
            if (end >= len) {
                return n;
            }
            i = end + 1;
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
