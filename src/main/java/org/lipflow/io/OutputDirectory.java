package org.lipflow.io;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * An output directory committed atomically: everything is written into a hidden sibling
 * {@code .DIR.tmp-<uuid>} and renamed to DIR only when the run succeeded, so a failed run leaves
 * nothing that looks complete. An existing DIR is an error unless overwrite is asked for, and
 * even then only a previous lipflow output (or an empty directory) is replaced: never a directory
 * without a lipflow manifest, one that holds an input of the run, or the current directory or
 * one of its ancestors.
 *
 * <p>The temporary directory carries a {@link DirectoryOwner} file (removed at the commit), so
 * the next run into the same DIR removes the temporary siblings that killed runs left behind.
 *
 * <p>DIR is a local path or any Hadoop URI (hdfs://, s3a://, file://...). Large outputs
 * (particles) are written straight to {@link #uri(String)}; the driver's small files (metrics,
 * manifest, plots, model) go to the local {@link #local()} directory, which for a URI is a
 * staging directory copied into the temporary directory just before the rename. The rename is
 * atomic where the file system's is (local disks, HDFS); object stores copy.
 */
public final class OutputDirectory implements AutoCloseable {
    /** The run manifest, whose presence (with lipflow's versions) marks a directory as a lipflow output. */
    public static final String MANIFEST = "manifest.json";
    private static final String STAGING_PREFIX = "lipflow-out-";

    private final boolean remote;
    private final boolean overwrite;
    private final List<String> inputs;
    private final String targetUri;
    private final String workUri;
    private final Path local;
    private final Path target;
    private FileSystem fs;
    private boolean committed;

    public OutputDirectory(String dir, boolean overwrite) throws IOException {
        this(dir, overwrite, List.of(), null);
    }

    /**
     * @param inputs the run's input paths or URIs: an existing DIR holding one is never replaced
     * @param log    where removed debris of killed runs is reported (null: nowhere)
     */
    public OutputDirectory(String dir, boolean overwrite, List<String> inputs, PrintWriter log) throws IOException {
        this.overwrite = overwrite;
        this.inputs = List.copyOf(inputs);
        this.remote = !FileSystems.isLocal(dir);
        checkTarget(dir, overwrite, inputs);
        if (remote) {
            org.apache.hadoop.fs.Path t = new org.apache.hadoop.fs.Path(URI.create(dir));
            fs = t.getFileSystem(FileSystems.hadoopConf());
            report(log, "temporary output", DirectoryOwner.sweep(fs, t.getParent(), tempPrefix(t.getName())));
            org.apache.hadoop.fs.Path work = new org.apache.hadoop.fs.Path(t.getParent(), tempPrefix(t.getName()) + UUID.randomUUID());
            try {
                if (!fs.mkdirs(work)) {
                    throw new IOException("mkdirs failed");
                }
                DirectoryOwner.mark(fs, work);
            } catch (IOException e) {
                throw new IllegalArgumentException("output " + dir + ": cannot create " + work + " (" + reason(e) + ")");
            }
            targetUri = fs.makeQualified(t).toString();
            workUri = fs.makeQualified(work).toString();
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            report(log, "staging directory", DirectoryOwner.sweep(tmp, STAGING_PREFIX));
            local = DirectoryOwner.createMarked(tmp, STAGING_PREFIX + UUID.randomUUID());
            target = null;
        } else {
            target = localPath(dir);
            Path parent = target.getParent();
            try {
                Files.createDirectories(parent);
            } catch (IOException e) {
                throw new IllegalArgumentException("output " + dir + ": cannot create " + parent + " (" + reason(e) + ")");
            }
            report(log, "temporary output", DirectoryOwner.sweep(parent, tempPrefix(target.getFileName().toString())));
            try {
                local = DirectoryOwner.createMarked(parent, tempPrefix(target.getFileName().toString()) + UUID.randomUUID());
            } catch (IOException e) {
                throw new IllegalArgumentException("output " + dir + ": cannot create a directory in " + parent + " (" + reason(e) + ")");
            }
            targetUri = target.toString();
            workUri = local.toString();
        }
    }

    /** The prefix of DIR's temporary siblings, {@code .DIR.tmp-}. */
    static String tempPrefix(String name) {
        return "." + name + ".tmp-";
    }

    private static void report(PrintWriter log, String what, List<DirectoryOwner.Removed> removed) {
        if (log != null) {
            for (DirectoryOwner.Removed r : removed) {
                log.println("lipflow: removed stale " + what + " " + r + " of a run that did not finish");
            }
        }
    }

    /** A local path for plain paths and file: URIs; null for other file systems. */
    static Path localPath(String dir) {
        if (FileSystems.isLocal(dir)) {
            return Path.of(dir).toAbsolutePath().normalize();
        }
        try {
            URI u = URI.create(dir);
            return "file".equals(u.getScheme()) && u.getPath() != null && u.isAbsolute() && !u.isOpaque()
                    ? Path.of(new URI("file", null, u.getPath(), null)).normalize() : null;
        } catch (IllegalArgumentException | java.net.URISyntaxException e) {
            return null;
        }
    }

    /** Fails early (before any work) when the target exists and overwrite is off. */
    public static void checkTarget(String dir, boolean overwrite) {
        checkTarget(dir, overwrite, List.of());
    }

    /**
     * Fails early (before any work) when the output cannot be written: it exists and overwrite is
     * off, it exists and is not replaceable ({@link #checkReplaceable}), or its parent is a file
     * or not writable.
     */
    public static void checkTarget(String dir, boolean overwrite, List<String> inputs) {
        try {
            Path p = localPath(dir);
            if (p != null) {
                if (Files.exists(p)) {
                    if (!overwrite) {
                        throw new IllegalArgumentException("output " + dir + " already exists (use --overwrite or output.overwrite = true)");
                    }
                    checkReplaceable(dir, p, inputs);
                } else {
                    checkCreatable(dir, p);
                }
                return;
            }
            org.apache.hadoop.fs.Path t = new org.apache.hadoop.fs.Path(URI.create(dir));
            FileSystem f = t.getFileSystem(FileSystems.hadoopConf());
            if (f.exists(t)) {
                if (!overwrite) {
                    throw new IllegalArgumentException("output " + dir + " already exists (use --overwrite or output.overwrite = true)");
                }
                checkReplaceable(dir, f, t, inputs);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("output " + dir + ": " + reason(e));
        }
    }

    /** The nearest existing ancestor must be a writable directory: found now rather than after the run. */
    private static void checkCreatable(String dir, Path p) {
        Path a = p.getParent();
        while (a != null && !Files.exists(a)) {
            a = a.getParent();
        }
        if (a == null) {
            return;
        }
        if (!Files.isDirectory(a)) {
            throw new IllegalArgumentException("output " + dir + ": " + a + " is a file, not a directory");
        }
        try {
            Files.delete(Files.createDirectory(a.resolve(".lipflow-probe-" + UUID.randomUUID())));
        } catch (IOException e) {
            throw new IllegalArgumentException("output " + dir + ": cannot create a directory in " + a + " (" + reason(e) + ")");
        }
    }

    /** A short reason for a file-system failure, without an exception class name where there is a better one. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "not a writable directory";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException f) {
            return f.getFile() + " is a file, not a directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        if (e instanceof org.apache.hadoop.fs.ParentNotDirectoryException) {
            return "a parent is a file, not a directory";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    /** Checks an existing DIR, local (plain path or file: URI) or on another Hadoop file system. */
    static void checkReplaceable(String dir, List<String> inputs) throws IOException {
        Path p = localPath(dir);
        if (p != null) {
            checkReplaceable(dir, p, inputs);
        } else {
            org.apache.hadoop.fs.Path t = new org.apache.hadoop.fs.Path(URI.create(dir));
            checkReplaceable(dir, t.getFileSystem(FileSystems.hadoopConf()), t, inputs);
        }
    }

    /**
     * An existing local DIR may be replaced only when it is a directory, not the current directory
     * or one of its ancestors (nor the home directory's), holds no input of the run, and is empty
     * or a lipflow output.
     */
    static void checkReplaceable(String dir, Path p, List<String> inputs) throws IOException {
        if (!Files.isDirectory(p)) {
            throw new IllegalArgumentException("output " + dir + " exists and is not a directory");
        }
        Path real = p.toRealPath();
        for (String[] protectedDir : new String[][]{{"", "the current directory"}, {System.getProperty("user.home", ""), "the home directory"}}) {
            if (protectedDir[0] == null) {
                continue;
            }
            Path q = Path.of(protectedDir[0]).toAbsolutePath();
            if (Files.exists(q) && q.toRealPath().startsWith(real)) {
                throw new IllegalArgumentException("output " + dir + " is " + protectedDir[1]
                        + " or one of its parents; --overwrite never deletes it");
            }
        }
        for (String input : inputs) {
            Path in = localPath(input);
            if (in != null && (Files.exists(in) ? in.toRealPath() : in).startsWith(real)) {
                throw new IllegalArgumentException("output " + dir + " contains " + input
                        + ", an input of this run; --overwrite never deletes an input");
            }
        }
        try (Stream<Path> s = Files.list(p)) {
            if (s.findAny().isEmpty()) {
                return;
            }
        }
        Path manifest = p.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest) || !isLipflowManifest(Files.readString(manifest, StandardCharsets.UTF_8))) {
            throw notOurs(dir);
        }
    }

    /** The same rules for a directory of a Hadoop file system (the working directory stands for the current one). */
    static void checkReplaceable(String dir, FileSystem f, org.apache.hadoop.fs.Path t, List<String> inputs) throws IOException {
        FileStatus st = f.getFileStatus(t);
        if (!st.isDirectory()) {
            throw new IllegalArgumentException("output " + dir + " exists and is not a directory");
        }
        org.apache.hadoop.fs.Path q = f.makeQualified(t);
        if (isWithin(f.makeQualified(f.getWorkingDirectory()), q) || q.isRoot()) {
            throw new IllegalArgumentException("output " + dir + " is the working directory of " + q.toUri().getScheme()
                    + " or one of its parents; --overwrite never deletes it");
        }
        for (String input : inputs) {
            if (localPath(input) != null) {
                continue; // a local input cannot be inside a directory of another file system
            }
            org.apache.hadoop.fs.Path in = new org.apache.hadoop.fs.Path(URI.create(input));
            if (isWithin(in.getFileSystem(f.getConf()).makeQualified(in), q)) {
                throw new IllegalArgumentException("output " + dir + " contains " + input
                        + ", an input of this run; --overwrite never deletes an input");
            }
        }
        if (f.listStatus(t).length == 0) {
            return;
        }
        org.apache.hadoop.fs.Path manifest = new org.apache.hadoop.fs.Path(t, MANIFEST);
        if (!f.isFile(manifest)) {
            throw notOurs(dir);
        }
        String text;
        try (FSDataInputStream in = f.open(manifest)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!isLipflowManifest(text)) {
            throw notOurs(dir);
        }
    }

    private static IllegalArgumentException notOurs(String dir) {
        return new IllegalArgumentException("output " + dir + " exists and is not a lipflow output (no lipflow " + MANIFEST
                + "); --overwrite replaces only directories lipflow wrote");
    }

    /** Whether {@code inner} is {@code outer} or below it (same scheme and authority). */
    private static boolean isWithin(org.apache.hadoop.fs.Path inner, org.apache.hadoop.fs.Path outer) {
        URI i = inner.toUri(), o = outer.toUri();
        if (!java.util.Objects.equals(i.getScheme(), o.getScheme()) || !java.util.Objects.equals(i.getAuthority(), o.getAuthority())) {
            return false;
        }
        String ip = i.getPath(), op = o.getPath().endsWith("/") ? o.getPath() : o.getPath() + "/";
        return (ip + "/").startsWith(op);
    }

    /** A manifest lipflow wrote: a JSON object with the command and lipflow's version. */
    static boolean isLipflowManifest(String text) {
        try {
            Config c = ConfigFactory.parseString(text, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
            return c.hasPath("command") && c.hasPath("versions.lipflow");
        } catch (ConfigException e) {
            return false;
        }
    }

    /** Where the driver writes its files until the commit. */
    public Path local() {
        return local;
    }

    /** The path or URI of a file or directory {@code name} inside the (temporary) output. */
    public String uri(String name) {
        return workUri.endsWith("/") ? workUri + name : workUri + "/" + name;
    }

    public String target() {
        return targetUri;
    }

    public void commit() throws IOException {
        if (remote) {
            org.apache.hadoop.fs.Path work = new org.apache.hadoop.fs.Path(workUri), t = new org.apache.hadoop.fs.Path(targetUri);
            try (Stream<Path> files = Files.list(local)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (!f.getFileName().toString().equals(DirectoryOwner.FILE)) {
                        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(f.toUri()), new org.apache.hadoop.fs.Path(work, f.getFileName().toString()));
                    }
                }
            }
            fs.delete(new org.apache.hadoop.fs.Path(work, DirectoryOwner.FILE), false);
            if (fs.exists(t)) {
                if (!overwrite) {
                    throw new IllegalArgumentException("output " + targetUri + " appeared during the run; not replacing it");
                }
                checkReplaceable(targetUri, inputs);
                fs.delete(t, true);
            }
            if (!fs.rename(work, t)) {
                throw new IOException("could not rename " + work + " to " + t);
            }
            committed = true;
            deleteRecursively(local);
            return;
        }
        if (Files.exists(target)) {
            if (!overwrite) {
                throw new IllegalArgumentException("output " + target + " appeared during the run; not replacing it");
            }
            checkReplaceable(targetUri, inputs);
            deleteRecursively(target);
        }
        Files.deleteIfExists(local.resolve(DirectoryOwner.FILE));
        try {
            Files.move(local, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(local, target);
        }
        committed = true;
    }

    @Override
    public void close() {
        if (committed) {
            return;
        }
        try {
            deleteRecursively(local);
            if (remote) {
                fs.delete(new org.apache.hadoop.fs.Path(workUri), true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove partial output " + workUri, e);
        }
    }

    public static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(q);
            }
        }
    }
}
