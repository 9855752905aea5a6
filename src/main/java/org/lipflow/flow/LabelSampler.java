package org.lipflow.flow;

import org.lipflow.util.Rng;

import java.io.Serializable;

/**
 * The class labels of a conditional flow's particles: K, and for particles that come without
 * labels a class drawn from the target's empirical label distribution. It holds only the target's
 * cumulative class counts (K + 1 longs), never the target, so it is cheap to ship to every task.
 * Particle i's class is a pure function of (seed, i): row r = ⌊U·N⌋ of the counter-based stream
 * at counter i, class k with c_k ≤ r &lt; c_{k+1}. The same particle gets the same label whatever
 * the engine and the partitioning.
 */
public final class LabelSampler implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final LabelSampler UNCONDITIONAL = new LabelSampler(null, 0);

    /** c_0 = 0 ≤ c_1 ≤ … ≤ c_K = N; null for an unconditional flow. */
    private final long[] cumulative;
    private final long stream;

    private LabelSampler(long[] cumulative, long stream) {
        this.cumulative = cumulative;
        this.stream = stream;
    }

    /** An unconditional flow: one class, particles carry no labels. */
    public static LabelSampler unconditional() {
        return UNCONDITIONAL;
    }

    /**
     * @param classCounts the target's rows per class (K = length), or null for an unlabelled target
     * @param seed        the flow's seed
     */
    public static LabelSampler of(long[] classCounts, long seed) {
        if (classCounts == null) {
            return UNCONDITIONAL;
        }
        if (classCounts.length == 0) {
            throw new IllegalArgumentException("a labelled target needs at least one class");
        }
        long[] c = new long[classCounts.length + 1];
        for (int k = 0; k < classCounts.length; k++) {
            if (classCounts[k] < 0) {
                throw new IllegalArgumentException("class " + k + " has a negative count " + classCounts[k]);
            }
            c[k + 1] = c[k] + classCounts[k];
        }
        if (c[classCounts.length] == 0) {
            throw new IllegalArgumentException("a labelled target needs at least one labelled row");
        }
        return new LabelSampler(c, Rng.stream(seed, Rng.SOURCE, 7));
    }

    /** Rows per class of {@code labels} (K = largest label + 1), or null when there are no labels. */
    public static long[] counts(int[] labels) {
        if (labels == null) {
            return null;
        }
        int max = -1;
        for (int l : labels) {
            if (l < 0) {
                throw new IllegalArgumentException("labels must be integers >= 0, got " + l);
            }
            max = Math.max(max, l);
        }
        long[] counts = new long[max + 1];
        for (int l : labels) {
            counts[l]++;
        }
        return counts;
    }

    /** K, the number of discriminator outputs (1 for an unconditional flow). */
    public int classes() {
        return cumulative == null ? 1 : cumulative.length - 1;
    }

    public boolean conditional() {
        return cumulative != null;
    }

    /** The class of the particle with this id (conditional flows only). */
    public int label(long id) {
        long n = cumulative[cumulative.length - 1];
        long r = Math.min(n - 1, (long) (Rng.uniform(stream, id) * n));
        int lo = 0, hi = cumulative.length - 1; // smallest j with c_j > r is in (lo, hi]
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > r) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return lo;
    }

    /**
     * The particles as the flow needs them: an unconditional flow drops labels; a conditional one
     * keeps labels that are classes of the target and draws the missing ones by particle id (the
     * row index when the block has no ids).
     */
    public Block attach(Block particles) {
        if (cumulative == null) {
            return particles.labels == null ? particles
                    : new Block(particles.rows, particles.dimension, particles.x, null, particles.ids);
        }
        int k = classes();
        if (particles.labels != null) {
            for (int i = 0; i < particles.rows; i++) {
                int l = particles.labels[i];
                if (l < 0 || l >= k) {
                    throw new IllegalArgumentException("source label " + l + " (particle " + (particles.ids == null ? i : particles.ids[i])
                            + ") is not a class of the target, which has labels 0.." + (k - 1));
                }
            }
            return particles;
        }
        int[] labels = new int[particles.rows];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = label(particles.ids == null ? i : particles.ids[i]);
        }
        return new Block(particles.rows, particles.dimension, particles.x, labels, particles.ids);
    }
}
