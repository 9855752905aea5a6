package org.lipflow.checkpoint;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.lipflow.io.DirectoryOwner;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * A directory of a run's checkpoints on any Hadoop file system, one subdirectory per checkpoint:
 *
 * <pre>
 *   step-000000050/  checkpoint.json  discriminator.bin  metrics.bin  particles/part-NNNNN.bin  _COMPLETE
 *   _tmp-step-000000100-&lt;uuid&gt;/   (being written)
 * </pre>
 *
 * A checkpoint is written under a temporary name, renamed to {@code step-N} and then marked
 * {@code _COMPLETE}; a reader takes only marked ones, so a writer killed at any point leaves
 * nothing that is read (on object stores, where a rename copies, the marker written after the
 * copy is what makes it complete). Temporary directories carry a {@link DirectoryOwner} file and
 * the next writer removes those of dead processes.
 */
public final class CheckpointStore {
    public static final String COMPLETE = "_COMPLETE";
    public static final String MANIFEST = "checkpoint.json";
    public static final String STATE = "discriminator.bin";
    public static final String METRICS = "metrics.bin";
    public static final String PARTICLES = "particles";
    static final String STEP_PREFIX = "step-";
    static final String TMP_PREFIX = "_tmp-";

    private final FileSystem fs;
    private final Path dir;
    private boolean swept;

    public CheckpointStore(String uri, Configuration conf) {
        try {
            this.dir = new Path(URI.create(org.lipflow.io.FileSystems.qualified(uri)));
            this.fs = fileSystem(dir, conf);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpoint.dir " + uri + ": " + e.getMessage());
        }
    }

    /** The file system of a checkpoint path: local disks without Hadoop's .crc side files (every file carries lipflow's CRC-32C). */
    static FileSystem fileSystem(Path p, Configuration conf) throws IOException {
        FileSystem f = p.getFileSystem(conf);
        return f instanceof LocalFileSystem local ? local.getRaw() : f;
    }

    public FileSystem fs() {
        return fs;
    }

    public Path dir() {
        return dir;
    }

    static String name(int step) {
        return String.format("%s%09d", STEP_PREFIX, step);
    }

    public Path stepDir(int step) {
        return new Path(dir, name(step));
    }

    /** Steps of the complete checkpoints, newest first. */
    public List<Integer> completeSteps() throws IOException {
        List<Integer> steps = new ArrayList<>();
        for (Path p : stepDirs()) {
            if (fs.exists(new Path(p, COMPLETE))) {
                steps.add(step(p));
            }
        }
        steps.sort(Comparator.reverseOrder());
        return steps;
    }

    private List<Path> stepDirs() throws IOException {
        List<Path> dirs = new ArrayList<>();
        FileStatus[] children;
        try {
            children = fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            return dirs;
        }
        for (FileStatus st : children) {
            String n = st.getPath().getName();
            if (st.isDirectory() && n.startsWith(STEP_PREFIX) && n.substring(STEP_PREFIX.length()).matches("[0-9]{1,10}")) {
                dirs.add(st.getPath());
            }
        }
        return dirs;
    }

    private static int step(Path p) {
        return Integer.parseInt(p.getName().substring(STEP_PREFIX.length()));
    }

    /** A new temporary directory for the checkpoint of {@code step}, marked with this process as its owner. */
    public Path begin(int step) throws IOException {
        if (!swept) {
            swept = true;
            DirectoryOwner.sweep(fs, dir, TMP_PREFIX);
        }
        Path tmp = new Path(dir, TMP_PREFIX + name(step) + "-" + UUID.randomUUID());
        if (!fs.mkdirs(new Path(tmp, PARTICLES))) {
            throw new IOException("could not create " + tmp);
        }
        DirectoryOwner.mark(fs, tmp);
        return tmp;
    }

    /**
     * Writes the manifest into the temporary directory, renames it to {@code step-N} (replacing an
     * older one of the same step) and marks it complete.
     */
    public void commit(Path tmp, int step, String manifest) throws IOException {
        try (FSDataOutputStream out = fs.create(new Path(tmp, MANIFEST), true)) {
            out.write(manifest.getBytes(StandardCharsets.UTF_8));
        }
        fs.delete(new Path(tmp, DirectoryOwner.FILE), false);
        Path target = stepDir(step);
        if (fs.exists(target)) {
            fs.delete(target, true);
        }
        if (!fs.rename(tmp, target)) {
            throw new IOException("could not rename " + tmp + " to " + target);
        }
        fs.create(new Path(target, COMPLETE), true).close();
    }

    /** Removes a temporary directory of a checkpoint that failed to write. */
    public void abandon(Path tmp) {
        try {
            fs.delete(tmp, true);
        } catch (IOException e) {
            // the next writer sweeps it
        }
    }

    /**
     * Keeps the newest {@code keep} complete checkpoints; removes older ones and every unmarked
     * {@code step-N} older than the newest complete one (a rename whose marker never came).
     */
    public void prune(int keep) throws IOException {
        List<Integer> complete = completeSteps();
        int newest = complete.isEmpty() ? Integer.MIN_VALUE : complete.get(0);
        for (int i = keep; i < complete.size(); i++) {
            fs.delete(stepDir(complete.get(i)), true);
        }
        for (Path p : stepDirs()) {
            if (step(p) < newest && !fs.exists(new Path(p, COMPLETE))) {
                fs.delete(p, true);
            }
        }
    }

    /**
     * Removes every checkpoint (complete or not) later than {@code step} except {@code keep}: a
     * fresh run (step −1) or a resumed one owns the directory from its first checkpoint on, and
     * checkpoints of a run it replaced, or damaged ones it skipped, must not pass for its newest.
     */
    public void removeLaterThan(int step, int keep) throws IOException {
        for (Path p : stepDirs()) {
            int s = step(p);
            if (s > step && s != keep) {
                fs.delete(p, true);
            }
        }
    }

    /** The parsed manifest of the checkpoint of {@code step}; a missing or unparsable one is corrupt. */
    public Config manifest(int step) throws IOException {
        Path file = new Path(stepDir(step), MANIFEST);
        if (!fs.exists(file)) {
            throw CheckpointFiles.corrupt(file, "missing");
        }
        String text;
        try (InputStream in = fs.open(file)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            return ConfigFactory.parseString(text, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
        } catch (ConfigException e) {
            throw CheckpointFiles.corrupt(file, "not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** Checks a (small, driver-side) file's length and checksum by reading it whole. */
    public void verify(Path file, CheckpointFiles.FileInfo expected) throws IOException {
        CheckpointFiles.checkLength(fs, file, expected);
        CRC32C crc = new CRC32C();
        try (InputStream in = fs.open(file)) {
            byte[] b = new byte[1 << 16];
            for (int r; (r = in.read(b)) > 0; ) {
                crc.update(b, 0, r);
            }
        }
        if (crc.getValue() != expected.crc()) {
            throw CheckpointFiles.corrupt(file, "checksum mismatch");
        }
    }
}
