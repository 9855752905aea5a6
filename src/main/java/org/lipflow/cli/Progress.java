package org.lipflow.cli;

import org.lipflow.flow.StepMetrics;

import java.io.PrintWriter;

/** A progress line (step/total, H, KE, ETA) at most once a second; silent when out is null. */
final class Progress {
    private final int total;
    private final PrintWriter out;
    private final long start = System.nanoTime();
    private long lastPrint;

    Progress(int total, PrintWriter out) {
        this.total = total;
        this.out = out;
    }

    void update(StepMetrics m) {
        if (out == null) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastPrint < 1_000_000_000L && m.step() != total) {
            return;
        }
        lastPrint = now;
        double elapsed = (now - start) / 1e9;
        double eta = elapsed / m.step() * (total - m.step());
        out.printf("step %d/%d  H=%.5g  KE=%.4g  max|v|=%.3g  %.1fs elapsed, ETA %.1fs%n", m.step(), total,
                m.divergence(), m.kineticEnergy(), m.maxSpeed(), elapsed, eta);
        out.flush();
    }
}
