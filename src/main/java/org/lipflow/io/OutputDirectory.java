package org.lipflow.io;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * An output directory committed atomically: everything is written into a hidden sibling
 * {@code .DIR.tmp-<uuid>} and renamed to DIR only when the run succeeded, so a failed run leaves
 * nothing that looks complete. An existing DIR is an error unless overwrite is asked for.
 *
 * <p>DIR is a local path or any Hadoop URI (hdfs://, s3a://, file://...). Large outputs
 * (particles) are written straight to {@link #uri(String)}; the driver's small files (metrics,
 * manifest, plots, model) go to the local {@link #local()} directory, which for a URI is a
 * staging directory copied into the temporary directory just before the rename. The rename is
 * atomic where the file system's is (local disks, HDFS); object stores copy.
 */
public final class OutputDirectory implements AutoCloseable {
    private final boolean remote;
    private final boolean overwrite;
    private final String targetUri;
    private final String workUri;
    private final Path local;
    private final Path target;
    private FileSystem fs;
    private boolean committed;

    public OutputDirectory(String dir, boolean overwrite) throws IOException {
        this.overwrite = overwrite;
        this.remote = !FileSystems.isLocal(dir);
        if (remote) {
            org.apache.hadoop.fs.Path t = new org.apache.hadoop.fs.Path(URI.create(dir));
            fs = t.getFileSystem(new Configuration());
            checkTarget(dir, overwrite);
            org.apache.hadoop.fs.Path work = new org.apache.hadoop.fs.Path(t.getParent(), "." + t.getName() + ".tmp-" + UUID.randomUUID());
            if (!fs.mkdirs(work)) {
                throw new IOException("cannot create " + work);
            }
            targetUri = fs.makeQualified(t).toString();
            workUri = fs.makeQualified(work).toString();
            local = Files.createTempDirectory("lipflow-out-");
            target = null;
        } else {
            target = Path.of(dir).toAbsolutePath().normalize();
            checkTarget(dir, overwrite);
            Files.createDirectories(target.getParent());
            local = Files.createDirectory(target.getParent().resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID()));
            targetUri = target.toString();
            workUri = local.toString();
        }
    }

    /** Fails early (before any work) when the target exists and overwrite is off. */
    public static void checkTarget(String dir, boolean overwrite) {
        try {
            boolean exists, isDir;
            if (FileSystems.isLocal(dir)) {
                Path p = Path.of(dir).toAbsolutePath();
                exists = Files.exists(p);
                isDir = Files.isDirectory(p);
            } else {
                org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(URI.create(dir));
                FileSystem f = p.getFileSystem(new Configuration());
                exists = f.exists(p);
                isDir = exists && f.getFileStatus(p).isDirectory();
            }
            if (exists && !overwrite) {
                throw new IllegalArgumentException("output " + dir + " already exists (use --overwrite or output.overwrite = true)");
            }
            if (exists && !isDir) {
                throw new IllegalArgumentException("output " + dir + " exists and is not a directory");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("output " + dir + ": " + e.getMessage());
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
                    fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(f.toUri()), new org.apache.hadoop.fs.Path(work, f.getFileName().toString()));
                }
            }
            if (fs.exists(t)) {
                if (!overwrite) {
                    throw new IllegalArgumentException("output " + targetUri + " appeared during the run; not replacing it");
                }
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
            deleteRecursively(target);
        }
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
