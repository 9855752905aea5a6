package org.lipflow.monitor;

import java.io.Serializable;

/**
 * The {@code monitor.*} keys: quality monitors of a run against a held-out reference sample.
 *
 * @param reference    monitor.reference: the reference file (CSV, Parquet, any Hadoop URI), "" = no monitors
 * @param every        monitor.every: measure at every step n with n % every == 0; 0 = only at the last step
 * @param maxRows      monitor.max-rows: about this many particles are measured (each kept with probability
 *                     maxRows / M by its id: the same particles at every step), and at most this many reference rows
 * @param w1           monitor.w1: also the W1 dual estimate D/L of a separately trained discriminator
 * @param w1Lipschitz  monitor.w1-lipschitz: its Lipschitz bound L (small: D/L → W1 as L → 0)
 */
public record MonitorOptions(String reference, int every, int maxRows, boolean w1, double w1Lipschitz) implements Serializable {
    public static final MonitorOptions OFF = new MonitorOptions("", 50, 2000, false, 0.01);

    public MonitorOptions {
        reference = reference == null ? "" : reference.trim();
        if (every < 0) {
            throw new IllegalArgumentException("monitor.every must be >= 0 (0 = only at the last step), got " + every);
        }
        if (maxRows < 1) {
            throw new IllegalArgumentException("monitor.max-rows must be >= 1, got " + maxRows);
        }
        if (!(w1Lipschitz > 0) || Double.isInfinite(w1Lipschitz)) {
            throw new IllegalArgumentException("monitor.w1-lipschitz must be > 0 and finite, got " + w1Lipschitz);
        }
    }

    /** Monitors run only with a reference. */
    public boolean enabled() {
        return !reference.isEmpty();
    }

    /**
     * Whether step n (1 ≤ n ≤ steps) is measured: every {@code every}-th step and the last step
     * (a run stopped early by flow.stop.* is measured at the step it stopped, see the engines).
     */
    public boolean due(int step, int steps) {
        return enabled() && step >= 1 && (step == steps || every > 0 && step % every == 0);
    }
}
