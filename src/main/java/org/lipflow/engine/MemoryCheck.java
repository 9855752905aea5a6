package org.lipflow.engine;

import org.lipflow.flow.Block;
import org.lipflow.flow.RowChunks;
import org.lipflow.flow.FlowOptions;
import org.lipflow.flow.LabelSampler;
import org.lipflow.flow.Integrator;

/**
 * Up-front checks that a run's particles fit where they will live, so that a run too large
 * fails at once with the numbers and what to do, not minutes later with a
 * NegativeArraySizeException or an OutOfMemoryError. The in-process engine holds every particle
 * in this JVM's heap, in Java arrays of at most {@link #MAX_ARRAY} elements; a Spark partition
 * holds its particles in one block.
 */
public final class MemoryCheck {
    /** The largest Java array the JVM allocates (a few header words below 2³¹ − 1). */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** Heap beyond the arrays counted here: the JVM, plots, writers' buffers. */
    static final long OVERHEAD = 128L << 20;

    private MemoryCheck() {
    }

    /**
     * Heap bytes of an in-process run: the source block and the engine's working copy (floats,
     * ids, labels), the per-particle discriminator values, a multi-stage integrator's stage velocities and
     * start positions, a multistep one's velocity history, one
     * gradient buffer per row chunk of P and Q, and the target with its per-row weights.
     */
    public static long inProcessBytes(long particles, int dimension, long targets, boolean labels, int parameters, FlowOptions o) {
        long row = 4L * dimension + 8 + (labels ? 4 : 0);
        Integrator integrator = o.flow().integrator();
        // a multi-stage table keeps every stage's velocities and the step's start; a multistep one the previous velocities
        int stageArrays = integrator.maxStages() > 1 ? integrator.maxStages() + 1 : 0;
        long perParticle = 2 * row + 4 + 4L * dimension * (stageArrays + integrator.history());
        long chunks = RowChunks.maxCount(particles, parameters) + RowChunks.maxCount(targets, parameters);
        return particles * perParticle + chunks * 4L * parameters + targets * (row + 8) + OVERHEAD;
    }

    /**
     * Refuses an in-process run whose particles do not fit a Java array or this JVM's heap
     * ({@code maxHeap}, normally {@link Runtime#maxMemory()}).
     */
    public static void checkInProcess(long particles, int dimension, long targets, boolean labels, int parameters, FlowOptions o,
                                      long maxHeap) {
        checkArray("--particles (source.n)", particles, dimension, "the in-process engine cannot hold them; use --engine spark");
        long need = inProcessBytes(particles, dimension, targets, labels, parameters, o);
        if (need > maxHeap) {
            long gb = (need + (1L << 30) - 1) >> 30;
            throw new IllegalArgumentException(String.format("--particles (source.n) = %d particles of dimension %d need about %s of heap "
                            + "on the in-process engine; this JVM may use %s: give it more (LIPFLOW_JAVA_OPTS=-Xmx%dg) or use --engine spark",
                    particles, dimension, size(need), size(maxHeap), gb + 1));
        }
    }

    /** {@link #checkInProcess} for a generated source against a loaded target, with this JVM's heap. */
    public static void checkInProcess(long particles, Block target, FlowOptions o) {
        int classes = LabelSampler.of(LabelSampler.counts(target.labels), 0).classes();
        checkInProcess(particles, target.dimension, target.rows, target.labels != null,
                o.layout(target.dimension, classes).parameterCount(), o, Runtime.getRuntime().maxMemory());
    }

    /** Refuses a data set whose rows × dimension floats exceed one Java array. */
    public static void checkArray(String what, long rows, int dimension, String advice) {
        if (rows * (long) dimension > MAX_ARRAY || rows > MAX_ARRAY) {
            throw new IllegalArgumentException(String.format("%s = %d rows of dimension %d are %d coordinates, more than one Java array "
                    + "holds (%d): %s", what, rows, dimension, rows * (long) dimension, MAX_ARRAY, advice));
        }
    }

    /** Refuses a generated Spark source whose partitions would each need a block larger than one Java array. */
    public static void checkSparkPartitions(long particles, int dimension, int partitions) {
        long perPartition = (particles + partitions - 1) / partitions;
        if (perPartition * dimension > MAX_ARRAY) {
            long needed = (particles * (long) dimension + MAX_ARRAY - 1) / MAX_ARRAY;
            throw new IllegalArgumentException(String.format("--particles (source.n) = %d particles of dimension %d in %d partitions are "
                    + "%d coordinates per partition, more than one block holds (%d): use engine.partitions >= %d (more for "
                    + "executor memory)", particles, dimension, partitions, perPartition * dimension, MAX_ARRAY, needed));
        }
    }

    private static String size(long bytes) {
        return bytes >= 1L << 30 ? String.format("%.1f GB", bytes / (double) (1L << 30)) : String.format("%d MB", bytes >> 20);
    }
}
