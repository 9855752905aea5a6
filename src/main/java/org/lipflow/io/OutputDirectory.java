package org.lipflow.io;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 */
public final class OutputDirectory implements AutoCloseable {
    private final Path target;
    private final Path work;
    private final boolean overwrite;
    private boolean committed;

    public OutputDirectory(String dir, boolean overwrite) throws IOException {
        this.target = Path.of(dir).toAbsolutePath().normalize();
        this.overwrite = overwrite;
        checkTarget(target, overwrite);
        Path parent = target.getParent();
        Files.createDirectories(parent);
        this.work = Files.createDirectory(parent.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID()));
    }

    /** Fails early (before any work) when the target exists and overwrite is off. */
    public static void checkTarget(Path target, boolean overwrite) {
        if (Files.exists(target) && !overwrite) {
            throw new IllegalArgumentException("output " + target + " already exists (use --overwrite or output.overwrite = true)");
        }
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new IllegalArgumentException("output " + target + " exists and is not a directory");
        }
    }

    /** Where to write the files of the run until it is committed. */
    public Path path() {
        return work;
    }

    public Path target() {
        return target;
    }

    public void commit() throws IOException {
        if (Files.exists(target)) {
            if (!overwrite) {
                throw new IllegalArgumentException("output " + target + " appeared during the run; not replacing it");
            }
            deleteRecursively(target);
        }
        try {
            Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(work, target);
        }
        committed = true;
    }

    @Override
    public void close() {
        if (!committed) {
            try {
                deleteRecursively(work);
            } catch (IOException e) {
                throw new UncheckedIOException("could not remove partial output " + work, e);
            }
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
