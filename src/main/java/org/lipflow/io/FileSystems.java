package org.lipflow.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Opens local paths with java.nio and anything with a scheme (hdfs://, s3a://, file://...) through
 * Hadoop's FileSystem, so users can point lipflow at any Hadoop-supported store.
 */
public final class FileSystems {
    private FileSystems() {
    }

    /** Hadoop's key for the permissions it masks off files and directories it creates. */
    public static final String UMASK_KEY = "fs.permissions.umask-mode";

    private static final String PROCESS_UMASK = readProcessUmask();

    /**
     * This process's umask as three octal digits ("022"), from /proc/self/status; null where it
     * cannot be read. Java cannot set it, only honour it.
     */
    public static String processUmask() {
        return PROCESS_UMASK;
    }

    private static String readProcessUmask() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Umask:")) {
                    String octal = line.substring(6).trim();
                    return octal.substring(Math.max(0, octal.length() - 3));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: Hadoop's own default applies
        }
        return null;
    }

    /**
     * The Hadoop configuration lipflow reads and writes files with. Hadoop's local file system
     * sets the permissions of what it creates itself (0666/0777 minus {@value #UMASK_KEY},
     * default 022) instead of leaving them to the process umask; unless a site file sets that key,
     * it is the process umask here, so Parquet/CSV outputs and checkpoints get the permissions
     * every other file of the run gets.
     */
    public static org.apache.hadoop.conf.Configuration hadoopConf() {
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        if (PROCESS_UMASK != null && !setBySite(conf)) {
            conf.set(UMASK_KEY, PROCESS_UMASK);
        }
        return conf;
    }

    /** Whether a site file (core-site.xml...) rather than Hadoop's defaults gives the umask. */
    private static boolean setBySite(org.apache.hadoop.conf.Configuration conf) {
        String[] sources = conf.getPropertySources(UMASK_KEY);
        return sources != null && java.util.Arrays.stream(sources).anyMatch(src -> !src.equals("core-default.xml"));
    }

    /** True for a path without a URI scheme (read and written with java.nio). */
    public static boolean isLocal(String path) {
        int colon = path.indexOf(':');
        int slash = path.indexOf('/');
        return colon < 0 || (slash >= 0 && slash < colon) || colon == 1; // no scheme (or a Windows drive)
    }

    /**
     * A URI with an explicit scheme: local paths become file:// URIs, so that Spark executors
     * write where the driver does whatever the cluster's default file system is.
     */
    public static String qualified(String path) {
        return isLocal(path) ? Path.of(path).toAbsolutePath().toUri().toString() : path;
    }

    public static InputStream open(String path) throws IOException {
        if (isLocal(path)) {
            Path p = Path.of(path);
            if (Files.isDirectory(p)) {
                throw new IllegalArgumentException(path + ": is a directory, expected a file");
            }
            try {
                return Files.newInputStream(p);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException(path + ": file not found");
            } catch (java.nio.file.AccessDeniedException e) {
                throw new IllegalArgumentException(path + ": not readable (permission denied)");
            }
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(URI.create(path));
        try {
            return p.getFileSystem(hadoopConf()).open(p);
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException(path + ": file not found");
        }
    }

    /**
     * One file of a table.
     *
     * @param name     what messages call it: the table's path, or path/part-file for a directory
     * @param location where {@link #open} finds it
     */
    public record Part(String name, String location) {
    }

    /**
     * The files of a table: the file itself, or the visible files of a directory (names not
     * starting with '_' or '.', as Spark and Hadoop read them) in name order.
     */
    public static List<Part> parts(String path) throws IOException {
        if (isLocal(path)) {
            Path p = Path.of(path);
            if (!Files.exists(p)) {
                throw new IllegalArgumentException(path + ": file not found");
            }
            if (!Files.isDirectory(p)) {
                return List.of(new Part(path, path));
            }
            try (java.util.stream.Stream<Path> s = Files.list(p)) {
                return nonEmpty(path, s.filter(f -> visible(f.getFileName().toString()) && !Files.isDirectory(f)).sorted()
                        .map(f -> new Part(child(path, f.getFileName().toString()), f.toString())).toList());
            }
        }
        return parts(path, hadoopConf());
    }

    /**
     * The files of a table as Hadoop resolves its path with {@code conf} (Spark's: a path without
     * a scheme is on the cluster's default file system).
     */
    public static List<Part> parts(String path, org.apache.hadoop.conf.Configuration conf) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(conf);
        org.apache.hadoop.fs.FileStatus status;
        try {
            status = fs.getFileStatus(p);
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException(path + ": file not found");
        }
        if (!status.isDirectory()) {
            return List.of(new Part(path, status.getPath().toString()));
        }
        return nonEmpty(path, java.util.Arrays.stream(fs.listStatus(p)).filter(f -> f.isFile() && visible(f.getPath().getName()))
                .sorted(java.util.Comparator.comparing(f -> f.getPath().getName()))
                .map(f -> new Part(child(path, f.getPath().getName()), f.getPath().toString())).toList());
    }

    private static String child(String dir, String name) {
        return (dir.endsWith("/") ? dir : dir + "/") + name;
    }

    private static boolean visible(String name) {
        return !name.startsWith("_") && !name.startsWith(".");
    }

    private static List<Part> nonEmpty(String path, List<Part> files) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException(path + ": empty directory (no part files)");
        }
        return files;
    }

    /** Opens a file as Hadoop resolves it with {@code conf}; null: as {@link #open(String)} does. */
    static InputStream open(String path, org.apache.hadoop.conf.Configuration conf) throws IOException {
        if (conf == null) {
            return open(path);
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        try {
            return p.getFileSystem(conf).open(p);
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException(path + ": file not found");
        }
    }

    /** True when {@code path} names an existing file or directory (local path or any Hadoop URI). */
    public static boolean exists(String path) throws IOException {
        if (isLocal(path)) {
            return Files.exists(Path.of(path));
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(URI.create(path));
        return p.getFileSystem(hadoopConf()).exists(p);
    }

    public static OutputStream create(String path) throws IOException {
        if (isLocal(path)) {
            return Files.newOutputStream(Path.of(path));
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(URI.create(path));
        return p.getFileSystem(hadoopConf()).create(p, false);
    }

    /**
     * SHA-256 of a file's bytes, hex; the input fingerprint of the run manifest. A local directory
     * of part files (as Spark writes) is hashed as its visible files' names and bytes, in name order.
     */
    public static String sha256(String path) throws IOException {
        java.security.MessageDigest md;
        try {
            md = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (isLocal(path) && Files.isDirectory(Path.of(path))) {
            java.util.List<Path> files;
            try (java.util.stream.Stream<Path> s = Files.list(Path.of(path))) {
                files = s.filter(f -> !f.getFileName().toString().startsWith(".") && !f.getFileName().toString().startsWith("_"))
                        .sorted().toList();
            }
            for (Path f : files) {
                md.update(f.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                digest(Files.newInputStream(f), md);
            }
        } else {
            digest(open(path), md);
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    private static void digest(InputStream stream, java.security.MessageDigest md) throws IOException {
        try (InputStream in = stream) {
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                md.update(buf, 0, n);
            }
        }
    }
}
