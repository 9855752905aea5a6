package org.lipflow.monitor;

import org.lipflow.eval.ReferenceDistances;
import org.lipflow.eval.SampleDistances;
import org.lipflow.flow.Block;
import org.lipflow.flow.DivergenceEstimator;
import org.lipflow.flow.FlowOptions;
import org.lipflow.util.Rng;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The quality monitors of a run: how far the particles are from a held-out reference sample R,
 * measured during the flow. On a fixed subset of about {@code monitor.max-rows} particles (each
 * kept with probability min(1, max-rows/M) by a counter-based key of its id, so the same particles
 * at every step and on every engine), brought to data space first in a latent run:
 * <ul>
 * <li>energy distance, MMD² with the Gaussian kernel of bandwidth σ = the median pairwise distance
 * of R (fixed at start), sliced W1 over {@link SampleDistances#DIRECTIONS} fixed directions of the
 * seed — {@link ReferenceDistances}, the same code as the {@code eval} command's;</li>
 * <li>with {@code monitor.w1}, the W1 dual estimate D/L of a fresh discriminator of Lipschitz bound
 * L = {@code monitor.w1-lipschitz} trained {@code estimate.steps} Adam steps between the subset and
 * R ({@link DivergenceEstimator}, the {@code divergence} command's code; D/L → W1 as L → 0).</li>
 * </ul>
 * Serializable: the Spark engine broadcasts it and measures on the executors
 * ({@code monitor.spark.SparkQualityMonitor}); in process {@link #measure(Block)} does the same sums
 * on one block.
 */
public final class QualityMonitor implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String ENERGY_DISTANCE = "energy_distance", MMD2 = "mmd2", SLICED_W1 = "sliced_w1",
            W1_DUAL = "w1_dual", MILLIS = "monitor_millis";
    /** The figures in the order metrics.jsonl and monitors.png show them. */
    public static final List<String> FIGURES = List.of(ENERGY_DISTANCE, MMD2, SLICED_W1, W1_DUAL);

    /** Maps the flow's particles to the space of the reference (a latent model's decoder); serializable for Spark. */
    public interface ToData extends Serializable {
        Block apply(Block particles);
    }

    private final MonitorOptions options;
    private final ReferenceDistances reference;
    private final double keep;
    private final long stream;
    private final long particles;
    private final FlowOptions w1Options;
    private final ToData toData;
    private final int threads;

    /**
     * @param reference  the reference rows (features; at most monitor.max-rows of them are used)
     * @param particles  M, the number of particles (sizes the subset's keep probability)
     * @param seed       the run's seed: subset, bandwidth rows and directions
     * @param w1Options  the discriminator options of the W1 dual estimate (its L is monitor.w1-lipschitz), or null
     * @param toData     the map to the reference's space, or null when the particles are already there
     * @param threads    threads of the W1 dual estimate's training
     */
    public QualityMonitor(MonitorOptions options, Block reference, long particles, long seed, FlowOptions w1Options,
                          ToData toData, int threads) {
        if (particles < 1) {
            throw new IllegalArgumentException("no particles to monitor");
        }
        this.options = options;
        this.reference = new ReferenceDistances(SampleDistances.subsample(reference, options.maxRows(),
                Rng.stream(seed, Rng.EVAL, 6)), seed);
        this.particles = particles;
        this.keep = Math.min(1.0, options.maxRows() / (double) particles);
        this.stream = Rng.stream(seed, Rng.EVAL, 5);
        this.w1Options = options.w1() ? w1Options : null;
        this.toData = toData;
        this.threads = threads;
    }

    public MonitorOptions options() {
        return options;
    }

    public ReferenceDistances reference() {
        return reference;
    }

    /** About how many particles are measured: min(M, monitor.max-rows). */
    public long expectedRows() {
        return Math.round(keep * particles);
    }

    /**
     * The measured particles of one block (features only, in the reference's space): those whose
     * id (or index {@code fallbackBase + r} without ids) draws a key below the keep probability.
     */
    public Block sample(Block particles, long fallbackBase) {
        Block kept = SampleDistances.thin(particles, keep, stream, fallbackBase);
        if (toData == null) {
            return kept;
        }
        if (kept.rows == 0) {
            return new Block(0, reference.dimension(), new float[0], null, null);
        }
        Block d = toData.apply(kept);
        return new Block(d.rows, d.dimension, d.x, null, null);
    }

    /** The sums of a measured subset's block ({@link ReferenceDistances#block}). */
    public ReferenceDistances.Sums sums(Block sample) {
        return reference.block(sample);
    }

    /** The sums of a pair of distinct blocks of the measured subset. */
    public ReferenceDistances.Sums pair(Block a, Block b) {
        return reference.pair(a, b);
    }

    /** Whether the W1 dual estimate is on (it needs the whole measured subset in one place). */
    public boolean w1() {
        return w1Options != null;
    }

    /**
     * D/L of a fresh discriminator with Lipschitz bound L trained between the whole measured subset
     * (P) and the reference (Q), as sums that carry only it.
     */
    public ReferenceDistances.Sums w1Dual(Block sample) {
        if (sample.rows == 0) {
            return ReferenceDistances.Sums.extra(Double.NaN);
        }
        double l = w1Options.divergence().lipschitz();
        return ReferenceDistances.Sums.extra(DivergenceEstimator.estimate(w1Options, sample, reference.reference(), threads)
                .divergence() / l);
    }

    /** The particles held in this JVM, measured here: the fields of a monitored step. */
    public Map<String, Object> measure(Block particles) {
        long t0 = System.nanoTime();
        Block sample = sample(particles, 0);
        ReferenceDistances.Sums s = sums(sample);
        if (w1()) {
            s = s.merge(w1Dual(sample));
        }
        return fields(s, (System.nanoTime() - t0) / 1e6);
    }

    /** The fields of a monitored step from the merged sums of the whole measured subset. */
    public Map<String, Object> fields(ReferenceDistances.Sums s, double millis) {
        SampleDistances.Figures f = reference.figures(s);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(ENERGY_DISTANCE, f.energyDistance());
        m.put(MMD2, f.mmd2());
        m.put(SLICED_W1, f.slicedW1());
        if (w1()) {
            m.put(W1_DUAL, s.extra());
        }
        m.put(MILLIS, millis);
        return m;
    }

    /** Blocks gathered into one (features only); an empty block of {@code dimension} for none. */
    public static Block concat(List<Block> blocks, int dimension) {
        int rows = 0;
        for (Block b : blocks) {
            rows += b.rows;
        }
        float[] x = new float[rows * dimension];
        int at = 0;
        for (Block b : blocks) {
            System.arraycopy(b.x, 0, x, at, b.x.length);
            at += b.x.length;
        }
        return new Block(rows, dimension, x, null, null);
    }
}
