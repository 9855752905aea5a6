package org.lipflow.flow;

import org.lipflow.discriminator.MlpKernel;
import org.lipflow.discriminator.MlpLayout;

/**
 * How a pass over rows is cut into chunks for a network of a given size. A chunk's rows and its
 * partial sums depend only on the layout and the pass's row count, never on the thread count, so
 * results stay independent of the threads.
 *
 * <p>Networks with less than {@link #WIDE} times the work per row of the reference network
 * (d = 2, hidden [32, 32, 32]) keep {@link FlowKernel#CHUNK}-row chunks. A wider one cuts a pass
 * into {@link #SPREAD} chunks (more once they reach {@link FlowKernel#CHUNK} rows, fewer when a chunk
 * would hold less work than a reference chunk or less than one {@link MlpKernel#TILE}), so that a few hundred rows of a pixel-size net (d = 784,
 * [512, 256, 128]: 264× the reference's work per row) occupy every thread: as one chunk per
 * block they had run on one thread. Each chunk owns a gradient buffer of the network's size, so
 * the chunk count is also capped to keep those buffers within {@link #BUFFER_FLOATS} floats.
 */
public final class RowChunks {
    /** Multiply-adds of one row through the reference network, 2·32 + 32·32 + 32·32 + 32·1. */
    static final long REFERENCE_ROW_WORK = 2144;
    /** Work below which a pass runs on the calling thread (hand-off costs more): 1,024 reference rows. */
    static final long PARALLEL_MIN_WORK = 1024 * REFERENCE_ROW_WORK;
    /**
     * How much larger a pass must be to go to shared workers. jobs/spark-scale on local[2]
     * (2026-11-28, compare-task-threads=1, medians of 3 rounds): handing every parallel pass over
     * cost 33 vs 26 ms per step at M = 10⁴ (5,000 rows per task, a few chunks per pass), was level
     * at M = 10⁵ and won at M = 10⁶; from 16,384 reference rows a pass is ~20 ms of one core's work.
     */
    static final int SHARED_HANDOFF = 16;
    /** Work per row (in reference rows) from which chunks get smaller than {@link FlowKernel#CHUNK}. */
    static final int WIDE = 4;
    /**
     * A wide network's pass is cut into this many chunks where they are large enough. Two halves
     * balance the 2-core machines this is measured on; more chunks cost more gradient buffers to
     * zero and merge (jobs/pixel-bench at M = 600: 2, 4 and 8 within run-to-run noise, 2 fastest at best).
     */
    static final int SPREAD = 2;
    /** The chunks' gradient buffers stay below this many floats (64 MB) when chunks are smaller than the largest. */
    static final long BUFFER_FLOATS = 16L << 20;

    private final long rowWork;
    private final int workRows;
    private final long maxChunks;

    private RowChunks(long rowWork, int parameters) {
        this.rowWork = Math.max(1, rowWork);
        long rows = FlowKernel.CHUNK * REFERENCE_ROW_WORK / this.rowWork;
        this.workRows = this.rowWork < WIDE * REFERENCE_ROW_WORK ? FlowKernel.CHUNK
                : (int) Math.max(MlpKernel.TILE, Math.min(FlowKernel.CHUNK, rows / MlpKernel.TILE * MlpKernel.TILE));
        this.maxChunks = maxChunks(parameters);
    }

    public static RowChunks of(MlpLayout layout) {
        long work = 0;
        for (int l = 0; l < layout.layers(); l++) {
            work += (long) layout.in(l) * layout.out(l);
        }
        return new RowChunks(work, layout.parameterCount());
    }

    /** Rows per chunk of a pass over {@code rows} rows: a multiple of the tile, at most {@link FlowKernel#CHUNK}. */
    public int rows(int rows) {
        if (workRows == FlowKernel.CHUNK) {
            return FlowKernel.CHUNK;
        }
        long size = Math.max(workRows, Math.max(tiles(rows, SPREAD), tiles(rows, maxChunks)) * MlpKernel.TILE);
        return (int) Math.min(FlowKernel.CHUNK, size);
    }

    /** Chunks of a pass over {@code rows} rows. */
    public int count(int rows) {
        int size = rows(rows);
        return (rows + size - 1) / size;
    }

    /** Whether a pass over {@code rows} rows is worth handing to other threads. */
    public boolean parallel(int rows) {
        return parallel(rows, false);
    }

    /**
     * Whether a pass over {@code rows} rows is worth handing to other threads: to an executor's
     * shared workers ({@link org.lipflow.util.ChunkPool#shared}) only from {@link #SHARED_HANDOFF}
     * times the work, since the caller does none of it and waits for two wake-ups and its own.
     */
    public boolean parallel(int rows, boolean shared) {
        return rows * rowWork >= (shared ? SHARED_HANDOFF : 1) * PARALLEL_MIN_WORK;
    }

    /** The most chunks a pass over {@code rows} rows can have, for any network of {@code parameters} parameters (memory estimates). */
    public static long maxCount(long rows, int parameters) {
        long largest = (rows + FlowKernel.CHUNK - 1) / FlowKernel.CHUNK;
        long smallest = Math.min((rows + MlpKernel.TILE - 1) / MlpKernel.TILE, maxChunks(parameters));
        return Math.max(largest, smallest);
    }

    /** Tiles per chunk when {@code rows} rows are cut into {@code chunks} chunks (rounded up). */
    private static long tiles(long rows, long chunks) {
        long perChunk = (rows + chunks - 1) / chunks;
        return (perChunk + MlpKernel.TILE - 1) / MlpKernel.TILE;
    }

    private static long maxChunks(int parameters) {
        return Math.max(2, BUFFER_FLOATS / Math.max(1, parameters));
    }
}
