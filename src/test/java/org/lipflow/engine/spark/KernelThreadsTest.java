package org.lipflow.engine.spark;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.lipflow.util.ChunkPool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Which kernel threads a task gets: the executor's cores, read from the master or spark.executor.cores. */
class KernelThreadsTest {
    private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();

    @Test
    void theExecutorsCoresComeFromTheMasterThenFromSparkExecutorCores() {
        assertEquals(3, KernelThreads.executorCores("local[3]", ""));
        assertEquals(4, KernelThreads.executorCores("local[4,2]", "")); // with task retries
        assertEquals(PROCESSORS, KernelThreads.executorCores("local[*]", ""));
        assertEquals(1, KernelThreads.executorCores("local", ""));
        assertEquals(2, KernelThreads.executorCores("local-cluster[3, 2, 1024]", "7"), "local-cluster's cores per executor win");
        assertEquals(6, KernelThreads.executorCores("spark://host:7077", "6"));
        assertEquals(6, KernelThreads.executorCores("yarn", " 6 "));
        assertEquals(0, KernelThreads.executorCores("k8s://https://api:6443", ""), "unknown: the executor counts its processors");
        assertEquals(0, KernelThreads.executorCores("yarn", "many"));
    }

    @Test
    void zeroSharesTheExecutorsCoresAndNGivesEachTaskItsOwnThreads() {
        KernelThreads shared = KernelThreads.of(0, new SparkConf(false).set("spark.master", "local[2]"));
        assertEquals(new KernelThreads(0, 2), shared);
        assertEquals("2 kernel threads per executor, shared by its tasks", shared.describe());
        try (ChunkPool pool = shared.pool()) {
            assertEquals(Math.min(2, PROCESSORS), pool.threads(), "never more than the JVM's processors");
        }
        KernelThreads own = KernelThreads.of(3, new SparkConf(false).set("spark.master", "local[2]"));
        assertEquals(new KernelThreads(3, 0), own);
        assertEquals("3 kernel threads per task", own.describe());
        try (ChunkPool pool = own.pool()) {
            assertEquals(3, pool.threads());
        }
        try (ChunkPool pool = new KernelThreads(0, 0).pool()) {
            assertEquals(PROCESSORS, pool.threads());
        }
        try (ChunkPool pool = new KernelThreads(0, 64).pool()) {
            assertEquals(PROCESSORS, pool.threads(), "local[64] on fewer cores: as many threads as processors");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new KernelThreads(-1, 0));
        assertEquals("engine.task-threads must be >= 0 (0 = the executor's cores, shared by its tasks), got -1", e.getMessage());
    }
}
