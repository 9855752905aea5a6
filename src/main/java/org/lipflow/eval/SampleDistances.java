package org.lipflow.eval;

import org.lipflow.flow.Block;
import org.lipflow.util.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Distances between two samples X (n rows) and Y (m rows) of the same dimension, all as
 * V-statistics over every pair (so identical samples give 0 up to rounding):
 * <ul>
 * <li>energy distance 2·E|X−Y| − E|X−X'| − E|Y−Y'| (Székely–Rizzo), Euclidean norms;</li>
 * <li>MMD² with the Gaussian kernel exp(−|x−y|²/(2σ²)), σ the median pairwise distance of the
 * pooled sample (the median heuristic, over at most {@link #BANDWIDTH_ROWS} pooled rows);</li>
 * <li>sliced Wasserstein-1: the mean over {@link #DIRECTIONS} random unit directions (from the
 * seed) of the exact 1-D W1 of the projected samples (in 1-D: W1 itself);</li>
 * <li>the median nearest-neighbour distance from one sample to another (memorisation check).</li>
 * </ul>
 * Pairwise squared distances come from GEMMs in double precision, in tiles of {@link #TILE}
 * rows: O(n·m·d) work, O(TILE²) memory.
 */
public final class SampleDistances {
    public static final int DIRECTIONS = 128;
    public static final int BANDWIDTH_ROWS = 1000;
    static final int TILE = 1024;

    private SampleDistances() {
    }

    /** The three figures of two samples and the kernel bandwidth used for MMD². */
    public record Figures(double energyDistance, double mmd2, double bandwidth, double slicedW1) {
    }

    public static Figures compare(Block x, Block y, long seed) {
        requireSameDimension(x, y);
        return compare(x, y, medianBandwidth(x, y, seed), seed);
    }

    /** The three figures with a given MMD bandwidth σ (the quality monitors fix σ once from the reference). */
    public static Figures compare(Block x, Block y, double sigma, long seed) {
        requireSameDimension(x, y);
        double gamma = gamma(sigma);
        return fromSums(sums(x, x, gamma), sums(y, y, gamma), sums(x, y, gamma), x.rows, y.rows, sigma, slicedW1(x, y, seed));
    }

    /** γ = 1/(2σ²) of the Gaussian kernel exp(−γ|a−b|²). */
    public static double gamma(double sigma) {
        return 1 / (2 * sigma * sigma);
    }

    /**
     * Sum over all pairs of |a−b| and of exp(−γ|a−b|²): {sum of distances, sum of kernel values}.
     * Sums of blocks add up to the sums of their union, so a distributed engine sums block pairs.
     */
    public static double[] pairSums(Block a, Block b, double gamma) {
        return sums(a, b, gamma);
    }

    /** The three figures from pair sums (xx, yy, xy: {@link #pairSums}) of samples of n and m rows. */
    public static Figures fromSums(double[] xx, double[] yy, double[] xy, long n, long m, double sigma, double slicedW1) {
        double nn = (double) n * n, mm = (double) m * m, nm = (double) n * m;
        double energy = 2 * xy[0] / nm - xx[0] / nn - yy[0] / mm;
        double mmd2 = xx[1] / nn + yy[1] / mm - 2 * xy[1] / nm;
        return new Figures(Math.max(0, energy), Math.max(0, mmd2), sigma, slicedW1);
    }

    /** Sum over all pairs of |a−b| and of exp(−γ|a−b|²). */
    private static double[] sums(Block a, Block b, double gamma) {
        double[] s = new double[2];
        tiles(a, b, (d2, fromA, ra, fromB, rb) -> {
            double dist = 0, kern = 0;
            for (double v : d2) {
                dist += Math.sqrt(v);
                kern += Math.exp(-gamma * v);
            }
            s[0] += dist;
            s[1] += kern;
        });
        return s;
    }

    /** The median distance from each row of {@code from} to its nearest row of {@code to}. */
    public static double medianNearestNeighbour(Block from, Block to) {
        return medianOfSquared(nearestSquared(from, to));
    }

    /**
     * The squared distance from each row of {@code from} to its nearest row of {@code to}. The
     * element-wise minimum over blocks of {@code to} is the minimum over their union.
     */
    public static double[] nearestSquared(Block from, Block to) {
        requireSameDimension(from, to);
        double[] nearest = new double[from.rows];
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        tiles(from, to, (d2, fromA, rowsA, fromB, rowsB) -> {
            for (int i = 0; i < rowsA; i++) {
                double m = nearest[fromA + i];
                for (int j = 0; j < rowsB; j++) {
                    m = Math.min(m, d2[i * rowsB + j]);
                }
                nearest[fromA + i] = m;
            }
        });
        return nearest;
    }

    /** The median of the square roots of squared distances (sorts its argument). */
    public static double medianOfSquared(double[] nearest) {
        Arrays.sort(nearest);
        int n = nearest.length;
        double median = n % 2 == 1 ? nearest[n / 2] : 0.5 * (nearest[n / 2 - 1] + nearest[n / 2]);
        return Math.sqrt(median);
    }

    /** σ of the median heuristic: the median pairwise distance of (up to BANDWIDTH_ROWS of) the pooled sample; 1 if that is 0. */
    static double medianBandwidth(Block x, Block y, long seed) {
        return medianPairwiseDistance(subsample(concat(x, y), BANDWIDTH_ROWS, Rng.stream(seed, Rng.EVAL, 1)));
    }

    /** The median distance over the pairs of rows of {@code pooled}; 1 if that is 0 (or there is no pair). */
    public static double medianPairwiseDistance(Block pooled) {
        int n = pooled.rows;
        double[] d = new double[n * (n - 1) / 2];
        int[] k = {0};
        tiles(pooled, pooled, (d2, fromA, rowsA, fromB, rowsB) -> {
            for (int i = 0; i < rowsA; i++) {
                for (int j = 0; j < rowsB; j++) {
                    if (fromA + i < fromB + j) {
                        d[k[0]++] = d2[i * rowsB + j];
                    }
                }
            }
        });
        if (d.length == 0) {
            return 1;
        }
        Arrays.sort(d);
        double median = Math.sqrt(d.length % 2 == 1 ? d[d.length / 2] : 0.5 * (d[d.length / 2 - 1] + d[d.length / 2]));
        return median > 0 ? median : 1;
    }

    /** Mean over DIRECTIONS unit directions θ of W1(θ·X, θ·Y). */
    public static double slicedW1(Block x, Block y, long seed) {
        INDArray t = directions(x.dimension, seed);
        double[] px = project(x, t), py = project(y, t);
        return slicedW1(px, x.rows, py, y.rows);
    }

    /** The mean exact 1-D W1 over the directions of projections (rows × DIRECTIONS, row-major) of two samples. */
    public static double slicedW1(double[] px, int n, double[] py, int m) {
        double sum = 0;
        double[] a = new double[n], b = new double[m];
        for (int p = 0; p < DIRECTIONS; p++) {
            for (int i = 0; i < n; i++) {
                a[i] = px[i * DIRECTIONS + p];
            }
            for (int i = 0; i < m; i++) {
                b[i] = py[i * DIRECTIONS + p];
            }
            sum += w1(a, b);
        }
        return sum / DIRECTIONS;
    }

    /** The DIRECTIONS random unit directions of the seed, as a d × DIRECTIONS matrix. */
    public static INDArray directions(int d, long seed) {
        long stream = Rng.stream(seed, Rng.EVAL, 2);
        double[] theta = new double[d * DIRECTIONS];
        for (int p = 0; p < DIRECTIONS; p++) {
            double norm = 0;
            for (int k = 0; k < d; k++) {
                double g = Rng.gaussian(stream, (long) p * d + k);
                theta[k * DIRECTIONS + p] = g;
                norm += g * g;
            }
            norm = Math.sqrt(norm);
            for (int k = 0; k < d; k++) {
                theta[k * DIRECTIONS + p] /= norm;
            }
        }
        return Nd4j.create(theta, new long[]{d, DIRECTIONS}, 'c');
    }

    /** The rows' projections on the directions: rows × DIRECTIONS, row-major. */
    public static double[] project(Block b, INDArray theta) {
        return matrix(b, 0, b.rows).mmul(theta).dup('c').data().asDouble();
    }

    /**
     * Exact W1 of two 1-D empirical distributions: ∫₀¹ |F⁻¹(u) − G⁻¹(u)| du over the merged
     * breakpoints i/n and j/m of the sorted samples (sorts its arguments in place).
     */
    public static double w1(double[] a, double[] b) {
        Arrays.sort(a);
        Arrays.sort(b);
        int n = a.length, m = b.length, i = 0, j = 0;
        double u = 0, sum = 0;
        while (i < n && j < m) {
            double next = Math.min((i + 1) / (double) n, (j + 1) / (double) m);
            sum += (next - u) * Math.abs(a[i] - b[j]);
            u = next;
            if ((i + 1) / (double) n <= next) {
                i++;
            }
            if ((j + 1) / (double) m <= next) {
                j++;
            }
        }
        return sum;
    }

    /**
     * W1 of two weighted 1-D distributions: atoms {@code a} (ascending) with weights {@code wa},
     * and {@code b}, {@code wb} (each set of weights summing to 1): ∫₀¹ |F⁻¹(u) − G⁻¹(u)| du over the
     * merged cumulative weights. With equal weights 1/n and 1/m it is {@link #w1}.
     */
    public static double w1Weighted(double[] a, double[] wa, double[] b, double[] wb) {
        int i = 0, j = 0;
        double u = 0, ca = wa.length > 0 ? wa[0] : 0, cb = wb.length > 0 ? wb[0] : 0, sum = 0;
        while (i < a.length && j < b.length) {
            double next = Math.min(ca, cb);
            sum += (next - u) * Math.abs(a[i] - b[j]);
            u = next;
            if (ca <= next && ++i < a.length) {
                ca += wa[i];
            }
            if (cb <= next && ++j < b.length) {
                cb += wb[j];
            }
        }
        return sum;
    }

    /** At most {@code max} rows of {@code b}: those with the smallest counter-based keys, in their original order. */
    public static Block subsample(Block b, int max, long stream) {
        if (b.rows <= max) {
            return b;
        }
        Integer[] order = new Integer[b.rows];
        for (int i = 0; i < b.rows; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (i, j) -> Double.compare(Rng.uniform(stream, i), Rng.uniform(stream, j)));
        int[] keep = Arrays.stream(order, 0, max).mapToInt(Integer::intValue).sorted().toArray();
        float[] xs = new float[max * b.dimension];
        int[] labels = b.labels == null ? null : new int[max];
        for (int r = 0; r < max; r++) {
            System.arraycopy(b.x, keep[r] * b.dimension, xs, r * b.dimension, b.dimension);
            if (labels != null) {
                labels[r] = b.labels[keep[r]];
            }
        }
        return new Block(max, b.dimension, xs, labels, null);
    }

    /**
     * The rows of {@code b} kept with probability {@code keep}, each by a key drawn from the stream
     * and its id (its index {@code fallbackBase + r} when the block has no ids): the same rows
     * whatever the blocks and partitions, no gathering. Features only.
     */
    public static Block thin(Block b, double keep, long stream, long fallbackBase) {
        int d = b.dimension, k = 0;
        float[] x = new float[b.x.length];
        for (int r = 0; r < b.rows; r++) {
            long id = b.ids != null ? b.ids[r] : fallbackBase + r;
            if (keep >= 1 || Rng.uniform(stream, Rng.mix(id)) < keep) {
                System.arraycopy(b.x, r * d, x, k++ * d, d);
            }
        }
        return new Block(k, d, Arrays.copyOf(x, k * d), null, null);
    }

    /** The rows of a and then of b (features only). */
    public static Block concat(Block a, Block b) {
        float[] x = Arrays.copyOf(a.x, a.x.length + b.x.length);
        System.arraycopy(b.x, 0, x, a.x.length, b.x.length);
        return new Block(a.rows + b.rows, a.dimension, x, null, null);
    }

    private static void requireSameDimension(Block a, Block b) {
        if (a.dimension != b.dimension) {
            throw new IllegalArgumentException("dimension mismatch: " + a.dimension + " and " + b.dimension + " columns");
        }
    }

    /** Receives one tile of squared distances: rows [fromA, fromA + rowsA) of a against [fromB, fromB + rowsB) of b, row-major. */
    private interface TileVisitor {
        void visit(double[] d2, int fromA, int rowsA, int fromB, int rowsB);
    }

    /** Squared distances |a_i − b_j|² = |a_i|² + |b_j|² − 2 a_i·b_j, tile by tile (clipped at 0). */
    private static void tiles(Block a, Block b, TileVisitor visitor) {
        double[] na = norms(a), nb = norms(b);
        for (int i0 = 0; i0 < a.rows; i0 += TILE) {
            int ra = Math.min(TILE, a.rows - i0);
            INDArray ta = matrix(a, i0, ra);
            for (int j0 = 0; j0 < b.rows; j0 += TILE) {
                int rb = Math.min(TILE, b.rows - j0);
                double[] g = ta.mmul(matrix(b, j0, rb).transpose()).dup('c').data().asDouble();
                for (int i = 0; i < ra; i++) {
                    for (int j = 0; j < rb; j++) {
                        int k = i * rb + j;
                        g[k] = Math.max(0, na[i0 + i] + nb[j0 + j] - 2 * g[k]);
                    }
                }
                visitor.visit(g, i0, ra, j0, rb);
            }
        }
    }

    private static double[] norms(Block b) {
        double[] n = new double[b.rows];
        for (int r = 0; r < b.rows; r++) {
            double s = 0;
            for (int k = r * b.dimension, end = k + b.dimension; k < end; k++) {
                s += (double) b.x[k] * b.x[k];
            }
            n[r] = s;
        }
        return n;
    }

    /** Rows [from, from + rows) of a block as a double matrix. */
    private static INDArray matrix(Block b, int from, int rows) {
        double[] d = new double[rows * b.dimension];
        for (int i = 0; i < d.length; i++) {
            d[i] = b.x[from * b.dimension + i];
        }
        return Nd4j.create(d, new long[]{rows, b.dimension}, 'c');
    }
}
