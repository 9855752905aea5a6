package org.lipflow.eval;

import org.lipflow.flow.Block;
import org.lipflow.util.Rng;

import java.io.Serializable;
import java.util.Arrays;

/**
 * {@link SampleDistances}' figures of many samples against one fixed reference R (m rows), the
 * reference's side computed once: its pair sums, its projections on the sliced-W1 directions and
 * the MMD bandwidth σ = the median pairwise distance of R (of at most
 * {@link SampleDistances#BANDWIDTH_ROWS} of its rows), fixed so that figures of different samples
 * (the particles at different steps) are comparable. A sample's side is a {@link Sums}: blocks of
 * the sample contribute their own {@link #block} sums and each pair of distinct blocks its
 * {@link #pair} sums, and sums merge by addition, so a distributed engine reduces them in any order
 * and gets the figures of the whole sample (to rounding). Serializable: broadcast it.
 */
public final class ReferenceDistances implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Block reference;
    private final long seed;
    private final double sigma;
    private final double gamma;
    private final double[] rr;
    private final double[] projections;

    /**
     * @param reference the reference rows (features only are used)
     * @param seed      seed of the bandwidth rows and of the sliced-W1 directions
     */
    public ReferenceDistances(Block reference, long seed) {
        if (reference.rows < 1) {
            throw new IllegalArgumentException("the reference sample is empty");
        }
        this.reference = new Block(reference.rows, reference.dimension, reference.x, null, null);
        this.seed = seed;
        this.sigma = SampleDistances.medianPairwiseDistance(SampleDistances.subsample(this.reference,
                SampleDistances.BANDWIDTH_ROWS, Rng.stream(seed, Rng.EVAL, 1)));
        this.gamma = SampleDistances.gamma(sigma);
        this.rr = SampleDistances.pairSums(this.reference, this.reference, gamma);
        this.projections = SampleDistances.project(this.reference, SampleDistances.directions(reference.dimension, seed));
    }

    public int dimension() {
        return reference.dimension;
    }

    public int rows() {
        return reference.rows;
    }

    /** σ of the MMD kernel: the median pairwise distance of the reference (1 when that is 0). */
    public double bandwidth() {
        return sigma;
    }

    public Block reference() {
        return reference;
    }

    /**
     * The sums of one block of the sample: its pairs among themselves, its pairs with the reference
     * and its projections.
     */
    public Sums block(Block b) {
        requireDimension(b);
        Sums s = new Sums();
        s.rows = b.rows;
        if (b.rows > 0) {
            s.pp = SampleDistances.pairSums(b, b, gamma);
            s.pr = SampleDistances.pairSums(b, reference, gamma);
            s.projections = SampleDistances.project(b, SampleDistances.directions(b.dimension, seed));
        }
        return s;
    }

    /** The sums of the pairs between two distinct blocks of the sample (each unordered pair counted both ways). */
    public Sums pair(Block a, Block b) {
        requireDimension(a);
        requireDimension(b);
        Sums s = new Sums();
        if (a.rows > 0 && b.rows > 0) {
            double[] ab = SampleDistances.pairSums(a, b, gamma);
            s.pp = new double[]{2 * ab[0], 2 * ab[1]};
        }
        return s;
    }

    /** Energy distance, MMD² and sliced W1 of the sample whose sums are {@code s} against the reference. */
    public SampleDistances.Figures figures(Sums s) {
        if (s.rows < 1) { // no row of the sample was measured: nothing to say
            return new SampleDistances.Figures(Double.NaN, Double.NaN, sigma, Double.NaN);
        }
        if (s.rows > Integer.MAX_VALUE / SampleDistances.DIRECTIONS) {
            throw new IllegalArgumentException("too many sample rows for exact sliced W1: " + s.rows);
        }
        return SampleDistances.fromSums(s.pp, rr, s.pr, s.rows, reference.rows, sigma,
                SampleDistances.slicedW1(s.projections, (int) s.rows, projections, reference.rows));
    }

    /** The figures of one sample held whole: {@code figures(block(sample))}. */
    public SampleDistances.Figures compare(Block sample) {
        return figures(block(sample));
    }

    private void requireDimension(Block b) {
        if (b.dimension != reference.dimension) {
            throw new IllegalArgumentException("dimension mismatch: the sample has " + b.dimension + " columns, the reference "
                    + reference.dimension);
        }
    }

    /**
     * A sample's side of the figures, additive over blocks: rows, pair sums among the sample
     * {Σ|a−b|, Σ exp(−γ|a−b|²)}, pair sums with the reference, the rows' projections (rows ×
     * DIRECTIONS, row-major; order of rows immaterial) and an optional extra figure (the W1 dual
     * estimate, NaN when absent) computed where the whole sample was at hand.
     */
    public static final class Sums implements Serializable {
        private static final long serialVersionUID = 1L;

        long rows;
        double[] pp = new double[2];
        double[] pr = new double[2];
        double[] projections = new double[0];
        double extra = Double.NaN;

        public Sums() {
        }

        /** Sums that carry only an extra figure. */
        public static Sums extra(double value) {
            Sums s = new Sums();
            s.extra = value;
            return s;
        }

        public double extra() {
            return extra;
        }

        public long rows() {
            return rows;
        }

        /** The sums of both parts (a new object; neither part changes). */
        public Sums merge(Sums o) {
            Sums s = new Sums();
            s.rows = rows + o.rows;
            s.pp = new double[]{pp[0] + o.pp[0], pp[1] + o.pp[1]};
            s.pr = new double[]{pr[0] + o.pr[0], pr[1] + o.pr[1]};
            s.projections = Arrays.copyOf(projections, projections.length + o.projections.length);
            System.arraycopy(o.projections, 0, s.projections, projections.length, o.projections.length);
            s.extra = Double.isNaN(extra) ? o.extra : extra;
            return s;
        }
    }
}
