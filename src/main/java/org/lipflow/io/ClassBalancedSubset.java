package org.lipflow.io;

import org.lipflow.flow.Block;
import org.lipflow.util.Rng;

import java.util.Arrays;

/**
 * A scarce, class-balanced subset: {@code perClass} rows of every class, the paper's N = 200
 * targets (20 per class), drawn from every class that has rows. Each row gets a key from the seed and the row's own values (pixels and
 * label), counter-based with {@link Rng}; a class keeps its rows of smallest key. So the draw is
 * deterministic, and the same rows in another file order give the same subset (returned ordered
 * by class, then key).
 */
public final class ClassBalancedSubset {
    private ClassBalancedSubset() {
    }

    /**
     * @param file what errors call the data set
     */
    public static Block draw(Block b, int perClass, long seed, String file) {
        if (b.labels == null) {
            throw new IllegalArgumentException(file + ": per-class = " + perClass + " draws rows per class, but the data set has no "
                    + "labels (set per-class = 0, or give it a label column / labels file)");
        }
        long stream = Rng.stream(seed, Rng.SUBSET);
        int classes = Arrays.stream(b.labels).max().orElse(-1) + 1;
        long[] count = new long[classes];
        for (int label : b.labels) {
            count[label]++;
        }
        int present = 0;
        for (int k = 0; k < classes; k++) {
            if (count[k] > 0 && count[k] < perClass) {
                throw new IllegalArgumentException(file + ": class " + k + " has " + count[k] + " rows, fewer than per-class = "
                        + perClass);
            }
            present += count[k] > 0 ? 1 : 0;
        }
        long[] keys = new long[b.rows];
        Integer[] order = new Integer[b.rows];
        for (int r = 0; r < b.rows; r++) {
            keys[r] = key(stream, b, r);
            order[r] = r;
        }
        Arrays.sort(order, (i, j) -> b.labels[i] != b.labels[j] ? Integer.compare(b.labels[i], b.labels[j])
                : Long.compare(keys[i], keys[j]));
        int rows = present * perClass, d = b.dimension;
        float[] x = new float[rows * d];
        int[] labels = new int[rows];
        long[] ids = b.ids == null ? null : new long[rows];
        int out = 0, taken = 0, current = -1;
        for (Integer r : order) {
            if (b.labels[r] != current) {
                current = b.labels[r];
                taken = 0;
            }
            if (taken++ < perClass) {
                System.arraycopy(b.x, r * d, x, out * d, d);
                if (ids != null) {
                    ids[out] = b.ids[r];
                }
                labels[out++] = current;
            }
        }
        return new Block(rows, d, x, labels, ids);
    }

    /** A key of the row's values: equal rows get equal keys whatever their position. */
    private static long key(long stream, Block b, int r) {
        long h = Rng.mix(stream ^ b.labels[r]);
        for (int k = r * b.dimension, end = k + b.dimension; k < end; k++) {
            h = Rng.mix(h + Float.floatToIntBits(b.x[k]));
        }
        return h;
    }

    /** Every feature multiplied by {@code scale} (1 returns the block itself). */
    public static Block scaled(Block b, double scale) {
        if (scale == 1.0) {
            return b;
        }
        float[] x = new float[b.x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (b.x[i] * scale);
        }
        return new Block(b.rows, b.dimension, x, b.labels, b.ids);
    }
}
