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

    public Block(int rows, int dimension, float[] x, int[] labels, long[] ids) {
        if (x.length != rows * dimension) {
            throw new IllegalArgumentException("block data has " + x.length + " values, expected " + rows + " x " + dimension);
        }
        if (labels != null && labels.length != rows) {
            throw new IllegalArgumentException("block has " + labels.length + " labels for " + rows + " rows");
        }
        if (ids != null && ids.length != rows) {
            throw new IllegalArgumentException("block has " + ids.length + " ids for " + rows + " rows");
        }
        this.rows = rows;
        this.dimension = dimension;
        this.x = x;
        this.labels = labels;
        this.ids = ids;
    }

    public Block copy() {
        return new Block(rows, dimension, x.clone(), labels == null ? null : labels.clone(), ids == null ? null : ids.clone());
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
