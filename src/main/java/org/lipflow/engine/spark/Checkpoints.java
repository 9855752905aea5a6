package org.lipflow.engine.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import scala.Option;

import java.io.IOException;

/**
 * How a run cuts its particles' lineage every {@code engine.checkpoint-interval} steps, and the
 * cleanup of its own checkpoint files.
 *
 * <p>A local checkpoint keeps the blocks in executor storage: fast, but an executor lost after
 * the cut takes the only copy with it and the job fails ("Checkpoint block rdd_N_p not found").
 * So local checkpoints are used only where executors live in the driver's JVM ({@code local[N]});
 * on any other master (local-cluster, standalone, YARN, Kubernetes) the cut is a reliable
 * checkpoint: to {@code engine.checkpoint-dir}, or, when that is empty, to the default the caller
 * gives ({@link #withDefaultDirectory}: the run command uses a hidden directory inside its
 * temporary output, on the file system the executors already write particles to), or else to
 * {@code hadoop.tmp.dir/lipflow-checkpoints} on the cluster's default file system.
 *
 * <p>Only the newest cut is needed: older checkpoint files are deleted once a newer one is
 * written (as MLlib's PeriodicCheckpointer does), and {@link #release()} deletes the run's
 * checkpoint directory unless {@link SparkSettings#keepCheckpoints()}.
 */
public final class Checkpoints {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Checkpoints.class);

    private final JavaSparkContext sc;
    private final boolean reliable;
    private final boolean keep;
    /** The directory this run's checkpoints go to (Spark's per-call subdirectory of the root). */
    private final Path runDir;
    /** The configured or default root, when it did not exist before this run: removed with the run's directory. */
    private final Path createdRoot;
    private String previous;
    private boolean released;

    Checkpoints(JavaSparkContext sc, SparkSettings s) {
        this.sc = sc;
        this.keep = s.keepCheckpoints();
        String dir = s.checkpointDir();
        boolean inJvm = SparkSessions.inThisJvm(sc.master());
        if (dir.isEmpty() && !inJvm) {
            Configuration conf = sc.hadoopConfiguration();
            dir = new Path(conf.get("hadoop.tmp.dir", System.getProperty("java.io.tmpdir")), "lipflow-checkpoints").toString();
        }
        reliable = !dir.isEmpty();
        if (!reliable) {
            runDir = null;
            createdRoot = null;
            return;
        }
        Path root = new Path(dir);
        boolean existed;
        try {
            existed = root.getFileSystem(sc.hadoopConfiguration()).exists(root);
        } catch (IOException e) {
            throw new IllegalArgumentException("engine.checkpoint-dir " + dir + ": " + e.getMessage());
        }
        sc.setCheckpointDir(dir);
        runDir = new Path(sc.getCheckpointDir().get());
        createdRoot = existed ? null : root;
    }

    /**
     * The run's settings with {@code dir} as the checkpoint directory when none is configured and
     * the master runs executors outside the driver's JVM. Such a default directory is the run's
     * own scratch space and is always removed (keep-checkpoints applies to a configured one).
     */
    public static SparkSettings withDefaultDirectory(SparkSettings s, String master, String dir) {
        if (!s.checkpointDir().isEmpty() || SparkSessions.inThisJvm(master)) {
            return s;
        }
        return new SparkSettings(s.partitions(), s.checkpointInterval(), dir, s.broadcastLimitBytes(), s.taskThreads(),
                s.averagingFrequency(), false);
    }

    /** Whether cuts survive the loss of an executor. */
    boolean reliable() {
        return reliable;
    }

    /** Marks a persisted RDD to be cut by the next job that materialises it. */
    void cut(RDD<?> rdd) {
        if (reliable) {
            rdd.checkpoint();
        } else {
            rdd.localCheckpoint();
        }
    }

    /** After the job that materialised a cut: the previous cut's files are no longer referenced. */
    void written(RDD<?> rdd) {
        if (!reliable) {
            return;
        }
        Option<String> file = rdd.getCheckpointFile();
        if (file.isEmpty()) {
            return;
        }
        if (previous != null) {
            delete(new Path(previous));
        }
        previous = file.get();
    }

    /**
     * Deletes this run's checkpoints (once the result has been written from them), unless asked
     * to keep them: the newest cut and the directories the run created.
     */
    void release() {
        if (released || !reliable) {
            return;
        }
        released = true;
        if (keep) {
            LOG.info("keeping the run's checkpoints in {}", runDir != null ? runDir : previous);
            return;
        }
        if (previous != null) {
            delete(new Path(previous));
        }
        if (runDir != null) {
            delete(runDir);
        }
        if (createdRoot != null) {
            try {
                FileSystem fs = createdRoot.getFileSystem(sc.hadoopConfiguration());
                if (fs.exists(createdRoot) && fs.listStatus(createdRoot).length == 0) {
                    fs.delete(createdRoot, false);
                }
            } catch (IOException e) {
                LOG.warn("could not remove checkpoint directory {}: {}", createdRoot, e.toString());
            }
        }
    }

    private void delete(Path p) {
        try {
            p.getFileSystem(sc.hadoopConfiguration()).delete(p, true);
        } catch (IOException e) {
            LOG.warn("could not remove checkpoint {}: {}", p, e.toString());
        }
    }
}
