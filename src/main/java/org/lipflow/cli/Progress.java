package org.lipflow.cli;

import org.lipflow.flow.StepMetrics;

import java.io.PrintWriter;

/** A progress line (step/total, H, KE, ETA) at most once a second; silent when out is null. */
final class Progress {
    private final int total;
    private final PrintWriter out;
    private final long start = System.nanoTime();
    private long lastPrint;
    /** The first reported step and its time: the ETA's rate leaves out start-up (data, JIT, Spark). */
    private int firstStep = -1;
    private long firstTime;

    Progress(int total, PrintWriter out) {
        this.total = total;
        this.out = out;
    }

    void update(StepMetrics m) {
        if (out == null) {
            return;
        }
        long now = System.nanoTime();
        if (firstStep < 0) {
            firstStep = m.step();
            firstTime = now;
        }
        if (now - lastPrint < 1_000_000_000L && m.step() != total) {
            return;
        }
        lastPrint = now;
        double elapsed = (now - start) / 1e9;
        String eta = m.step() == firstStep ? "?" : String.format("%.1fs",
                (now - firstTime) / 1e9 / (m.step() - firstStep) * (total - m.step()));
        out.printf("step %d/%d  H=%.5g  KE=%.4g  max|v|=%.3g  %.1fs elapsed, ETA %s%n", m.step(), total,
                m.divergence(), m.kineticEnergy(), m.maxSpeed(), elapsed, eta);
        out.flush();
    }
}
