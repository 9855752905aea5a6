package org.lipflow.flow;

import org.lipflow.util.Rng;

import java.io.Serializable;

/**
 * The rows one discriminator step trains on when {@code discriminator.batch-size} = b &gt; 0: a
 * GLOBAL minibatch of b (particle, target) pairs per Adam step, drawn with replacement from the
 * counter-based stream keyed by (seed, step, round, i), never by partition. Draw r is a pair
 * (g_r, q_r): a particle row g_r in [0, M) of the whole ensemble (rows in their global order:
 * partition by partition, as the particles' ids number them) and a target row q_r in [0, N).
 * A shard holding global rows [offset, offset + rows) trains on exactly the draws whose g_r falls
 * in its range, so each shard's share is proportional to its rows (in expectation) and the union
 * of the shards' draws is the same b pairs whatever the partitioning: the in-process engine (one
 * shard) trains on all of them.
 *
 * <p>When b ≥ M the particle side is the full shard; when b ≥ N the target side is the full
 * target (the draws still decide which shard gets which target rows when only one side is
 * sampled). A shard that draws nothing at some Adam step skips that step (its θ is still
 * averaged, with its rows as weight). On a co-partitioned target (too large to broadcast) q_r
 * indexes the shard's own part of the target, so there only the particle draws are
 * partition-independent.
 *
 * <p>The training costs O(k·b) rows per outer step whatever M is; only the move is O(M).
 */
public final class Minibatch {
    /** {@code discriminator.batch-size = auto}: see {@link #resolve}. */
    public static final int AUTO = -1;
    /** auto = min(M, max(AUTO_PER_TARGET·N, AUTO_MIN)). */
    static final int AUTO_PER_TARGET = 2;
    static final int AUTO_MIN = 256;

    private Minibatch() {
    }

    /**
     * Where a shard sits in the ensemble.
     *
     * @param offset    global index of the shard's first particle row
     * @param particles M, particles in the whole ensemble
     * @param targets   N, target rows in the whole target
     */
    public record Rows(long offset, long particles, long targets) implements Serializable {
        public Rows {
            if (offset < 0 || particles < 1 || targets < 1) {
                throw new IllegalArgumentException("shard rows need offset >= 0, M >= 1, N >= 1, got " + offset + ", "
                        + particles + ", " + targets);
            }
        }

        /** The whole ensemble as one shard (the in-process engine). */
        public static Rows whole(long particles, long targets) {
            return new Rows(0, particles, targets);
        }
    }

    /**
     * Where every partition of a distributed ensemble sits: the global index of each partition's
     * first row (partition order), M and N.
     */
    public record Partitioning(long[] offsets, long particles, long targets) implements Serializable {
        /** Partitioning of partitions with these row counts (in partition order). */
        public static Partitioning of(long[] rowsPerPartition, long targets) {
            long[] offsets = new long[rowsPerPartition.length];
            long total = 0;
            for (int i = 0; i < rowsPerPartition.length; i++) {
                offsets[i] = total;
                total += rowsPerPartition[i];
            }
            return new Partitioning(offsets, Math.max(1, total), targets);
        }

        public Rows at(int partition) {
            return new Rows(offsets[partition], particles, targets);
        }
    }

    /**
     * The global minibatch b of a configured batch size: 0 (full batch) stays 0; {@link #AUTO}
     * becomes min(M, max(2N, 256)), the full batch when M ≤ max(2N, 256) (so M = N runs are
     * unchanged) and otherwise twice as many particle rows as there are targets: the particle
     * side's sampling error then stays below the target side's, which N fixes.
     */
    public static long resolve(int configured, long particles, long targets) {
        if (configured == AUTO) {
            return Math.min(particles, Math.max(AUTO_PER_TARGET * targets, AUTO_MIN));
        }
        return configured;
    }

    /** The stream of Adam step i of training round {@code round} at outer step {@code step}: shared by every shard. */
    static long stream(long seed, long step, int round, int i) {
        // the slot after the step was the partition when each shard drew its own minibatch; it is 0 so
        // that the in-process engine draws what it drew before
        return Rng.stream(seed, Rng.MINIBATCH, step, 0, round, i);
    }

    /** Global particle row of draw r, in [0, M). */
    static long particleRow(long stream, int r, long particles) {
        long sub = Rng.stream(stream, 0);
        return particles <= Integer.MAX_VALUE ? Rng.index(sub, r, (int) particles) : (long) (Rng.uniform(sub, r) * particles);
    }

    /** Target row of draw r, in [0, n). */
    static int targetRow(long stream, int r, int n) {
        return Rng.index(Rng.stream(stream, 1), r, n);
    }

    /**
     * The draws of one Adam step that fall in a shard: their local particle rows into
     * {@code pRows} and target rows into {@code qRows} (each array at least b long); returns how
     * many. {@code targetRows} is the number of rows of the target block the shard holds.
     */
    static int draw(long stream, long b, Rows at, int shardRows, int targetRows, int[] pRows, int[] qRows) {
        int n = 0;
        long lo = at.offset(), hi = at.offset() + shardRows;
        for (int r = 0; r < b; r++) {
            long g = particleRow(stream, r, at.particles());
            if (g >= lo && g < hi) {
                pRows[n] = (int) (g - lo);
                qRows[n] = targetRow(stream, r, targetRows);
                n++;
            }
        }
        return n;
    }
}
