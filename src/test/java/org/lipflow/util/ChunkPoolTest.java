package org.lipflow.util;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chunk pools: a task's own threads, and the executor's threads shared by concurrent callers. */
class ChunkPoolTest {

    /** Runs n chunks, each writing its own square, checking that no worker index is in use twice at once. */
    private static long[] squares(ChunkPool pool, int n, AtomicIntegerArray busy, Set<Thread> threads) {
        long[] out = new long[n];
        pool.run(n, (c, w) -> {
            assertTrue(w >= 0 && w < pool.threads(), "worker index " + w + " of " + pool.threads());
            assertEquals(1, busy.incrementAndGet(w), "worker " + w + " is running two chunks at once");
            threads.add(Thread.currentThread());
            long s = 0;
            for (int i = 0; i < 20_000; i++) { // some work, so that the callers overlap
                s += (long) c * c + (i & 1);
            }
            out[c] = s - 10_000;
            busy.decrementAndGet(w);
        });
        return out;
    }

    @Test
    void twoCallersOfSharedPoolsRunEveryChunkOnceOnOneSetOfThreadsWithTheirOwnWorkerIndices() throws Exception {
        int n = 500;
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        long[][] results = new long[2][];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        Thread[] callers = new Thread[2];
        for (int t = 0; t < 2; t++) {
            int caller = t;
            callers[t] = new Thread(() -> {
                try (ChunkPool pool = ChunkPool.shared(2)) {
                    go.await();
                    for (int round = 0; round < 5; round++) {
                        results[caller] = squares(pool, n, new AtomicIntegerArray(2), threads);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "caller-" + t);
            callers[t].start();
        }
        go.countDown();
        for (Thread c : callers) {
            c.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        for (long[] r : results) {
            for (int c = 0; c < n; c++) {
                assertEquals((long) c * c * 20_000, r[c], "chunk " + c + " ran exactly once");
            }
        }
        assertTrue(threads.stream().allMatch(th -> th.getName().equals("lipflow-shared-worker")),
                "parallel chunks run on the shared workers only, never on the callers: " + threads);
        assertEquals(2, threads.size(), "both callers' 5,000 chunks ran on one set of 2 workers");
    }

    @Test
    void aPassThatIsNotParallelRunsOnTheCallerAsWorkerZero() {
        try (ChunkPool pool = ChunkPool.shared(2)) {
            Set<String> threads = ConcurrentHashMap.newKeySet();
            AtomicInteger workers = new AtomicInteger();
            pool.run(7, (c, w) -> {
                threads.add(Thread.currentThread().getName());
                workers.accumulateAndGet(w, Math::max);
            }, false);
            assertEquals(Set.of(Thread.currentThread().getName()), threads);
            assertEquals(0, workers.get());
        }
    }

    @Test
    void aFailingChunkReachesTheCallerAndTheSharedThreadsServeTheNextCall() {
        try (ChunkPool pool = ChunkPool.shared(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run(100, (c, w) -> {
                if (c == 37) {
                    throw new IllegalStateException("chunk 37 failed");
                }
            }));
            assertEquals("chunk 37 failed", e.getMessage());
        }
        try (ChunkPool again = ChunkPool.shared(2)) { // closing a shared pool does not stop its workers
            long[] r = squares(again, 50, new AtomicIntegerArray(2), ConcurrentHashMap.newKeySet());
            assertEquals(49L * 49 * 20_000, r[49]);
        }
    }

    @Test
    void anInterruptedCallerStopsItsChunksAtTheNextOne() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try (ChunkPool pool = ChunkPool.shared(2)) {
                pool.run(1000, (c, w) -> {
                    ran.incrementAndGet();
                    sleep(10);
                });
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        caller.start();
        Thread.sleep(100);
        caller.interrupt();
        caller.join(5_000);
        int atReturn = ran.get();
        Thread.sleep(200);
        assertNotNull(thrown.get(), "the interrupted call fails");
        assertInstanceOf(InterruptedException.class, thrown.get().getCause());
        assertTrue(atReturn < 200, "stopped early: " + atReturn + " of 1000 chunks");
        assertTrue(ran.get() <= atReturn + 2, "no chunk started after the call returned but the ones under way: " + ran.get()
                + " vs " + atReturn);
    }

    @Test
    void sharedPoolsOfOneSizeShareTheirThreadsAndOwnPoolsDoNot() {
        try (ChunkPool a = ChunkPool.shared(3); ChunkPool b = ChunkPool.shared(3); ChunkPool own = new ChunkPool(3)) {
            Set<Thread> ta = ConcurrentHashMap.newKeySet(), tb = ConcurrentHashMap.newKeySet(), to = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < 10; i++) {
                squares(a, 300, new AtomicIntegerArray(3), ta);
                squares(b, 300, new AtomicIntegerArray(3), tb);
                squares(own, 300, new AtomicIntegerArray(3), to);
            }
            assertEquals(3, a.threads());
            assertTrue(tb.containsAll(ta) && ta.containsAll(tb) && ta.size() <= 3, "the same workers: " + ta + " and " + tb);
            assertTrue(to.contains(Thread.currentThread()), "an own pool's caller works as worker 0: " + to);
            to.retainAll(ta);
            assertTrue(to.isEmpty(), "an own pool has threads of its own");
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
