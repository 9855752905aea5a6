package org.lipflow.engine.spark;

import org.lipflow.flow.Block;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Block utilities for partitions: concatenation, slices and strided samples. */
final class Blocks {
    private Blocks() {
    }

    /** All blocks of a partition as one new block (a copy even when there is only one). */
    static Block concatCopy(Iterator<Block> it) {
        List<Block> parts = new ArrayList<>();
        it.forEachRemaining(parts::add);
        if (parts.isEmpty()) {
            return null;
        }
        if (parts.size() == 1) {
            return parts.get(0).copy();
        }
        int rows = 0, d = parts.get(0).dimension;
        boolean labels = parts.get(0).labels != null, ids = parts.get(0).ids != null;
        int steps = parts.stream().filter(b -> b.rows > 0).findFirst().map(Block::historySteps).orElse(0);
        for (Block b : parts) {
            rows += b.rows;
            if (b.rows > 0 && b.historySteps() != steps) {
                throw new IllegalStateException("blocks of one partition carry velocity histories of " + steps + " and "
                        + b.historySteps() + " steps");
            }
        }
        float[] x = new float[rows * d];
        int[] l = labels ? new int[rows] : null;
        long[] id = ids ? new long[rows] : null;
        int r = 0;
        for (Block b : parts) {
            System.arraycopy(b.x, 0, x, r * d, b.rows * d);
            if (labels) {
                System.arraycopy(b.labels, 0, l, r, b.rows);
            }
            if (ids) {
                System.arraycopy(b.ids, 0, id, r, b.rows);
            }
            r += b.rows;
        }
        return new Block(rows, d, x, l, id, steps == 0 ? null : concatHistory(parts, steps, rows * d));
    }

    /** The blocks' velocity histories, slot by slot (each slot holds every row of the partition). */
    private static float[] concatHistory(List<Block> parts, int steps, int size) {
        float[] h = new float[steps * size];
        for (int s = 0; s < steps; s++) {
            int at = s * size;
            for (Block b : parts) {
                int n = b.rows * b.dimension;
                if (n > 0) {
                    System.arraycopy(b.history, s * n, h, at, n);
                }
                at += n;
            }
        }
        return h;
    }

    /**
     * A partition's particles as a block the step may move in place: the coordinates are a new
     * array (the cached input must stay as it was, so that a retried task starts from it), while
     * ids and labels, which no step changes, are shared with the input rather than copied.
     */
    static Block movable(List<Block> parts) {
        if (parts.size() == 1) {
            Block b = parts.get(0);
            // the velocity history is moved in place too, so it is copied like the coordinates
            return new Block(b.rows, b.dimension, b.x.clone(), b.labels, b.ids, b.history == null ? null : b.history.clone());
        }
        return concatCopy(parts.iterator());
    }

    /** All blocks of a partition as one block, the block itself when there is only one (read-only use). */
    static Block concat(List<Block> parts) {
        return parts.size() == 1 ? parts.get(0) : concatCopy(parts.iterator());
    }

    /** Rows [from, to) as a new block; rows of a block without ids get their index as id. */
    static Block slice(Block b, int from, int to) {
        int d = b.dimension;
        float[] x = java.util.Arrays.copyOfRange(b.x, from * d, to * d);
        int[] l = b.labels == null ? null : java.util.Arrays.copyOfRange(b.labels, from, to);
        long[] id = new long[to - from];
        for (int r = from; r < to; r++) {
            id[r - from] = b.ids == null ? r : b.ids[r];
        }
        return new Block(to - from, d, x, l, id);
    }

    /** Every k-th row (at most max rows from this block). */
    static Block strided(Block b, int max) {
        if (b.rows <= max) {
            return b;
        }
        int stride = (b.rows + max - 1) / max;
        int rows = (b.rows + stride - 1) / stride;
        int d = b.dimension;
        float[] x = new float[rows * d];
        int[] l = b.labels == null ? null : new int[rows];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(b.x, i * stride * d, x, i * d, d);
            if (l != null) {
                l[i] = b.labels[i * stride];
            }
        }
        return new Block(rows, d, x, l, null);
    }
}
