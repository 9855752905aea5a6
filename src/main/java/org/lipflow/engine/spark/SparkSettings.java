package org.lipflow.engine.spark;

import java.io.Serializable;

/**
 * Settings of the Spark engine.
 *
 * @param partitions         particle partitions; 0 = the context's default parallelism
 * @param checkpointInterval cut the lineage every this many steps (≥ 1)
 * @param checkpointDir      reliable checkpoints there (a Hadoop URI); empty = local checkpoints on local[N], a default
 *                           reliable directory on other masters ({@link Checkpoints})
 * @param broadcastLimitBytes targets up to this size are broadcast; larger ones are co-partitioned
 * @param taskThreads        kernel threads of each task's shard; 0 = the executor's cores, shared by its tasks ({@link KernelThreads})
 * @param averagingFrequency outer steps each shard runs with its own θ between averages (1: every step)
 * @param keepCheckpoints    keep the run's reliable checkpoints after it succeeded (default: deleted)
 */
public record SparkSettings(int partitions, int checkpointInterval, String checkpointDir, long broadcastLimitBytes,
                            int taskThreads, int averagingFrequency, boolean keepCheckpoints) implements Serializable {
    /** Settings whose checkpoints are deleted after the run. */
    public SparkSettings(int partitions, int checkpointInterval, String checkpointDir, long broadcastLimitBytes,
                         int taskThreads, int averagingFrequency) {
        this(partitions, checkpointInterval, checkpointDir, broadcastLimitBytes, taskThreads, averagingFrequency, false);
    }

    public SparkSettings {
        if (partitions < 0) {
            throw new IllegalArgumentException("engine.partitions must be >= 0 (0 = default parallelism), got " + partitions);
        }
        if (checkpointInterval < 1) {
            throw new IllegalArgumentException("engine.checkpoint-interval must be >= 1, got " + checkpointInterval);
        }
        if (broadcastLimitBytes < 0) {
            throw new IllegalArgumentException("engine.broadcast-limit-mb must be >= 0, got " + broadcastLimitBytes);
        }
        if (averagingFrequency < 1) {
            throw new IllegalArgumentException("engine.averaging-frequency must be >= 1, got " + averagingFrequency);
        }
        if (taskThreads < 0) {
            throw new IllegalArgumentException("engine.task-threads must be >= 0 (0 = the executor's cores, shared by its tasks), got "
                    + taskThreads);
        }
    }
}
