package org.lipflow.checkpoint;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.lipflow.discriminator.MlpLayout;
import org.lipflow.flow.Block;
import org.lipflow.flow.DiscriminatorState;
import org.lipflow.flow.StepMetrics;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The binary files of a checkpoint: particle blocks, the discriminator state and the monitors so
 * far. Plain little-endian numbers behind a magic word and the format version, so that reading a
 * checkpoint never deserialises Java objects from a file; every file's length and CRC-32C are
 * recorded in the checkpoint's manifest and checked when it is read.
 *
 * <pre>
 *   part-NNNNN.bin     "LFPB" version partition rows dimension flags(1 labels, 2 ids)
 *                      x[rows·d] float32, labels[rows] int32, ids[rows] int64
 *                      version 2 (particles with a velocity history, multistep integrators): after flags
 *                      historySteps int32, and after ids history[historySteps·rows·d] float32
 *   discriminator.bin  "LFDS" version n params[n] m[n] v[n] float32, t int64, pendingH float64,
 *                      layers, per layer: length, u[length] float32
 *   metrics.bin        "LFMT" version count, per step: step int32, H, KE, max speed, spread, millis float64
 * </pre>
 */
public final class CheckpointFiles {
    /** The version of every file above and of the checkpoint manifest; a reader refuses others. */
    public static final int FORMAT_VERSION = 1;
    /**
     * A particle file whose block carries the previous steps' velocities ({@link Block#history});
     * one without is still written as version 1, so euler/heun checkpoints are what they were.
     */
    public static final int PARTS_HISTORY_VERSION = 2;

    static final int PARTS_MAGIC = 0x4250464C; // "LFPB" little-endian
    static final int STATE_MAGIC = 0x5344464C; // "LFDS"
    static final int METRICS_MAGIC = 0x544D464C; // "LFMT"
    private static final int CHUNK = 1 << 16;

    private CheckpointFiles() {
    }

    /** What was written for one file: its length and checksum, recorded in the manifest. */
    public record FileInfo(String name, long bytes, long crc) implements Serializable {
    }

    /** The name of partition p's particle file inside a checkpoint's {@code particles/} directory. */
    public static String partName(int partition) {
        return String.format("part-%05d.bin", partition);
    }

    // ---------------------------------------------------------------- particles

    /** Writes one partition's block (a Spark executor or the in-process driver calls this). */
    public static FileInfo writePart(FileSystem fs, Path file, int partition, Block b) throws IOException {
        try (Out out = new Out(fs.create(file, true))) {
            boolean history = b.history != null;
            out.ints(PARTS_MAGIC, history ? PARTS_HISTORY_VERSION : FORMAT_VERSION, partition, b.rows, b.dimension,
                    (b.labels != null ? 1 : 0) | (b.ids != null ? 2 : 0));
            if (history) {
                out.ints(b.history.length / Math.max(1, b.rows * b.dimension));
            }
            out.floats(b.x);
            if (b.labels != null) {
                out.ints(b.labels);
            }
            if (b.ids != null) {
                out.longs(b.ids);
            }
            if (history) {
                out.floats(b.history);
            }
            out.close();
            return new FileInfo(file.getName(), out.bytes, out.crc.getValue());
        }
    }

    /** Reads one partition's block, checking length, checksum, magic, version and partition. */
    public static Block readPart(FileSystem fs, Path file, int partition, FileInfo expected) throws IOException {
        checkLength(fs, file, expected);
        try (In in = new In(fs.open(file), file)) {
            int[] h = in.ints(6);
            if (h[0] != PARTS_MAGIC) {
                throw corrupt(file, "not a lipflow particle file");
            }
            if (h[1] != PARTS_HISTORY_VERSION) {
                checkVersion(file, h[1]);
            }
            boolean withHistory = h[1] == PARTS_HISTORY_VERSION;
            int historySteps = withHistory ? in.ints(1)[0] : 0;
            if (h[2] != partition) {
                throw corrupt(file, "holds partition " + h[2] + ", expected " + partition);
            }
            int rows = h[3], d = h[4];
            if (rows < 0 || d < 1 || (long) rows * d > Integer.MAX_VALUE - 8) {
                throw corrupt(file, "impossible shape " + rows + " x " + d);
            }
            float[] x = in.floats(rows * d);
            int[] labels = (h[5] & 1) != 0 ? in.ints(rows) : null;
            long[] ids = (h[5] & 2) != 0 ? in.longs(rows) : null;
            if (historySteps < 0 || historySteps > 16 || (long) historySteps * rows * d > Integer.MAX_VALUE - 8) {
                throw corrupt(file, "impossible velocity history of " + historySteps + " steps");
            }
            float[] history = withHistory ? in.floats(historySteps * rows * d) : null;
            in.end(expected);
            return new Block(rows, d, x, labels, ids, history);
        }
    }

    // ---------------------------------------------------------------- discriminator

    /** θ, Adam's moments and step count, the power vectors and the pending H of the next step. */
    public static FileInfo writeState(FileSystem fs, Path file, DiscriminatorState s, double pendingDivergence) throws IOException {
        try (Out out = new Out(fs.create(file, true))) {
            out.ints(STATE_MAGIC, FORMAT_VERSION, s.params.length);
            out.floats(s.params);
            out.floats(s.m);
            out.floats(s.v);
            out.longs(new long[]{s.t, Double.doubleToRawLongBits(pendingDivergence)});
            out.ints(s.power.length);
            for (float[] u : s.power) {
                out.ints(u.length);
                out.floats(u);
            }
            out.close();
            return new FileInfo(file.getName(), out.bytes, out.crc.getValue());
        }
    }

    /** A state read back for {@code layout}, and the pending H stored with it. */
    public record State(DiscriminatorState state, double pendingDivergence) {
    }

    public static State readState(FileSystem fs, Path file, MlpLayout layout, FileInfo expected) throws IOException {
        checkLength(fs, file, expected);
        try (In in = new In(fs.open(file), file)) {
            int[] h = in.ints(3);
            if (h[0] != STATE_MAGIC) {
                throw corrupt(file, "not a lipflow discriminator state");
            }
            checkVersion(file, h[1]);
            if (h[2] != layout.parameterCount()) {
                throw new IllegalArgumentException("checkpoint " + file.getParent() + ": its discriminator has " + h[2]
                        + " parameters, this run's has " + layout.parameterCount() + " (the network or the data's shape changed)");
            }
            float[] p = in.floats(h[2]), m = in.floats(h[2]), v = in.floats(h[2]);
            long[] tl = in.longs(2);
            int layers = in.ints(1)[0];
            if (layers < 0 || layers > 10_000) {
                throw corrupt(file, "impossible layer count " + layers);
            }
            float[][] u = new float[layers][];
            for (int l = 0; l < layers; l++) {
                int len = in.ints(1)[0];
                if (len < 0 || len > (1 << 28)) {
                    throw corrupt(file, "impossible power vector length " + len);
                }
                u[l] = in.floats(len);
            }
            in.end(expected);
            return new State(new DiscriminatorState(layout, p, m, v, tl[0], u), Double.longBitsToDouble(tl[1]));
        }
    }

    // ---------------------------------------------------------------- monitors

    public static FileInfo writeMetrics(FileSystem fs, Path file, List<StepMetrics> history) throws IOException {
        try (Out out = new Out(fs.create(file, true))) {
            out.ints(METRICS_MAGIC, FORMAT_VERSION, history.size());
            for (StepMetrics m : history) {
                out.ints(m.step());
                out.doubles(m.divergence(), m.kineticEnergy(), m.maxSpeed(), m.spread(), m.millis());
            }
            out.close();
            return new FileInfo(file.getName(), out.bytes, out.crc.getValue());
        }
    }

    public static List<StepMetrics> readMetrics(FileSystem fs, Path file, FileInfo expected) throws IOException {
        checkLength(fs, file, expected);
        try (In in = new In(fs.open(file), file)) {
            int[] h = in.ints(3);
            if (h[0] != METRICS_MAGIC) {
                throw corrupt(file, "not a lipflow metrics file");
            }
            checkVersion(file, h[1]);
            if (h[2] < 0 || h[2] > 100_000_000) {
                throw corrupt(file, "impossible step count " + h[2]);
            }
            List<StepMetrics> history = new ArrayList<>(h[2]);
            for (int i = 0; i < h[2]; i++) {
                int step = in.ints(1)[0];
                double[] d = in.doubles(5);
                history.add(new StepMetrics(step, d[0], d[1], d[2], d[3], d[4]));
            }
            in.end(expected);
            return history;
        }
    }

    // ---------------------------------------------------------------- checks

    /** The file exists and has the recorded length (a truncated or missing file is found without reading it). */
    public static void checkLength(FileSystem fs, Path file, FileInfo expected) throws IOException {
        if (!fs.exists(file)) {
            throw corrupt(file, "missing");
        }
        long len = fs.getFileStatus(file).getLen();
        if (len != expected.bytes()) {
            throw corrupt(file, (len < expected.bytes() ? "truncated: " : "wrong length: ") + len + " bytes, "
                    + expected.bytes() + " written");
        }
    }

    private static void checkVersion(Path file, int version) {
        if (version != FORMAT_VERSION) {
            throw new UnsupportedVersion("checkpoint file " + file + " has format version " + version + "; this lipflow reads "
                    + "version " + FORMAT_VERSION + " only: resume it with the lipflow that wrote it, or start afresh");
        }
    }

    static CorruptCheckpoint corrupt(Path file, String what) {
        return new CorruptCheckpoint(file + " is corrupt (" + what + ")");
    }

    /** A checkpoint file that is missing, truncated or fails its checksum: the checkpoint is unusable. */
    public static final class CorruptCheckpoint extends IllegalArgumentException {
        CorruptCheckpoint(String message) {
            super(message);
        }
    }

    /** A checkpoint of another format version: refused, never guessed at. */
    public static final class UnsupportedVersion extends IllegalArgumentException {
        UnsupportedVersion(String message) {
            super(message);
        }
    }

    // ---------------------------------------------------------------- streams

    /** Little-endian writes through one reused buffer, with a running length and CRC-32C. */
    private static final class Out implements AutoCloseable {
        final OutputStream out;
        final CRC32C crc = new CRC32C();
        final ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        long bytes;
        boolean closed;

        Out(OutputStream out) {
            this.out = new BufferedOutputStream(out, CHUNK);
        }

        void ensure(int n) throws IOException {
            if (buf.remaining() < n) {
                flush();
            }
        }

        void flush() throws IOException {
            buf.flip();
            crc.update(buf.array(), 0, buf.limit());
            out.write(buf.array(), 0, buf.limit());
            bytes += buf.limit();
            buf.clear();
        }

        void ints(int... a) throws IOException {
            for (int v : a) {
                ensure(4);
                buf.putInt(v);
            }
        }

        void floats(float[] a) throws IOException {
            for (float v : a) {
                ensure(4);
                buf.putFloat(v);
            }
        }

        void longs(long[] a) throws IOException {
            for (long v : a) {
                ensure(8);
                buf.putLong(v);
            }
        }

        void doubles(double... a) throws IOException {
            for (double v : a) {
                ensure(8);
                buf.putDouble(v);
            }
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                flush();
                out.close();
            }
        }
    }

    /** Little-endian reads with a running CRC-32C; running out of bytes is a corrupt file. */
    private static final class In implements AutoCloseable {
        final InputStream in;
        final Path file;
        final CRC32C crc = new CRC32C();
        final byte[] chunk = new byte[CHUNK];
        long bytes;

        In(InputStream in, Path file) {
            this.in = new BufferedInputStream(in, CHUNK);
            this.file = file;
        }

        ByteBuffer read(int n) throws IOException {
            byte[] b = n <= CHUNK ? chunk : new byte[n];
            int off = 0;
            while (off < n) {
                int r;
                try {
                    r = in.read(b, off, n - off);
                } catch (org.apache.hadoop.fs.ChecksumException e) {
                    throw corrupt(file, "checksum mismatch"); // the file system's own checksum (.crc files) found it first
                }
                if (r < 0) {
                    throw corrupt(file, "ends early");
                }
                off += r;
            }
            crc.update(b, 0, n);
            bytes += n;
            return ByteBuffer.wrap(b, 0, n).order(ByteOrder.LITTLE_ENDIAN);
        }

        int[] ints(int n) throws IOException {
            int[] a = new int[n];
            for (int i = 0; i < n; ) {
                int k = Math.min(n - i, CHUNK / 4);
                read(4 * k).asIntBuffer().get(a, i, k);
                i += k;
            }
            return a;
        }

        float[] floats(int n) throws IOException {
            float[] a = new float[n];
            for (int i = 0; i < n; ) {
                int k = Math.min(n - i, CHUNK / 4);
                read(4 * k).asFloatBuffer().get(a, i, k);
                i += k;
            }
            return a;
        }

        long[] longs(int n) throws IOException {
            long[] a = new long[n];
            for (int i = 0; i < n; ) {
                int k = Math.min(n - i, CHUNK / 8);
                read(8 * k).asLongBuffer().get(a, i, k);
                i += k;
            }
            return a;
        }

        double[] doubles(int n) throws IOException {
            double[] a = new double[n];
            for (int i = 0; i < n; ) {
                int k = Math.min(n - i, CHUNK / 8);
                read(8 * k).asDoubleBuffer().get(a, i, k);
                i += k;
            }
            return a;
        }

        /** Everything read, nothing left over, and the checksum the writer recorded. */
        void end(FileInfo expected) throws IOException {
            int next;
            try {
                next = in.read();
            } catch (org.apache.hadoop.fs.ChecksumException e) {
                throw corrupt(file, "checksum mismatch");
            }
            if (next >= 0) {
                throw corrupt(file, "has bytes after its data");
            }
            if (bytes != expected.bytes() || crc.getValue() != expected.crc()) {
                throw corrupt(file, "checksum mismatch");
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
