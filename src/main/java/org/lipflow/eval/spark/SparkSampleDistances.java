package org.lipflow.eval.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.lipflow.eval.SampleDistances;
import org.lipflow.flow.Block;
import org.lipflow.util.Rng;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * {@link SampleDistances}' figures for samples held as RDDs of blocks, reduced on the executors:
 * <ul>
 * <li>energy distance and MMD²: the pair sums of every pair of blocks ({@code cartesian}), added up
 * — the same V-statistics over all pairs as in process;</li>
 * <li>the MMD bandwidth: the median pairwise distance of at most {@link SampleDistances#BANDWIDTH_ROWS}
 * pooled rows (all rows when the two samples have that few together, as in process; else a seeded
 * sample drawn by each row's id);</li>
 * <li>sliced W1: the same {@link SampleDistances#DIRECTIONS} directions; projections computed on the
 * executors; exact (projections gathered) up to {@link #EXACT_ROWS} rows per sample, else from
 * quantile sketches: each partition sends, per direction, {@link #SKETCH} evenly spaced order
 * statistics of its projections, each weighing its share of the partition's rows;</li>
 * <li>the nearest-neighbour median: for a seeded sample of at most {@link #NN_ROWS} rows (all rows of
 * a smaller sample), the exact distance to the nearest row of the whole training set.</li>
 * </ul>
 */
public final class SparkSampleDistances {
    public static final int EXACT_ROWS = 50_000;
    public static final int SKETCH = 2_000;
    public static final int NN_ROWS = 2_000;

    private SparkSampleDistances() {
    }

    /** Energy distance, MMD² (median-heuristic bandwidth) and sliced W1 of two distributed samples. */
    public static SampleDistances.Figures compare(JavaSparkContext sc, JavaRDD<Block> x, JavaRDD<Block> y, long seed) {
        // each sample is read several times: kept for the call unless the caller keeps it already
        boolean keepX = x.getStorageLevel().equals(StorageLevel.NONE()), keepY = y.getStorageLevel().equals(StorageLevel.NONE());
        if (keepX) {
            x.persist(StorageLevel.MEMORY_AND_DISK());
        }
        if (keepY) {
            y.persist(StorageLevel.MEMORY_AND_DISK());
        }
        try {
            long n = rows(x), m = rows(y);
            int d = dimension(x);
            if (d != dimension(y)) {
                throw new IllegalArgumentException("dimension mismatch: " + d + " and " + dimension(y) + " columns");
            }
            long stream = Rng.stream(seed, Rng.EVAL, 1);
            Block pooled = n + m <= SampleDistances.BANDWIDTH_ROWS
                    ? SampleDistances.concat(gather(x), gather(y))
                    : SampleDistances.concat(sample(x, SampleDistances.BANDWIDTH_ROWS * n / (n + m) + 1, stream, 0),
                            sample(y, SampleDistances.BANDWIDTH_ROWS * m / (n + m) + 1, stream, 1));
            double sigma = SampleDistances.medianPairwiseDistance(pooled);
            double gamma = SampleDistances.gamma(sigma);
            double[] xx = pairSums(x, x, gamma), yy = pairSums(y, y, gamma), xy = pairSums(x, y, gamma);
            return SampleDistances.fromSums(xx, yy, xy, n, m, sigma, slicedW1(x, n, y, m, d, seed));
        } finally {
            if (keepX) {
                x.unpersist(false);
            }
            if (keepY) {
                y.unpersist(false);
            }
        }
    }

    /** The median distance from (a sample of at most NN_ROWS rows of) {@code from} to the nearest row of {@code to}. */
    public static double medianNearestNeighbour(JavaSparkContext sc, JavaRDD<Block> from, JavaRDD<Block> to, long seed) {
        long n = rows(from);
        Block rows = n <= NN_ROWS ? gather(from) : sample(from, NN_ROWS, Rng.stream(seed, Rng.EVAL, 3), 2);
        Broadcast<Block> b = sc.broadcast(rows);
        try {
            double[] nearest = to.map(t -> SampleDistances.nearestSquared(b.value(), t)).reduce((p, q) -> {
                double[] r = new double[p.length];
                for (int i = 0; i < r.length; i++) {
                    r[i] = Math.min(p[i], q[i]);
                }
                return r;
            });
            return SampleDistances.medianOfSquared(nearest);
        } finally {
            b.destroy(false);
        }
    }

    /** Rows that {@link #medianNearestNeighbour} measures from: min(rows, NN_ROWS). */
    public static long nearestNeighbourRows(long rows) {
        return Math.min(rows, NN_ROWS);
    }

    /**
     * About {@code max} of the {@code rows} rows (each kept with probability max/rows, by a key drawn
     * from the stream and its id: deterministic, no gathering); all of them when rows ≤ max.
     */
    public static JavaRDD<Block> thin(JavaRDD<Block> blocks, long rows, long max, long stream) {
        if (rows <= max) {
            return blocks;
        }
        double keep = max / (double) rows;
        return blocks.mapPartitionsWithIndex((part, it) -> {
            List<Block> out = new ArrayList<>();
            while (it.hasNext()) {
                out.add(SampleDistances.thin(it.next(), keep, stream, (long) part << 40));
            }
            return out.iterator();
        }, true);
    }

    public static long rows(JavaRDD<Block> blocks) {
        return blocks.map(b -> (long) b.rows).fold(0L, Long::sum);
    }

    private static int dimension(JavaRDD<Block> blocks) {
        return blocks.map(b -> b.dimension).first();
    }

    private static double[] pairSums(JavaRDD<Block> a, JavaRDD<Block> b, double gamma) {
        return a.cartesian(b).map(t -> SampleDistances.pairSums(t._1(), t._2(), gamma)).fold(new double[2],
                (p, q) -> new double[]{p[0] + q[0], p[1] + q[1]});
    }

    private static Block gather(JavaRDD<Block> blocks) {
        List<Block> parts = blocks.collect();
        Block all = parts.get(0);
        for (int i = 1; i < parts.size(); i++) {
            all = SampleDistances.concat(all, parts.get(i));
        }
        return new Block(all.rows, all.dimension, all.x, null, null);
    }

    /**
     * The {@code max} rows of smallest key, a row's key drawn from the seed's stream by its block
     * id (its partition and position when the block has none) and {@code salt}: deterministic for a
     * given input and partitioning.
     */
    static Block sample(JavaRDD<Block> blocks, long max, long stream, int salt) {
        int k = (int) Math.min(Integer.MAX_VALUE, max);
        List<Tuple2<Double, float[]>> best = blocks.mapPartitionsWithIndex((part, it) -> {
            List<Tuple2<Double, float[]>> keep = new ArrayList<>();
            while (it.hasNext()) {
                Block b = it.next();
                for (int r = 0; r < b.rows; r++) {
                    long id = b.ids != null ? b.ids[r] : ((long) part << 40) + r;
                    keep.add(new Tuple2<>(Rng.uniform(stream, Rng.mix(id * 31 + salt)),
                            Arrays.copyOfRange(b.x, r * b.dimension, (r + 1) * b.dimension)));
                }
                keep.sort((p, q) -> Double.compare(p._1(), q._1()));
                if (keep.size() > k) {
                    keep = new ArrayList<>(keep.subList(0, k));
                }
            }
            return keep.iterator();
        }, true).collect();
        List<Tuple2<Double, float[]>> sorted = new ArrayList<>(best);
        sorted.sort((p, q) -> Double.compare(p._1(), q._1()));
        int rows = Math.min(k, sorted.size()), d = sorted.get(0)._2().length;
        float[] x = new float[rows * d];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(sorted.get(i)._2(), 0, x, i * d, d);
        }
        return new Block(rows, d, x, null, null);
    }

    private static double slicedW1(JavaRDD<Block> x, long n, JavaRDD<Block> y, long m, int d, long seed) {
        return slicedW1(x, n, y, m, d, seed, EXACT_ROWS);
    }

    /** Sliced W1, exact up to {@code exactRows} rows per sample, from quantile sketches above. */
    static double slicedW1(JavaRDD<Block> x, long n, JavaRDD<Block> y, long m, int d, long seed, long exactRows) {
        if (n <= exactRows && m <= exactRows) {
            double[] px = projections(x, d, seed), py = projections(y, d, seed);
            return SampleDistances.slicedW1(px, (int) n, py, (int) m);
        }
        double[][][] sx = sketch(x, n, d, seed), sy = sketch(y, m, d, seed);
        double sum = 0;
        for (int p = 0; p < SampleDistances.DIRECTIONS; p++) {
            sum += SampleDistances.w1Weighted(sx[p][0], sx[p][1], sy[p][0], sy[p][1]);
        }
        return sum / SampleDistances.DIRECTIONS;
    }

    /** All rows' projections, gathered (rows × DIRECTIONS). */
    private static double[] projections(JavaRDD<Block> blocks, int d, long seed) {
        List<double[]> parts = blocks.map(b -> b.rows == 0 ? new double[0]
                : SampleDistances.project(b, SampleDistances.directions(d, seed))).collect();
        int total = parts.stream().mapToInt(a -> a.length).sum(), at = 0;
        double[] all = new double[total];
        for (double[] a : parts) {
            System.arraycopy(a, 0, all, at, a.length);
            at += a.length;
        }
        return all;
    }

    /**
     * Per direction, the weighted atoms {values ascending, weights summing to 1} of the merged
     * partition sketches.
     */
    private static double[][][] sketch(JavaRDD<Block> blocks, long total, int d, long seed) {
        int dirs = SampleDistances.DIRECTIONS;
        List<double[][]> parts = blocks.mapPartitions((Iterator<Block> it) -> {
            List<double[][]> out = new ArrayList<>();
            while (it.hasNext()) {
                Block b = it.next();
                if (b.rows == 0) {
                    continue;
                }
                double[] proj = SampleDistances.project(b, SampleDistances.directions(d, seed));
                int k = Math.min(b.rows, SKETCH);
                double[][] s = new double[dirs + 1][k]; // rows 0..dirs-1: atoms per direction; last row: [rows]
                double[] v = new double[b.rows];
                for (int p = 0; p < dirs; p++) {
                    for (int i = 0; i < b.rows; i++) {
                        v[i] = proj[i * dirs + p];
                    }
                    Arrays.sort(v);
                    for (int j = 0; j < k; j++) {
                        s[p][j] = v[(int) ((j + 0.5) * b.rows / k)];
                    }
                }
                s[dirs] = new double[]{b.rows};
                out.add(s);
            }
            return out.iterator();
        }).collect();
        double[][][] merged = new double[dirs][2][];
        for (int p = 0; p < dirs; p++) {
            int atoms = parts.stream().mapToInt(s -> s[0].length).sum();
            double[][] vw = new double[atoms][2];
            int a = 0;
            for (double[][] s : parts) {
                double w = s[dirs][0] / s[p].length / total;
                for (double v : s[p]) {
                    vw[a][0] = v;
                    vw[a++][1] = w;
                }
            }
            Arrays.sort(vw, (q, r) -> Double.compare(q[0], r[0]));
            merged[p][0] = new double[atoms];
            merged[p][1] = new double[atoms];
            for (int i = 0; i < atoms; i++) {
                merged[p][0][i] = vw[i][0];
                merged[p][1][i] = vw[i][1];
            }
        }
        return merged;
    }
}
