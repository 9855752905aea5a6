package org.lipflow.cli;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.security.AccessControlException;
import org.lipflow.config.DataSpec;
import org.lipflow.config.LipflowConfig;
import org.lipflow.config.RunSpec;
import org.lipflow.io.FileSystems;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A command's input files, each with the configuration key or option that names it, checked
 * before anything is read or written: a missing or unreadable one is one line naming both,
 * {@code target.path = data/t.csv: file not found} ({@code --p P.csv: file not found} for an
 * option without a key), so the user knows which setting to fix, whichever engine would read it.
 */
final class InputFiles {
    /** A file or directory a command reads, and what names it. */
    private record Input(String key, String path, boolean directory) {
        String named() {
            return key.startsWith("--") ? key + " " + path : key + " = " + path;
        }
    }

    private final List<Input> inputs = new ArrayList<>();

    /** Adds a file (or a directory of part files) named by {@code key}; null or "" adds nothing. */
    InputFiles file(String key, String path) {
        if (path != null && !path.isEmpty()) {
            inputs.add(new Input(key, path, false));
        }
        return this;
    }

    /** Adds a directory that must exist as one (a model directory). */
    InputFiles directory(String key, String path) {
        if (path != null && !path.isEmpty()) {
            inputs.add(new Input(key, path, true));
        }
        return this;
    }

    /** A data set's file and, for IDX images, an explicit labels file ({@code <prefix>.path}, {@code <prefix>.labels-path}). */
    InputFiles data(String prefix, DataSpec spec) {
        if (spec.path() == null) {
            return this;
        }
        file(prefix + ".path", spec.path());
        if (spec.read().formatOf(spec.path()).equals("idx")) { // other formats do not read labels-path
            file(prefix + ".labels-path", spec.read().labelsPath());
        }
        return this;
    }

    /** The files {@code run} reads: target, source, the monitors' reference and the latent model. */
    static InputFiles of(RunSpec spec) {
        return new InputFiles().data("target", spec.target()).data("source", spec.source())
                .file("monitor.reference", LipflowConfig.monitorOptions(spec).reference())
                .directory("latent.model", spec.latentModel());
    }

    /** Throws the one-line error for the first input that is missing or cannot be read, for a command that reads on this machine. */
    void check() throws IOException {
        check(false);
    }

    /**
     * Throws the one-line error for the first input that is missing or cannot be read.
     *
     * @param onSpark Spark may read the inputs: a path without a scheme then names a file on the
     *                cluster's default file system (or, read on the driver, a local one), so it is
     *                missing only when neither has it
     */
    void check(boolean onSpark) throws IOException {
        for (Input in : inputs) {
            String problem;
            if (!FileSystems.isLocal(in.path())) {
                problem = hadoop(in, FileSystems.hadoopConf());
            } else {
                problem = hasGlob(in.path()) ? hadoop(in, localConf()) : local(in);
                if (problem != null && onSpark && hadoop(in, sparkConf()) == null) {
                    problem = null;
                }
            }
            if (problem != null) {
                throw new IllegalArgumentException(in.named() + ": " + problem);
            }
        }
    }

    /** Hadoop's configuration with the local file system as the default: a scheme-less pattern read here. */
    private static Configuration localConf() {
        Configuration c = FileSystems.hadoopConf();
        c.set("fs.defaultFS", "file:///");
        return c;
    }

    /** Hadoop's configuration as a Spark driver of this JVM will see it: the site files and spark.hadoop.* properties. */
    private static Configuration sparkConf() {
        Configuration c = FileSystems.hadoopConf();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("spark.hadoop."))
                .forEach(k -> c.set(k.substring("spark.hadoop.".length()), System.getProperty(k)));
        return c;
    }

    private static String local(Input in) {
        Path p = Path.of(in.path());
        if (!Files.exists(p)) {
            return in.directory() ? "directory not found" : "file not found";
        }
        if (in.directory() && !Files.isDirectory(p)) {
            return "not a directory";
        }
        if (!Files.isReadable(p) || Files.isDirectory(p) && !Files.isExecutable(p)) {
            return "not readable (permission denied)";
        }
        return null;
    }

    /** Any Hadoop URI, and glob patterns (which Spark expands): nothing matching is "not found". */
    private static String hadoop(Input in, Configuration conf) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(in.path());
        org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(conf);
        try {
            if (hasGlob(in.path())) {
                FileStatus[] matches = fs.globStatus(p);
                return matches == null || matches.length == 0 ? "no file matches" : null;
            }
            FileStatus status = fs.getFileStatus(p);
            return in.directory() && !status.isDirectory() ? "not a directory" : null;
        } catch (FileNotFoundException e) {
            return in.directory() ? "directory not found" : "file not found";
        } catch (AccessControlException e) {
            return "not readable (permission denied)";
        }
    }

    /** Hadoop's glob characters: such a path is a pattern (Spark reads every match). */
    private static boolean hasGlob(String path) {
        return path.matches(".*[*?\\[{].*");
    }
}
