package org.lipflow.util;

/**
 * Counter-based random numbers: every draw is a pure function of (stream, counter), where a
 * stream is derived from (seed, purpose, step, partition, ...). No generator state is shared or
 * carried, so a recomputed Spark task, a resumed run or a different partitioning reproduces
 * exactly the same numbers.
 */
public final class Rng {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Rng() {
    }

    /** SplitMix64 finaliser: a bijective 64-bit mixer with full avalanche. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A stream key derived from a seed and any number of keys (purpose, step, partition...). */
    public static long stream(long seed, long... keys) {
        long s = mix(seed * GOLDEN + 0x632BE59BD9B4E019L);
        for (long k : keys) {
            s = mix(s ^ mix(k + GOLDEN));
        }
        return s;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public static double uniform(long stream, long counter) {
        return (mix(stream + counter * GOLDEN) >>> 11) * 0x1.0p-53;
    }

    /** Uniform integer in [0, n). */
    public static int index(long stream, long counter, int n) {
        return (int) ((mix(stream + counter * GOLDEN) >>> 33) * n >>> 31);
    }

    /** Standard normal by Box–Muller on two uniforms of the same counter pair. */
    public static double gaussian(long stream, long counter) {
        double u1 = 1.0 - uniform(stream, 2 * counter);
        double u2 = uniform(stream, 2 * counter + 1);
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** Named purposes, so two uses of the same seed never share a stream. */
    public static final long SOURCE = 1, INIT = 2, MINIBATCH = 3, DATASET = 4, POWER = 5, PROBE = 6, SUBSET = 7, EVAL = 8;
}
