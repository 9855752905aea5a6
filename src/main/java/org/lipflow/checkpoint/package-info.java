/**
 * Checkpoints of a run's state and resuming from them: {@link org.lipflow.checkpoint.RunCheckpoints}
 * (when to write, what a resumed run continues from, what it refuses), the directory of a run's
 * checkpoints with its atomic commit ({@link org.lipflow.checkpoint.CheckpointStore}) and their
 * versioned little-endian files ({@link org.lipflow.checkpoint.CheckpointFiles},
 * {@link org.lipflow.checkpoint.PartFiles}). No Spark: engines call it at step boundaries.
 */
package org.lipflow.checkpoint;
