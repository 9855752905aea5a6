package org.lipflow.latent;

import org.lipflow.flow.Block;

import java.io.Serializable;

/**
 * Per-column count, minimum, maximum, sum and sum of squares of a data set, folded block by block
 * and merged across shards (the same aggregator in process and on Spark executors).
 */
public final class ColumnStats implements Serializable {
    private static final long serialVersionUID = 1L;

    public final int dimension;
    public long rows;
    public final double[] min, max, sum, sumSquares;

    public ColumnStats(int dimension) {
        this.dimension = dimension;
        min = new double[dimension];
        max = new double[dimension];
        sum = new double[dimension];
        sumSquares = new double[dimension];
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
    }

    public static ColumnStats of(Block b) {
        return new ColumnStats(b.dimension).add(b);
    }

    public ColumnStats add(Block b) {
        if (b.dimension != dimension) {
            throw new IllegalArgumentException("block of " + b.dimension + " columns added to statistics of " + dimension);
        }
        for (int r = 0; r < b.rows; r++) {
            int o = r * dimension;
            for (int j = 0; j < dimension; j++) {
                double v = b.x[o + j];
                if (v < min[j]) {
                    min[j] = v;
                }
                if (v > max[j]) {
                    max[j] = v;
                }
                sum[j] += v;
                sumSquares[j] += v * v;
            }
        }
        rows += b.rows;
        return this;
    }

    public ColumnStats merge(ColumnStats o) {
        for (int j = 0; j < dimension; j++) {
            min[j] = Math.min(min[j], o.min[j]);
            max[j] = Math.max(max[j], o.max[j]);
            sum[j] += o.sum[j];
            sumSquares[j] += o.sumSquares[j];
        }
        rows += o.rows;
        return this;
    }

    public double mean(int j) {
        return sum[j] / rows;
    }

    /** Population standard deviation; 1 for a constant column (nothing to scale). */
    public double stdOrOne(int j) {
        double m = mean(j);
        double var = Math.max(0, sumSquares[j] / rows - m * m);
        double s = Math.sqrt(var);
        return s > 1e-12 * Math.max(1, Math.abs(m)) ? s : 1;
    }
}
