package org.lipflow.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which columns become features and which one holds labels, checked against a header. Names lose
 * a leading UTF-8 byte order mark (a BOM written before the first column name is not part of it).
 */
final class ColumnSelection {
    final String[] header;
    final int[] featureIndex;
    final String[] featureNames;
    final int labelIndex;
    /** The id column's index, or -1. */
    final int idIndex;

    ColumnSelection(String file, String[] names, ReadOptions o) {
        header = Arrays.stream(names).map(ColumnSelection::name).toArray(String[]::new);
        List<String> cols = Arrays.asList(header);
        for (int i = 0; i < header.length; i++) {
            if (cols.indexOf(header[i]) != i) {
                throw new IllegalArgumentException(file + ": duplicate column '" + header[i] + "'");
            }
        }
        labelIndex = o.labelColumn() == null || o.labelColumn().isEmpty() ? -1 : cols.indexOf(o.labelColumn());
        if (labelIndex < 0 && o.labelRequired()) {
            throw new IllegalArgumentException(file + ": label column '" + o.labelColumn() + "' (label-column) not found; columns are "
                    + cols);
        }
        idIndex = o.idColumn().isEmpty() ? -1 : cols.indexOf(o.idColumn());
        if (idIndex < 0 && o.idRequired()) {
            throw new IllegalArgumentException(file + ": id column '" + o.idColumn() + "' (id-column) not found; columns are " + cols);
        }
        List<Integer> idx = new ArrayList<>();
        if (o.features().isEmpty()) {
            for (int i = 0; i < header.length; i++) {
                if (i != labelIndex && i != idIndex) {
                    idx.add(i);
                }
            }
        } else {
            for (String f : o.features()) {
                int i = cols.indexOf(f);
                if (i < 0) {
                    throw new IllegalArgumentException(file + ": feature column '" + f + "' not found; columns are " + cols);
                }
                idx.add(i);
            }
        }
        if (idx.isEmpty()) {
            throw new IllegalArgumentException(file + ": no feature columns");
        }
        featureIndex = idx.stream().mapToInt(Integer::intValue).toArray();
        featureNames = Arrays.stream(featureIndex).mapToObj(i -> header[i]).toArray(String[]::new);
    }

    /** A column name without a leading byte order mark. */
    static String name(String s) {
        return !s.isEmpty() && s.charAt(0) == '\uFEFF' ? s.substring(1) : s;
    }
}
