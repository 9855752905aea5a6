package org.lipflow.checkpoint;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.lipflow.flow.Block;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The particle files of one checkpoint, as a small serialisable object that a Spark task can
 * carry: each partition writes and reads its own {@code part-NNNNN.bin}, so particles go to and
 * come from the file system on the executors and never pass through the driver. Carries the
 * driver's Hadoop configuration (as Hadoop's own Writable encoding) so executors reach the same
 * file system with the same settings.
 */
public final class PartFiles implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String dir;
    /** Null when writing; when reading, what the writer recorded for each partition. */
    private final List<CheckpointFiles.FileInfo> expected;
    private transient Configuration conf;

    PartFiles(String dir, List<CheckpointFiles.FileInfo> expected, Configuration conf) {
        this.dir = dir;
        this.expected = expected;
        this.conf = conf;
    }

    /** Writes partition p's block; returns what the manifest records. */
    public CheckpointFiles.FileInfo write(int partition, Block b) {
        Path file = new Path(dir, CheckpointFiles.partName(partition));
        try {
            return CheckpointFiles.writePart(CheckpointStore.fileSystem(file, conf), file, partition, b);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint file " + file, e);
        }
    }

    /** The number of partitions the checkpoint holds (reading only). */
    public int partitions() {
        return expected.size();
    }

    /** Reads partition p's block, checking it against what was written. */
    public Block read(int partition) {
        Path file = new Path(dir, CheckpointFiles.partName(partition));
        try {
            return CheckpointFiles.readPart(CheckpointStore.fileSystem(file, conf), file, partition, expected.get(partition));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read checkpoint file " + file, e);
        }
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        conf.write(out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        conf = new Configuration(false);
        conf.readFields(in);
    }
}
