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
 * The errors of reading them name the key too ({@link #read}): the readers know files, not keys.
 */
final class InputFiles {
    /**
     * A file or directory a command reads, and what names it.
     *
     * @param checked false for a file only named in errors, not checked up front (a labels file found beside IDX images)
     */
    private record Input(String key, String path, boolean directory, boolean checked) {
        Input(String key, String path, boolean directory) {
            this(key, path, directory, true);
        }

        String named() {
            return key.startsWith("--") ? key + " " + path : key + " = " + path;
        }
    }

    /** Work that reads inputs; it may throw a checked exception ({@code E} is inferred, RuntimeException when it throws none). */
    @FunctionalInterface
    interface Reading<T, E extends Exception> {
        T get() throws E;
    }

    private final List<Input> inputs = new ArrayList<>();

    /** What messages call an input: {@code target.path = t.csv}, or {@code --p P.csv} for an option. */
    static String named(String key, String path) {
        return new Input(key, path, false).named();
    }

    /**
     * What messages call a data set: {@code <prefix>.path = <file>}, or {@code <prefix> synthetic:<name>}
     * for a generated one.
     */
    static String named(String prefix, DataSpec spec) {
        return spec.path() != null ? named(prefix + ".path", spec.path()) : prefix + " " + spec.describe();
    }

    /** What messages call the input at {@code path}: its key and path; the path alone when no input has it. */
    String nameOf(String path) {
        return inputs.stream().filter(in -> in.path().equals(path)).findFirst().map(Input::named).orElse(path);
    }

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
            if (spec.read().labelsPath().isEmpty()) {
                String beside = labelsBeside(spec);
                if (beside != null) { // the labels file labels-path leaves to its default: errors about it name that key
                    inputs.add(new Input(prefix + ".labels-path", beside, false, false));
                }
            }
        }
        return this;
    }

    /** The files {@code run} reads: target, source, the monitors' reference and the latent model. */
    static InputFiles of(RunSpec spec) {
        return new InputFiles().data("target", spec.target()).data("source", spec.source())
                .file("monitor.reference", LipflowConfig.monitorOptions(spec).reference())
                .directory("latent.model", spec.latentModel());
    }

    /**
     * Runs {@code read}, which reads these inputs and nothing else (on this machine or by Spark), and
     * names the key in its bad-input error: {@code t.csv line 3, column x2: not a number 'abc'}
     * becomes {@code target.path = t.csv line 3, column x2: not a number 'abc'} (a part file of a
     * directory: {@code monitor.reference = ref/part-00001.csv line 2, ...}). An error that begins with
     * no input's path is put after the first input's name.
     */
    <T, E extends Exception> T read(Reading<T, E> read) throws E {
        return naming(read, true);
    }

    /**
     * Runs {@code work}, which reads these inputs among other things (a fit that reads its data as it
     * goes, on Spark), and names the key in an error that begins with one of their paths; other
     * errors pass as they are.
     */
    <T, E extends Exception> T naming(Reading<T, E> work) throws E {
        return naming(work, false);
    }

    private <T, E extends Exception> T naming(Reading<T, E> work, boolean onlyReads) throws E {
        try {
            return work.get();
        } catch (Exception e) { // Spark's SparkException is checked, though Scala code throws it undeclared
            // lipflow's own error, possibly raised in a Spark task, or Spark's report of a bad file
            String named = Main.userError(e) instanceof IllegalArgumentException user ? withKey(user.getMessage(), onlyReads) : null;
            if (named == null) {
                throw InputFiles.<RuntimeException>rethrow(e);
            }
            throw new IllegalArgumentException(named, e);
        }
    }

    /** Rethrows any exception as it is (a checked one is an E of the work, or one Scala threw undeclared). */
    @SuppressWarnings("unchecked")
    private static <X extends Exception> X rethrow(Exception e) throws X {
        throw (X) e;
    }

    /** The message naming the key of the input it is about; null when it names none and {@code fallback} is false. */
    private String withKey(String message, boolean fallback) {
        if (message == null || inputs.isEmpty()) {
            return null;
        }
        for (Input in : inputs) {
            if (message.startsWith(in.named())) {
                return message; // named already (the check before reading, a validator given the name)
            }
        }
        // the longest path first: a labels file beside images is not taken for the images
        List<Input> byLength = new ArrayList<>(inputs);
        byLength.sort((a, b) -> Integer.compare(b.path().length(), a.path().length()));
        for (Input in : byLength) {
            for (String form : forms(in.path())) {
                if (startsWithPath(message, form)) {
                    return in.named() + message.substring(form.length());
                }
            }
        }
        return fallback ? inputs.get(0).named() + ": " + message : null;
    }

    /** The message begins with the path itself ("t.csv: ", "t.csv line 3", "t.csv, column id", "dir/part-1.csv"), not a longer name. */
    private static boolean startsWithPath(String message, String path) {
        return message.startsWith(path) && (path.endsWith("/") || message.length() == path.length()
                || ":, /".indexOf(message.charAt(path.length())) >= 0);
    }

    /** How messages may spell a path: as given, or absolute (Spark reports local files as absolute paths). */
    private static List<String> forms(String path) {
        try {
            Path p = Path.of(path);
            return !FileSystems.isLocal(path) || p.isAbsolute() ? List.of(path) : List.of(path, p.toAbsolutePath().toString());
        } catch (java.nio.file.InvalidPathException e) {
            return List.of(path);
        }
    }

    /** The labels file the reader takes beside IDX images, or null (none there, or the images are missing: the check says so). */
    private static String labelsBeside(DataSpec spec) {
        try {
            return org.lipflow.io.IdxFiles.labelsFile(spec.path(), spec.read());
        } catch (IOException | RuntimeException e) {
            return null;
        }
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
            if (!in.checked()) {
                continue;
            }
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
