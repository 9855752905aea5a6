package org.lipflow.io;

import org.lipflow.flow.Block;

import java.util.Arrays;

/** A block being filled row by row by a reader: features (and labels) in arrays that double as they fill. */
final class BlockBuffer {
    final int dimension;
    float[] x;
    int[] labels;
    /** Row ids as text (a side column: one String per row, only when the table has an id column). */
    String[] keys;
    int rows;

    BlockBuffer(int dimension, boolean labelled) {
        this(dimension, labelled, false);
    }

    BlockBuffer(int dimension, boolean labelled, boolean keyed) {
        this.dimension = dimension;
        this.x = new float[1024 * dimension];
        this.labels = labelled ? new int[1024] : null;
        this.keys = keyed ? new String[1024] : null;
    }

    /** The ids of the rows read so far, or null without an id column. */
    String[] keys() {
        return keys == null ? null : Arrays.copyOf(keys, rows);
    }

    /** Makes room for one more row and counts it; the caller fills row {@code rows - 1}. */
    void add() {
        if ((rows + 1) * dimension > x.length) {
            x = Arrays.copyOf(x, x.length * 2);
        }
        if (labels != null && rows + 1 > labels.length) {
            labels = Arrays.copyOf(labels, labels.length * 2);
        }
        if (keys != null && rows + 1 > keys.length) {
            keys = Arrays.copyOf(keys, keys.length * 2);
        }
        rows++;
    }

    Block build(long[] ids) {
        return new Block(rows, dimension, Arrays.copyOf(x, rows * dimension), labels == null ? null : Arrays.copyOf(labels, rows), ids);
    }
}
