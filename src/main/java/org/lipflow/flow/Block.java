package org.lipflow.flow;

import java.io.Serializable;

/**
 * A dense block of rows: particles or target samples. Row-major float matrix (rows × d), optional
 * class labels and optional particle ids. Particles live as a few such blocks per partition,
 * never as one object per particle; every per-particle operation works on the whole block.
 */
public final class Block implements Serializable {
    private static final long serialVersionUID = 1L;

    public final int rows;
    public final int dimension;
    public final float[] x;
    /** Class labels in [0, K) or null. */
    public final int[] labels;
    /** Particle ids or null (targets need none). */
    public final long[] ids;
    /**
     * The velocities of the previous steps, for multistep integrators ({@link Integrator#history()}
     * of them), or null: slot s of (steps × rows × d) holds the velocity of the step n with
     * n mod steps = s. Updated in place by the move, like {@link #x}.
     */
    public final float[] history;

    public Block(int rows, int dimension, float[] x, int[] labels, long[] ids) {
        this(rows, dimension, x, labels, ids, null);
    }

    public Block(int rows, int dimension, float[] x, int[] labels, long[] ids, float[] history) {
        if (x.length != rows * dimension) {
            throw new IllegalArgumentException("block data has " + x.length + " values, expected " + rows + " x " + dimension);
        }
        if (labels != null && labels.length != rows) {
            throw new IllegalArgumentException("block has " + labels.length + " labels for " + rows + " rows");
        }
        if (ids != null && ids.length != rows) {
            throw new IllegalArgumentException("block has " + ids.length + " ids for " + rows + " rows");
        }
        if (history != null && (rows == 0 ? history.length != 0 : history.length % (rows * dimension) != 0)) {
            throw new IllegalArgumentException("block has " + history.length + " history values, not a multiple of " + rows + " x "
                    + dimension);
        }
        this.rows = rows;
        this.dimension = dimension;
        this.x = x;
        this.labels = labels;
        this.ids = ids;
        this.history = history;
    }

    public Block copy() {
        return new Block(rows, dimension, x.clone(), labels == null ? null : labels.clone(), ids == null ? null : ids.clone(),
                history == null ? null : history.clone());
    }

    /** Previous steps' velocities this block carries (0 without a history). */
    public int historySteps() {
        return history == null || rows == 0 ? 0 : history.length / (rows * dimension);
    }

    /** The same rows (sharing their arrays) with a zeroed history of {@code steps} velocities, or without one for 0. */
    public Block withEmptyHistory(int steps) {
        return new Block(rows, dimension, x, labels, ids, steps == 0 ? null : new float[steps * rows * dimension]);
    }

    /** True when every coordinate is finite. */
    public boolean finite() {
        for (float v : x) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
