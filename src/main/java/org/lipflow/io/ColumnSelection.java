package org.lipflow.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Which source columns become features and which one holds labels, checked against a header. */
final class ColumnSelection {
    final int[] featureIndex;
    final String[] featureNames;
    final int labelIndex;

    ColumnSelection(String file, String[] header, ReadOptions o) {
        List<String> names = Arrays.asList(header);
        for (int i = 0; i < header.length; i++) {
            if (names.indexOf(header[i]) != i) {
                throw new IllegalArgumentException(file + ": duplicate column '" + header[i] + "'");
            }
        }
        labelIndex = o.labelColumn() == null ? -1 : names.indexOf(o.labelColumn());
        List<Integer> idx = new ArrayList<>();
        if (o.features().isEmpty()) {
            for (int i = 0; i < header.length; i++) {
                if (i != labelIndex) {
                    idx.add(i);
                }
            }
        } else {
            for (String f : o.features()) {
                int i = names.indexOf(f);
                if (i < 0) {
                    throw new IllegalArgumentException(file + ": feature column '" + f + "' not found; columns are " + names);
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
}
