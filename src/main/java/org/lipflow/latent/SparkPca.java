package org.lipflow.latent;

import org.apache.spark.api.java.JavaRDD;
import org.lipflow.flow.Block;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;
import java.util.List;

/**
 * PCA of a distributed data set. Tall data (n ≥ d): one pass that aggregates the row count, the
 * column sums and XᵀX (d × d, double) of every block with {@code treeAggregate}, then
 * {@link PcaModel#fromScatter} on the driver: the scatter matrix is XᵀX − n·μμᵀ, exact up to double
 * rounding relative to |μ|²/σ² (data far from the origin compared to their spread lose digits).
 * Wide data (n &lt; d) is gathered and fitted in process through its n × n Gram matrix (n rows of
 * d floats must fit the driver).
 */
public final class SparkPca {
    private SparkPca() {
    }

    /** Rows, column sums and XᵀX of the blocks seen so far; {@link #add} a block, {@link #merge} two. */
    public static final class Moments implements Serializable {
        private static final long serialVersionUID = 1L;
        long rows;
        final double[] sum;
        final double[] xtx;

        public Moments(int d) {
            sum = new double[d];
            xtx = new double[d * d];
        }

        public Moments add(Block b) {
            int d = sum.length;
            if (b.dimension != d) {
                throw new IllegalArgumentException("PCA: a block of " + b.dimension + " columns among data of " + d);
            }
            if (b.rows == 0) {
                return this;
            }
            int chunk = Math.max(1, (1 << 22) / d); // rows per product: a block's double copy stays small
            for (int r0 = 0; r0 < b.rows; r0 += chunk) {
                int r1 = Math.min(b.rows, r0 + chunk);
                double[] x = new double[(r1 - r0) * d];
                for (int i = 0; i < x.length; i++) {
                    x[i] = b.x[r0 * d + i];
                    sum[i % d] += x[i];
                }
                INDArray m = Nd4j.create(x, new long[]{r1 - r0, d}, DataType.DOUBLE);
                double[] g = m.transpose().mmul(m).dup('c').data().asDouble();
                for (int i = 0; i < g.length; i++) {
                    xtx[i] += g[i];
                }
            }
            rows += b.rows;
            return this;
        }

        public Moments merge(Moments o) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += o.sum[i];
            }
            for (int i = 0; i < xtx.length; i++) {
                xtx[i] += o.xtx[i];
            }
            rows += o.rows;
            return this;
        }
    }

    /**
     * Fits k components to the rows of {@code blocks}.
     *
     * @param columns the d feature column names
     */
    public static PcaModel fit(JavaRDD<Block> blocks, List<String> columns, int k, String fingerprint) {
        int d = columns.size();
        long n = blocks.map(b -> (long) b.rows).fold(0L, Long::sum);
        if (n < d) {
            Block all = concat(blocks.collect(), d);
            return PcaModel.fit(all, columns, k, fingerprint);
        }
        int depth = Math.max(2, (int) Math.ceil(Math.log(Math.max(2, blocks.getNumPartitions())) / Math.log(8)));
        Moments m = blocks.treeAggregate(new Moments(d), Moments::add, Moments::merge, depth);
        double[] mean = new double[d];
        for (int i = 0; i < d; i++) {
            mean[i] = m.sum[i] / m.rows;
        }
        double[] scatter = m.xtx;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                scatter[i * d + j] -= m.rows * mean[i] * mean[j];
            }
        }
        return PcaModel.fromScatter(columns, mean, scatter, m.rows, k, fingerprint);
    }

    private static Block concat(List<Block> parts, int d) {
        int rows = parts.stream().mapToInt(b -> b.rows).sum();
        float[] x = new float[rows * d];
        int at = 0;
        for (Block b : parts) {
            System.arraycopy(b.x, 0, x, at, b.x.length);
            at += b.x.length;
        }
        return new Block(rows, d, x, null, null);
    }
}
