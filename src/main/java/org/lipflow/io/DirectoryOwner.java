package org.lipflow.io;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Marks a scratch directory (temporary output, staging, Spark local directory) with the host
 * and process that created it, so that a later run can recognise it as debris of a process that
 * was killed. A directory is stale only when its owner file names this host and a process that
 * no longer runs (or a reused pid with another start time); a directory without an owner file,
 * or owned by another host or a live process, is never touched.
 */
public final class DirectoryOwner {
    /** The owner file inside a marked directory. */
    public static final String FILE = ".lipflow-owner";

    private DirectoryOwner() {
    }

    /** Host, pid and start time of this process, as the owner file holds them. */
    static String current() {
        return Current.TEXT;
    }

    /** Computed once: the host name lookup and the process's start time cost milliseconds, and never change. */
    private static final class Current {
        static final String TEXT;

        static {
            ProcessHandle self = ProcessHandle.current();
            TEXT = "host=" + host() + "\npid=" + self.pid() + "\nstarted="
                    + self.info().startInstant().map(i -> Long.toString(i.toEpochMilli())).orElse("") + "\n";
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Writes this process's owner file into a local directory. */
    public static void mark(Path dir) throws IOException {
        Files.writeString(dir.resolve(FILE), current(), StandardCharsets.UTF_8);
    }

    /** Writes this process's owner file into a directory of a Hadoop file system. */
    public static void mark(FileSystem fs, org.apache.hadoop.fs.Path dir) throws IOException {
        try (FSDataOutputStream out = fs.create(new org.apache.hadoop.fs.Path(dir, FILE), true)) {
            out.write(current().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A local directory created with this process's owner file. */
    public static Path createMarked(Path parent, String name) throws IOException {
        Path dir = Files.createDirectory(parent.resolve(name));
        mark(dir);
        return dir;
    }

    /**
     * Why the owner file's process is gone ("pid 123 on host h is not running"), or empty when the
     * directory must be left alone: no or unreadable owner file, another host, a live process.
     */
    static Optional<String> staleReason(String ownerText) {
        Properties p = new Properties();
        try {
            p.load(new java.io.StringReader(ownerText));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        String host = p.getProperty("host", ""), pidText = p.getProperty("pid", ""), started = p.getProperty("started", "");
        if (host.isEmpty() || host.equals("unknown") || !host.equals(host())) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(pidText.trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (pid == ProcessHandle.current().pid()) {
            return Optional.empty(); // this JVM (a notebook or test that ran before): not debris of a killed run
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return Optional.of("pid " + pid + " on " + host + " is not running");
        }
        Optional<String> liveStart = process.get().info().startInstant().map(i -> Long.toString(i.toEpochMilli()));
        if (!started.isEmpty() && liveStart.isPresent() && !liveStart.get().equals(started)) {
            return Optional.of("pid " + pid + " on " + host + " now belongs to another process");
        }
        return Optional.empty();
    }

    /** A removed stale directory and why it was stale. */
    public record Removed(String dir, String reason) {
        @Override
        public String toString() {
            return dir + " (" + reason + ")";
        }
    }

    /** Removes the stale marked directories in a local {@code parent} whose names start with {@code prefix}. */
    public static List<Removed> sweep(Path parent, String prefix) {
        List<Removed> removed = new ArrayList<>();
        if (!Files.isDirectory(parent)) {
            return removed;
        }
        List<Path> candidates;
        try (Stream<Path> s = Files.list(parent)) {
            candidates = s.filter(p -> p.getFileName().toString().startsWith(prefix) && Files.isDirectory(p)).toList();
        } catch (IOException e) {
            return removed; // an unlistable parent holds nothing we could clean
        }
        for (Path dir : candidates) {
            Path owner = dir.resolve(FILE);
            try {
                if (!Files.isRegularFile(owner)) {
                    continue;
                }
                Optional<String> reason = staleReason(Files.readString(owner, StandardCharsets.UTF_8));
                if (reason.isPresent()) {
                    OutputDirectory.deleteRecursively(dir);
                    removed.add(new Removed(dir.toString(), reason.get()));
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // another run may be removing it at the same time; leave it
            }
        }
        return removed;
    }

    /** Removes the stale marked directories in a Hadoop {@code parent} whose names start with {@code prefix}. */
    public static List<Removed> sweep(FileSystem fs, org.apache.hadoop.fs.Path parent, String prefix) {
        List<Removed> removed = new ArrayList<>();
        FileStatus[] children;
        try {
            children = fs.listStatus(parent, p -> p.getName().startsWith(prefix));
        } catch (IOException e) {
            return removed;
        }
        for (FileStatus st : children) {
            if (!st.isDirectory()) {
                continue;
            }
            org.apache.hadoop.fs.Path owner = new org.apache.hadoop.fs.Path(st.getPath(), FILE);
            try {
                if (!fs.exists(owner)) {
                    continue;
                }
                String text;
                try (FSDataInputStream in = fs.open(owner)) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                Optional<String> reason = staleReason(text);
                if (reason.isPresent() && fs.delete(st.getPath(), true)) {
                    removed.add(new Removed(st.getPath().toString(), reason.get()));
                }
            } catch (IOException e) {
                // leave it
            }
        }
        return removed;
    }
}
