package org.lipflow.latent;

import org.lipflow.flow.Block;
import org.lipflow.io.FileSystems;
import org.lipflow.io.Table;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Exact principal component analysis as a {@link LatentModel}: the k leading eigenvectors V
 * (d × k, orthonormal columns) of the centred data's scatter matrix. Encoding is
 * z = ((x − μ)·V − m) / s, decoding x = (z·s + m)·Vᵀ + μ, where μ are the column means (data
 * shift; the data scale is 1: PCA on the covariance, so columns keep their own units) and m, s
 * the mean and standard deviation of the training codes (m = 0 up to rounding, s_j = √(λ_j/(n−1))),
 * so the codes of the training data have unit variance and a flow source N(0, I) matches them.
 *
 * <p>Fitting solves one symmetric eigenproblem in double precision with LAPACK's {@code dsyev}
 * (ND4J {@link Eigen#symmetricGeneralizedEigenvalues(INDArray, boolean)}): for tall data
 * (n ≥ d) of the d × d scatter matrix XcᵀXc; for wide data (n &lt; d, e.g. 57 samples × 22,283
 * genes) of the n × n Gram matrix XcXcᵀ of the centred rows, never a d × d one, whose eigenvectors
 * u give the components v = Xcᵀu / √λ. Both have the same non-zero eigenvalues λ. Either matrix
 * is accumulated over chunks of centred rows (tall) or columns (wide), so a fit holds the data,
 * the d × d or n × n matrix and one chunk, never a centred copy of the whole data. Each component's
 * sign is fixed so that its largest-magnitude entry is positive (deterministic output).
 *
 * <p>On disk: {@code latent.json} (type pca) and {@link #FILE}, the components and eigenvalues in
 * a small binary format (big-endian: magic, version, d, k, λ[k], V row-major d × k as doubles).
 */
public final class PcaModel implements LatentModel {
    private static final long serialVersionUID = 1L;
    /** The components file of a PCA model directory. */
    public static final String FILE = "pca.bin";
    private static final int MAGIC = 0x4C465043; // "LFPC"
    private static final int VERSION = 1;
    /** Eigenvalues below this fraction of the largest count as zero (the data's rank ends there). */
    private static final double RANK_TOLERANCE = 1e-10;
    /** Values per chunk of centred data (32 MB of doubles): fitting never holds the whole centred matrix. */
    private static final int CHUNK_VALUES = 1 << 22;

    private final ModelDescriptor descriptor;
    /** d × k row-major. */
    private final double[] components;
    /** λ_j / (n − 1): the variance the j-th component explains, in data units. */
    private final double[] variances;

    PcaModel(ModelDescriptor descriptor, double[] components, double[] variances) {
        if (!descriptor.type().equals("pca")) {
            throw new IllegalArgumentException("a PCA model needs a descriptor of type pca, got " + descriptor.type());
        }
        int d = descriptor.columns().size(), k = descriptor.latentDimension();
        if (components.length != (long) d * k || variances.length != k) {
            throw new IllegalArgumentException("PCA model: " + components.length + " component values and " + variances.length
                    + " variances do not match d = " + d + ", k = " + k);
        }
        this.descriptor = descriptor;
        this.components = components.clone();
        this.variances = variances.clone();
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    /** The variance each component explains (λ_j / (n − 1)), largest first. */
    public double[] explainedVariance() {
        return variances.clone();
    }

    /** The components as a d × k row-major matrix (column j = component j). */
    public double[] components() {
        return components.clone();
    }

    /** Fits k components to a table's feature columns. */
    public static PcaModel fit(Table data, int k, String fingerprint) {
        return fit(data.block(), List.of(data.columns()), k, fingerprint);
    }

    /**
     * Fits k components to the rows of {@code data}.
     *
     * @param columns     the data's column names (d of them), recorded in the descriptor
     * @param k           1 ≤ k ≤ min(n, d), and at most the rank of the centred data
     * @param fingerprint SHA-256 or generator spec of the data, recorded in the descriptor
     */
    public static PcaModel fit(Block data, List<String> columns, int k, String fingerprint) {
        return fit(data, columns, k, fingerprint, CHUNK_VALUES);
    }

    /** {@link #fit(Block, List, int, String)} with chunks of about {@code chunkValues} values (tests use small ones). */
    static PcaModel fit(Block data, List<String> columns, int k, String fingerprint, int chunkValues) {
        int n = data.rows, d = data.dimension;
        if (columns.size() != d) {
            throw new IllegalArgumentException("PCA: " + columns.size() + " column names for " + d + " columns");
        }
        checkDimension(k, n, d);
        double[] mean = new double[d];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < d; c++) {
                mean[c] += data.x[r * d + c];
            }
        }
        for (int c = 0; c < d; c++) {
            mean[c] /= n;
        }
        Eigenpairs top;
        if (n >= d) {
            // tall: S = Σ over row chunks of CᵀC, C the chunk's centred rows (memory: d² + a chunk, not n·d)
            INDArray scatter = Nd4j.zeros(DataType.DOUBLE, d, d);
            int rows = Math.max(1, chunkValues / d);
            for (int r0 = 0; r0 < n; r0 += rows) {
                INDArray c = centred(data, mean, r0, Math.min(n, r0 + rows), 0, d);
                scatter.addi(c.transpose().mmul(c)); // in place: accumulate the scatter matrix
            }
            top = leading(scatter, k, n, d);
        } else {
            // wide: G = Σ over column chunks of CCᵀ (n × n); v = Xcᵀu / √λ has unit length since |Xcᵀu|² = uᵀGu = λ
            INDArray gram = Nd4j.zeros(DataType.DOUBLE, n, n);
            int cols = Math.max(1, chunkValues / n);
            for (int c0 = 0; c0 < d; c0 += cols) {
                INDArray c = centred(data, mean, 0, n, c0, Math.min(d, c0 + cols));
                gram.addi(c.mmul(c.transpose())); // in place: accumulate the Gram matrix
            }
            Eigenpairs u = leading(gram, k, n, d);
            INDArray uk = Nd4j.create(u.vectors, new long[]{n, k}, DataType.DOUBLE);
            double[] v = new double[d * k];
            for (int c0 = 0; c0 < d; c0 += cols) {
                int c1 = Math.min(d, c0 + cols);
                double[] part = centred(data, mean, 0, n, c0, c1).transpose().mmul(uk).dup('c').data().asDouble();
                for (int i = 0; i < (c1 - c0) * k; i++) {
                    v[c0 * k + i] = part[i] / Math.sqrt(u.values[i % k]);
                }
            }
            top = new Eigenpairs(u.values, v);
        }
        return fromEigenpairs(columns, mean, top, k, d, n, fingerprint);
    }

    /**
     * A model from the column means and the d × d scatter matrix Σ(x − μ)(x − μ)ᵀ of n rows (the
     * Spark fit aggregates these over the blocks).
     */
    public static PcaModel fromScatter(List<String> columns, double[] mean, double[] scatter, long n, int k, String fingerprint) {
        int d = mean.length;
        checkDimension(k, n, d);
        INDArray s = Nd4j.create(scatter.clone(), new long[]{d, d}, DataType.DOUBLE);
        return fromEigenpairs(columns, mean, leading(s, k, n, d), k, d, n, fingerprint);
    }

    private static void checkDimension(int k, long n, int d) {
        if (k < 1 || k > Math.min(n, d)) {
            throw new IllegalArgumentException("latent.dimension must be between 1 and min(rows, columns) = " + Math.min(n, d)
                    + " for PCA of " + n + " rows x " + d + " columns, got " + k);
        }
    }

    /** Rows r0..r1 and columns c0..c1 of the data minus the column means, in double. */
    private static INDArray centred(Block data, double[] mean, int r0, int r1, int c0, int c1) {
        int d = data.dimension, w = c1 - c0;
        double[] c = new double[(r1 - r0) * w];
        for (int r = r0; r < r1; r++) {
            for (int j = c0; j < c1; j++) {
                c[(r - r0) * w + j - c0] = data.x[r * d + j] - mean[j];
            }
        }
        return Nd4j.create(c, new long[]{r1 - r0, w}, DataType.DOUBLE);
    }

    /** Eigenvalues (descending) and eigenvectors (row-major, m × k: column j = vector j). */
    private record Eigenpairs(double[] values, double[] vectors) {
    }

    /** The k largest eigenpairs of a symmetric matrix; the rank check names the data's shape. */
    private static Eigenpairs leading(INDArray symmetric, int k, long n, int d) {
        int m = (int) symmetric.rows();
        INDArray a = symmetric.dup('c');
        INDArray values = Eigen.symmetricGeneralizedEigenvalues(a, true); // ascending; a now holds the eigenvectors as columns
        double[] all = values.data().asDouble();
        double[] top = new double[k];
        double[] vectors = new double[m * k];
        for (int j = 0; j < k; j++) {
            int src = m - 1 - j;
            top[j] = all[src];
            for (int i = 0; i < m; i++) {
                vectors[i * k + j] = a.getDouble(i, src);
            }
        }
        double largest = Math.max(all[m - 1], 0);
        if (!(top[k - 1] > RANK_TOLERANCE * largest) || !(largest > 0)) {
            int rank = 0;
            for (double v : all) {
                rank += v > RANK_TOLERANCE * largest && largest > 0 ? 1 : 0;
            }
            throw new IllegalArgumentException("latent.dimension = " + k + " exceeds the rank " + rank + " of the centred data ("
                    + n + " rows x " + d + " columns); PCA can give at most " + rank + " components");
        }
        return new Eigenpairs(top, vectors);
    }

    private static PcaModel fromEigenpairs(List<String> columns, double[] mean, Eigenpairs top, int k, int d, long n,
                                           String fingerprint) {
        double[] v = top.vectors();
        if (v.length != d * k) {
            throw new IllegalStateException("PCA: " + v.length + " component values for d = " + d + ", k = " + k);
        }
        double[] variances = new double[k], std = new double[k];
        for (int j = 0; j < k; j++) {
            int argmax = 0;
            double norm = 0;
            for (int i = 0; i < d; i++) {
                norm += v[i * k + j] * v[i * k + j];
                if (Math.abs(v[i * k + j]) > Math.abs(v[argmax * k + j])) {
                    argmax = i;
                }
            }
            double scale = (v[argmax * k + j] < 0 ? -1 : 1) / Math.sqrt(norm); // fixed sign; unit length against rounding
            for (int i = 0; i < d; i++) {
                v[i * k + j] *= scale;
            }
            variances[j] = top.values()[j] / Math.max(1, n - 1);
            std[j] = Math.sqrt(variances[j]);
        }
        double[] ones = new double[d];
        Arrays.fill(ones, 1.0);
        ModelDescriptor descriptor = new ModelDescriptor(ModelDescriptor.FORMAT_VERSION, "pca", columns, new int[]{d}, k,
                mean, ones, new double[k], std, List.of(), fingerprint, n);
        return new PcaModel(descriptor, v, variances);
    }

    @Override
    public Block encode(Block data) {
        int d = descriptor.columns().size(), k = descriptor.latentDimension();
        if (data.dimension != d) {
            throw new IllegalArgumentException("PCA model of " + d + " columns cannot encode data of " + data.dimension + " columns");
        }
        double[] shift = descriptor.dataShift(), scale = descriptor.dataScale();
        double[] lm = descriptor.latentMean(), ls = descriptor.latentStd();
        float[] z = new float[data.rows * k];
        double[] row = new double[d], acc = new double[k];
        for (int r = 0; r < data.rows; r++) {
            for (int c = 0; c < d; c++) {
                row[c] = (data.x[r * d + c] - shift[c]) / scale[c];
            }
            Arrays.fill(acc, 0);
            for (int c = 0; c < d; c++) {
                double xc = row[c];
                int base = c * k;
                for (int j = 0; j < k; j++) {
                    acc[j] += xc * components[base + j];
                }
            }
            for (int j = 0; j < k; j++) {
                z[r * k + j] = (float) ((acc[j] - lm[j]) / ls[j]);
            }
        }
        return new Block(data.rows, k, z, data.labels, data.ids);
    }

    @Override
    public Block decode(Block latent) {
        int d = descriptor.columns().size(), k = descriptor.latentDimension();
        if (latent.dimension != k) {
            throw new IllegalArgumentException("PCA model of latent dimension " + k + " cannot decode " + latent.dimension
                    + " coordinates");
        }
        double[] shift = descriptor.dataShift(), scale = descriptor.dataScale();
        double[] lm = descriptor.latentMean(), ls = descriptor.latentStd();
        float[] x = new float[latent.rows * d];
        double[] c = new double[k];
        for (int r = 0; r < latent.rows; r++) {
            for (int j = 0; j < k; j++) {
                c[j] = latent.x[r * k + j] * ls[j] + lm[j];
            }
            for (int i = 0; i < d; i++) {
                double s = 0;
                int base = i * k;
                for (int j = 0; j < k; j++) {
                    s += c[j] * components[base + j];
                }
                x[r * d + i] = (float) (s * scale[i] + shift[i]);
            }
        }
        return new Block(latent.rows, d, x, latent.labels, latent.ids);
    }

    /** Writes latent.json and {@link #FILE} into a local directory. */
    public void save(Path dir) throws IOException {
        Files.writeString(dir.resolve(ModelDescriptor.FILE), descriptor.toJson());
        try (OutputStream o = Files.newOutputStream(dir.resolve(FILE));
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(o, 1 << 16))) {
            int d = descriptor.columns().size(), k = descriptor.latentDimension();
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(d);
            out.writeInt(k);
            for (double v : variances) {
                out.writeDouble(v);
            }
            for (double v : components) {
                out.writeDouble(v);
            }
        }
    }

    /** Loads the components of a model directory (local path or Hadoop URI) whose latent.json is {@code descriptor}. */
    public static PcaModel load(String dir, ModelDescriptor descriptor) throws IOException {
        String file = dir.replaceAll("/+$", "") + "/" + FILE;
        int d = descriptor.columns().size(), k = descriptor.latentDimension();
        try (InputStream i = FileSystems.open(file); DataInputStream in = new DataInputStream(new BufferedInputStream(i, 1 << 16))) {
            int magic = in.readInt(), version = in.readInt();
            if (magic != MAGIC) {
                throw new IllegalArgumentException(file + ": not a lipflow PCA components file (magic number "
                        + Integer.toHexString(magic) + ")");
            }
            if (version != VERSION) {
                throw new IllegalArgumentException(file + ": format version " + version + ", this lipflow reads version " + VERSION);
            }
            int fd = in.readInt(), fk = in.readInt();
            if (fd != d || fk != k) {
                throw new IllegalArgumentException(file + ": holds " + fd + " x " + fk + " components, " + ModelDescriptor.FILE
                        + " says " + d + " columns and latent dimension " + k);
            }
            double[] variances = new double[k], components = new double[d * k];
            for (int j = 0; j < k; j++) {
                variances[j] = in.readDouble();
            }
            for (int j = 0; j < components.length; j++) {
                components[j] = in.readDouble();
            }
            if (in.read() != -1) {
                throw new IllegalArgumentException(file + ": trailing bytes after " + d + " x " + k + " components");
            }
            return new PcaModel(descriptor, components, variances);
        } catch (EOFException e) {
            throw new IllegalArgumentException(file + ": truncated (expected " + d + " x " + k + " components)");
        }
    }
}
