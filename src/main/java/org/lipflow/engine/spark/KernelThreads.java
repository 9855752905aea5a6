package org.lipflow.engine.spark;

import org.apache.spark.SparkConf;
import org.lipflow.util.ChunkPool;

import java.io.Serializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The threads a task runs its shard's kernel on ({@code engine.task-threads}): {@code perTask}
 * threads of its own (N ≥ 1), or, with 0, one set of {@code perExecutor} threads that all the
 * tasks of an executor JVM share ({@link ChunkPool#shared}). Sharing balances the executor's
 * tasks chunk by chunk: with a static split, a core that is slowed (another process, the JIT, a
 * neighbour on the host) holds back the whole step, as the slower task's partition waits alone.
 * Results do not depend on either choice (chunks are combined in chunk order).
 *
 * @param perTask     kernel threads of each task; 0 = the executor's shared threads
 * @param perExecutor the shared threads of an executor (its cores), when perTask = 0; 0 = the executor JVM's processors
 */
record KernelThreads(int perTask, int perExecutor) implements Serializable {
    private static final Pattern LOCAL = Pattern.compile("local\\[(\\d+|\\*)(,\\d+)?]");
    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\s*\\d+\\s*,\\s*(\\d+)\\s*,\\s*\\d+\\s*]");

    KernelThreads {
        if (perTask < 0 || perExecutor < 0) {
            throw new IllegalArgumentException("engine.task-threads must be >= 0 (0 = the executor's cores, shared by its tasks), got "
                    + perTask);
        }
    }

    /** From {@code engine.task-threads} and the driver's configuration (its master and spark.executor.cores). */
    static KernelThreads of(int taskThreads, SparkConf conf) {
        return new KernelThreads(taskThreads, taskThreads > 0 ? 0 : executorCores(conf.get("spark.master", ""),
                conf.get("spark.executor.cores", "")));
    }

    /**
     * The cores an executor runs tasks on: N of local[N] (local[*]: this JVM's processors), c of
     * local-cluster[n, c, m], else spark.executor.cores; 0 when none says (the executor's JVM then
     * counts its processors, which is what a standalone executor without spark.executor.cores uses).
     */
    static int executorCores(String master, String executorCores) {
        Matcher local = LOCAL.matcher(master.trim());
        if (local.matches()) {
            return local.group(1).equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(local.group(1));
        }
        if (master.trim().equals("local")) {
            return 1;
        }
        Matcher cluster = LOCAL_CLUSTER.matcher(master.trim());
        if (cluster.matches()) {
            return Integer.parseInt(cluster.group(1));
        }
        try {
            return executorCores.isBlank() ? 0 : Math.max(0, Integer.parseInt(executorCores.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The task's pool: close it when the task's pass is done (closing a shared pool leaves its threads to the next task). */
    ChunkPool pool() {
        if (perTask > 0) {
            return new ChunkPool(perTask);
        }
        int processors = Runtime.getRuntime().availableProcessors();
        // more kernel threads than the JVM has processors only time-slice (local[8] on 2 cores)
        return ChunkPool.shared(perExecutor == 0 ? processors : Math.min(perExecutor, processors));
    }

    /** For the engine's placement line: "2 threads per task" or "4 kernel threads per executor, shared by its tasks". */
    String describe() {
        if (perTask > 0) {
            return perTask + " kernel thread" + (perTask == 1 ? "" : "s") + " per task";
        }
        return (perExecutor == 0 ? "one kernel thread per core" : perExecutor + " kernel thread" + (perExecutor == 1 ? "" : "s"))
                + " per executor, shared by its tasks";
    }
}
