package org.lipflow.util;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs numbered chunks of work on a fixed set of worker threads; each worker has an index so it
 * can own a workspace. Results must be stored per chunk by the caller and combined in chunk
 * order: that makes every result independent of the thread count and of scheduling.
 */
public final class ChunkPool implements AutoCloseable {

    /** Work on one chunk by the worker with the given index. */
    @FunctionalInterface
    public interface ChunkTask {
        void run(int chunk, int worker);
    }

    private final int threads;
    private final ExecutorService executor;
    /** Workers shared by every pool of this JVM with that many threads: the caller only waits (see {@link #shared}). */
    private final boolean shared;
    private static final java.util.Map<Integer, ExecutorService> SHARED = new java.util.concurrent.ConcurrentHashMap<>();

    public ChunkPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("engine.threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.shared = false;
        this.executor = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "lipflow-worker");
            t.setDaemon(true);
            return t;
        });
    }

    private ChunkPool(int threads, ExecutorService executor) {
        this.threads = threads;
        this.executor = executor;
        this.shared = true;
    }

    /**
     * A pool whose parallel passes run on {@code threads} workers that every shared pool of this
     * JVM with that size uses together: concurrent callers (the tasks of one Spark executor)
     * interleave their chunks on one set of threads as many as the cores, so a task that falls
     * behind is helped by the workers the other finished with; the caller waits and runs only
     * the passes that are not parallel. Closing it leaves the workers to the next caller.
     */
    public static ChunkPool shared(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("engine.task-threads must be >= 1, got " + threads);
        }
        ExecutorService e = SHARED.computeIfAbsent(threads, t -> Executors.newFixedThreadPool(t, r -> {
            Thread w = new Thread(r, "lipflow-shared-worker");
            w.setDaemon(true);
            return w;
        }));
        return new ChunkPool(threads, e);
    }

    public int threads() {
        return threads;
    }

    /** Whether parallel passes go to workers shared with other callers (the caller does none of their chunks). */
    public boolean shared() {
        return shared;
    }

    /** Runs chunks 0..n-1; the calling thread works too (as worker 0). */
    public void run(int n, ChunkTask task) {
        run(n, task, true);
    }

    /**
     * Runs chunks 0..n-1, on the calling thread alone when {@code parallel} is false: handing a
     * chunk to another thread costs tens of microseconds, more than a small chunk's work.
     */
    public void run(int n, ChunkTask task, boolean parallel) {
        if (n <= 0) {
            return;
        }
        if (shared && parallel && n > 1) {
            runShared(n, task);
            return;
        }
        int helpers = parallel ? Math.min(threads, n) - 1 : 0;
        if (helpers == 0) {
            for (int c = 0; c < n; c++) {
                task.run(c, 0);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> futures = submit(next, n, task, 1, helpers);
        Throwable failure = null;
        try {
            drain(next, n, task, 0);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        awaitAll(futures, next, n, failure);
    }

    /** Every chunk on the shared workers, worker indices 0..k−1 (one per drain, so each owns a workspace), the caller waiting. */
    private void runShared(int n, ChunkTask task) {
        AtomicInteger next = new AtomicInteger();
        awaitAll(submit(next, n, task, 0, Math.min(threads, n) - 1), next, n, null);
    }

    /** Drains of chunks 0..n−1 on the executor, as workers first..last. */
    private List<Future<?>> submit(AtomicInteger next, int n, ChunkTask task, int first, int last) {
        List<Future<?>> futures = new ArrayList<>(last - first + 1);
        for (int w = first; w <= last; w++) {
            int worker = w;
            futures.add(executor.submit(() -> drain(next, n, task, worker)));
        }
        return futures;
    }

    /** Waits for every drain; rethrows the first failure. An interrupted caller stops the drains at their next chunk. */
    private static void awaitAll(List<Future<?>> futures, AtomicInteger next, int n, Throwable failure) {
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                next.set(n);
                failure = failure == null ? e : failure;
            } catch (java.util.concurrent.ExecutionException e) {
                failure = failure == null ? e.getCause() : failure;
            }
        }
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        }
        if (failure instanceof Error) {
            throw (Error) failure;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    private static void drain(AtomicInteger next, int n, ChunkTask task, int worker) {
        for (int c = next.getAndIncrement(); c < n; c = next.getAndIncrement()) {
            task.run(c, worker);
        }
    }

    @Override
    public void close() {
        if (executor != null && !shared) {
            executor.shutdownNow();
        }
    }
}
