package org.lipflow.io;

import org.lipflow.flow.Block;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The snapshot plots of a run ({@link Plots#snapshot}), drawn on a background thread so that the
 * flow does not wait for them: the first PNG of a JVM costs ~0.5 s of AWT and font start-up, and
 * each one tens of ms, as much as hundreds of steps at M = 200. The flow's thread only copies the
 * rows a plot shows (at most {@link Plots#MAX_POINTS}, the first three coordinates), so the
 * particles may go on moving; the files are the ones {@link Plots#snapshot} draws from the full block.
 * {@link #finish()} waits for them (and reports the first failure) before the output is committed;
 * {@link #close()} stops the thread, so nothing writes into an output that is being removed.
 */
public final class SnapshotPlots implements AutoCloseable {
    private ExecutorService thread;
    private final List<Future<?>> pending = new ArrayList<>();
    private Block targetSample;

    /** Queues the plots of {@code particles} at {@code step} (of {@link Plots#snapshot}) into {@code dir}. */
    public void submit(Path dir, int step, Block target, Block particles) {
        if (particles.dimension < 2) {
            return;
        }
        if (thread == null) {
            thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "lipflow-snapshot-plots");
                t.setDaemon(true);
                return t;
            });
            targetSample = sample(target);
        }
        Block t = targetSample, p = sample(particles);
        pending.add(thread.submit(() -> {
            Plots.snapshot(dir, step, t, p);
            return null;
        }));
    }

    /** Waits for every queued plot; the first failure is thrown. */
    public void finish() throws IOException {
        try {
            for (Future<?> f : pending) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while drawing the snapshot plots", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new UncheckedIOException(new IOException(e.getCause()));
        } finally {
            pending.clear();
        }
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.shutdownNow();
            try {
                thread.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The rows and coordinates a snapshot plot shows: row ⌊i·rows/n⌋ for i &lt; n = min(rows,
     * {@link Plots#MAX_POINTS}) (the rows {@link Plots} picks), coordinates 1..3. Drawn from this
     * block, a plot has the same points as drawn from the whole.
     */
    static Block sample(Block b) {
        int n = Math.min(b.rows, Plots.MAX_POINTS), d = Math.min(b.dimension, 3);
        double stride = b.rows / (double) n;
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(b.x, (int) (i * stride) * b.dimension, x, i * d, d);
        }
        return new Block(n, d, x, null, null);
    }
}
