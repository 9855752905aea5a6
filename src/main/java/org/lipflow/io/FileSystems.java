package org.lipflow.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Opens local paths with java.nio and anything with a scheme (hdfs://, s3a://, file://...) through
 * Hadoop's FileSystem, so users can point lipflow at any Hadoop-supported store.
 */
public final class FileSystems {
    private FileSystems() {
    }

    static boolean isLocal(String path) {
        int colon = path.indexOf(':');
        int slash = path.indexOf('/');
        return colon < 0 || (slash >= 0 && slash < colon) || colon == 1; // no scheme (or a Windows drive)
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
            return p.getFileSystem(new org.apache.hadoop.conf.Configuration()).open(p);
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException(path + ": file not found");
        }
    }

    public static OutputStream create(String path) throws IOException {
        if (isLocal(path)) {
            return Files.newOutputStream(Path.of(path));
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(URI.create(path));
        return p.getFileSystem(new org.apache.hadoop.conf.Configuration()).create(p, false);
    }

    /** SHA-256 of a file's bytes, hex; the input fingerprint of the run manifest. */
    public static String sha256(String path) throws IOException {
        try (InputStream in = open(path)) {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                md.update(buf, 0, n);
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
