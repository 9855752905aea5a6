package org.lipflow.io;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A table's row ids (source.id-column: sample names, barcodes; any text), kept beside the dense
 * block as a side column aligned with its rows so transported particles can be joined back to the
 * rows they started from. Never a feature, never one object per particle in the flow: the engines
 * move blocks, and the writers put this column next to them.
 *
 * @param name   the column's name (written as the output's first column)
 * @param values one id per row, in row order
 */
public record IdColumn(String name, String[] values) implements Serializable {

    /**
     * Every row must have an id, and no two the same: the one-line error names the file, the column
     * and the rows (checked when the id column was configured explicitly).
     */
    public void requireUnique(String file) {
        Map<String, Integer> seen = new HashMap<>(values.length * 2);
        for (int r = 0; r < values.length; r++) {
            String v = values[r];
            if (v == null || v.isEmpty()) {
                throw new IllegalArgumentException(file + " row " + (r + 1) + ", column " + name + ": missing id (id-column)");
            }
            Integer first = seen.putIfAbsent(v, r);
            if (first != null) {
                throw new IllegalArgumentException(file + " rows " + (first + 1) + " and " + (r + 1) + ", column " + name
                        + ": duplicate id '" + v + "' (id-column: ids must be unique to join results back)");
            }
        }
    }

    /** Rows [from, to) of the column. */
    public IdColumn slice(int from, int to) {
        return new IdColumn(name, Arrays.copyOfRange(values, from, to));
    }

    /** The ids of the rows {@code rows} (row indices into this column), in that order. */
    public IdColumn select(long[] rows) {
        String[] v = new String[rows.length];
        for (int i = 0; i < rows.length; i++) {
            v[i] = values[(int) rows[i]];
        }
        return new IdColumn(name, v);
    }
}
