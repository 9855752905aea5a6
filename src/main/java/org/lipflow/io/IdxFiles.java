package org.lipflow.io;

import org.lipflow.flow.Block;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * (Fashion-)MNIST IDX files: an images file (magic 0x00000803: unsigned bytes, dimensions count,
 * height, width, big-endian) and its labels file (magic 0x00000801: unsigned bytes, count), plain
 * or gzip-compressed (recognised by its first bytes), local or on any Hadoop file system. Pixels
 * become columns p1..p(h·w) in row-major order with the image shape [h, w, 1]; the labels file is
 * the one named by labels-path, else the standard name beside the images (idx3 → idx1, images →
 * labels), else the images are unlabelled.
 */
public final class IdxFiles {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private IdxFiles() {
    }

    /** True for names of IDX images files: *-idx3-ubyte, *.idx3-ubyte, *.idx, each optionally .gz. */
    static boolean isIdxName(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        if (p.endsWith(".gz")) {
            p = p.substring(0, p.length() - 3);
        }
        return p.endsWith("-idx3-ubyte") || p.endsWith(".idx3-ubyte") || p.endsWith(".idx");
    }

    /** The standard labels file name beside an images file (t10k-images-idx3-ubyte → t10k-labels-idx1-ubyte), or null. */
    static String labelsBeside(String images) {
        int slash = images.lastIndexOf('/') + 1;
        String name = images.substring(slash);
        String labels = name.replace("idx3", "idx1").replace("images", "labels");
        return labels.equals(name) ? null : images.substring(0, slash) + labels;
    }

    public static Table read(String path, ReadOptions o) throws IOException {
        if (!o.features().isEmpty() || !o.vectorColumn().isEmpty()) {
            throw new IllegalArgumentException(path + ": an IDX images file has pixel columns p1..pD; features and features-column "
                    + "cannot be set for it");
        }
        int n, h, w;
        float[] x;
        try (DataInputStream in = open(path)) {
            int magic = readInt(in, path, "header");
            if (magic != IMAGES_MAGIC) {
                throw new IllegalArgumentException(String.format("%s: not an IDX images file (magic number 0x%08X, expected 0x%08X)",
                        path, magic, IMAGES_MAGIC));
            }
            n = readInt(in, path, "header");
            h = readInt(in, path, "header");
            w = readInt(in, path, "header");
            if (n <= 0 || h <= 0 || w <= 0 || (long) n * h * w > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(path + ": IDX header gives " + n + " images of " + h + "x" + w
                        + "; each must be > 0 and count·height·width < 2^31");
            }
            x = new float[n * h * w];
            byte[] buf = new byte[1 << 16];
            int at = 0;
            while (at < x.length) {
                int got;
                try {
                    got = in.read(buf, 0, Math.min(buf.length, x.length - at));
                } catch (EOFException | java.util.zip.ZipException e) {
                    got = -1; // a cut-off gzip stream
                }
                if (got < 0) {
                    throw new IllegalArgumentException(path + ": truncated IDX images file: the header gives " + n + " images of "
                            + h + "x" + w + " (" + x.length + " pixel bytes), the body has " + at);
                }
                for (int i = 0; i < got; i++) {
                    x[at + i] = buf[i] & 0xFF;
                }
                at += got;
            }
        }
        int[] labels = labels(path, o, n);
        String[] columns = new String[h * w];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = "p" + (i + 1);
        }
        return new Table(columns, new Block(n, h * w, x, labels, null), labels == null ? null : o.labelColumn(), new int[]{h, w, 1});
    }

    /**
     * The labels file of an IDX images file: labels-path, else the standard name beside it when
     * that exists; null when there is none (or no label column is wanted).
     */
    public static String labelsFile(String images, ReadOptions o) throws IOException {
        if (o.labelColumn() == null || o.labelColumn().isEmpty()) {
            return null;
        }
        if (!o.labelsPath().isEmpty()) {
            return o.labelsPath();
        }
        String beside = labelsBeside(images);
        if (beside == null || !FileSystems.exists(beside)) {
            if (o.labelRequired()) {
                throw new IllegalArgumentException(images + ": no labels file " + (beside == null ? "" : beside + " ")
                        + "beside the IDX images file; name it with labels-path");
            }
            return null;
        }
        return beside;
    }

    /** The labels of {@code n} images, or null when there is no labels file (and none was asked for). */
    private static int[] labels(String images, ReadOptions o, int n) throws IOException {
        String file = labelsFile(images, o);
        if (file == null) {
            return null;
        }
        try (DataInputStream in = open(file)) {
            int magic = readInt(in, file, "header");
            if (magic != LABELS_MAGIC) {
                throw new IllegalArgumentException(String.format("%s: not an IDX labels file (magic number 0x%08X, expected 0x%08X)",
                        file, magic, LABELS_MAGIC));
            }
            int count = readInt(in, file, "header");
            if (count != n) {
                throw new IllegalArgumentException(file + ": " + count + " labels for the " + n + " images of " + images);
            }
            byte[] b = new byte[n];
            try {
                in.readFully(b);
            } catch (EOFException | java.util.zip.ZipException e) {
                throw new IllegalArgumentException(file + ": truncated IDX labels file: the header gives " + n
                        + " labels, the body has fewer");
            }
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = b[i] & 0xFF;
            }
            return labels;
        }
    }

    /** The file's bytes, gunzipped when they start with the gzip magic number. */
    private static DataInputStream open(String path) throws IOException {
        BufferedInputStream in = new BufferedInputStream(FileSystems.open(path), 1 << 16);
        in.mark(2);
        int b0 = in.read(), b1 = in.read();
        in.reset();
        InputStream body = b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
        return new DataInputStream(body);
    }

    private static int readInt(DataInputStream in, String file, String part) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new IllegalArgumentException(file + ": truncated IDX " + part + " (shorter than its 4-byte fields)");
        }
    }
}
