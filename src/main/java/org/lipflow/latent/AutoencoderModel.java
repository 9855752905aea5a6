package org.lipflow.latent;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.lipflow.flow.Block;
import org.lipflow.io.FileSystems;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A trained autoencoder (dense or conv) as a {@link LatentModel}: encoder and decoder DL4J
 * networks plus the descriptor's scalings. Blocks are encoded and decoded in chunks of
 * {@link #CHUNK} rows, each one ND4J matrix built from the block's float array.
 *
 * <p>DL4J networks are not thread-safe, and a Spark broadcast value is shared by all tasks of an
 * executor; so the model holds its networks as ModelSerializer bytes (what Java serialization
 * ships) and every thread restores its own pair on first use.
 */
public final class AutoencoderModel implements LatentModel {
    private static final long serialVersionUID = 1L;
    /** Rows per forward pass: bounds the off-heap memory of one encode/decode call. */
    static final int CHUNK = 4096;
    public static final String ENCODER = "encoder.zip", DECODER = "decoder.zip";

    private final ModelDescriptor descriptor;
    private final byte[] encoderZip, decoderZip;
    private transient volatile ThreadLocal<MultiLayerNetwork[]> networks;

    /** A model of two networks (their parameters are copied into bytes; the networks stay the caller's). */
    public AutoencoderModel(ModelDescriptor descriptor, MultiLayerNetwork encoder, MultiLayerNetwork decoder) {
        this(descriptor, AutoencoderNetworks.bytes(encoder), AutoencoderNetworks.bytes(decoder), "model");
    }

    private AutoencoderModel(ModelDescriptor descriptor, byte[] encoderZip, byte[] decoderZip, String origin) {
        if (!descriptor.type().equals("dense") && !descriptor.type().equals("conv")) {
            throw new IllegalArgumentException(origin + ": type " + descriptor.type() + " is not an autoencoder");
        }
        this.descriptor = descriptor;
        this.encoderZip = encoderZip;
        this.decoderZip = decoderZip;
        check(origin);
    }

    /** The networks' sizes must be the descriptor's: d → k and k → d. */
    private void check(String origin) {
        MultiLayerNetwork[] n = nets();
        int d = dataDimension(), k = latentDimension();
        long encIn = n[0].layerInputSize(0), encOut = n[0].layerSize(n[0].getnLayers() - 1);
        long decIn = n[1].layerInputSize(0);
        long decOut = encOut == k && decIn == k ? n[1].output(Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, k)).length()
                : n[1].layerSize(n[1].getnLayers() - 1);
        if (encOut != k || decIn != k || decOut != d || (descriptor.type().equals("dense") && encIn != d)) {
            throw new IllegalArgumentException(origin + ": encoder/decoder sizes (" + encIn + " -> " + encOut + ", " + decIn + " -> "
                    + decOut + ") do not match " + ModelDescriptor.FILE + " (d = " + d + ", k = " + k + ")");
        }
    }

    private MultiLayerNetwork[] nets() {
        ThreadLocal<MultiLayerNetwork[]> t = networks;
        if (t == null) {
            synchronized (this) {
                if (networks == null) {
                    networks = ThreadLocal.withInitial(() -> new MultiLayerNetwork[]{
                            AutoencoderNetworks.restore(encoderZip, ENCODER), AutoencoderNetworks.restore(decoderZip, DECODER)});
                }
                t = networks;
            }
        }
        return t.get();
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    private int channels() {
        return ModelInput.channels(descriptor.type(), descriptor.shape());
    }

    @Override
    public Block encode(Block data) {
        int d = dataDimension(), k = latentDimension();
        if (data.dimension != d) {
            throw new IllegalArgumentException("data have " + data.dimension + " columns, the model was trained on " + d);
        }
        float[] out = new float[data.rows * k];
        double[] shift = descriptor.dataShift(), scale = descriptor.dataScale();
        double[] mean = descriptor.latentMean(), std = descriptor.latentStd();
        MultiLayerNetwork encoder = nets()[0];
        for (int r0 = 0; r0 < data.rows; r0 += CHUNK) {
            int n = Math.min(CHUNK, data.rows - r0);
            float[] in = ModelInput.rows(data.x, r0, n, d, shift, scale, channels());
            float[] z = floats(encoder.output(Nd4j.create(in, new long[]{n, d}, 'c')));
            for (int i = 0; i < n * k; i++) {
                int j = i % k;
                out[r0 * k + i] = (float) ((z[i] - mean[j]) / std[j]);
            }
        }
        return new Block(data.rows, k, out, data.labels, data.ids);
    }

    /** A network output's values in row-major order. */
    static float[] floats(INDArray a) {
        return a.dup('c').data().asFloat(); // a fresh row-major copy: its buffer holds exactly the values
    }

    /** Codes before standardisation (what latent_mean and latent_std are computed from). */
    static Block rawCodes(MultiLayerNetwork encoder, Block scaled) {
        int d = scaled.dimension;
        long k = encoder.layerSize(encoder.getnLayers() - 1);
        float[] out = new float[(int) (scaled.rows * k)];
        for (int r0 = 0; r0 < scaled.rows; r0 += CHUNK) {
            int n = Math.min(CHUNK, scaled.rows - r0);
            float[] in = java.util.Arrays.copyOfRange(scaled.x, r0 * d, (r0 + n) * d);
            float[] z = floats(encoder.output(Nd4j.create(in, new long[]{n, d}, 'c')));
            System.arraycopy(z, 0, out, (int) (r0 * k), z.length);
        }
        return new Block(scaled.rows, (int) k, out, null, null);
    }

    @Override
    public Block decode(Block latent) {
        int d = dataDimension(), k = latentDimension();
        if (latent.dimension != k) {
            throw new IllegalArgumentException("latent points have " + latent.dimension + " coordinates, the model's latent dimension is " + k);
        }
        float[] out = new float[latent.rows * d];
        double[] shift = descriptor.dataShift(), scale = descriptor.dataScale();
        double[] mean = descriptor.latentMean(), std = descriptor.latentStd();
        MultiLayerNetwork decoder = nets()[1];
        for (int r0 = 0; r0 < latent.rows; r0 += CHUNK) {
            int n = Math.min(CHUNK, latent.rows - r0);
            float[] z = new float[n * k];
            for (int i = 0; i < n * k; i++) {
                int j = i % k;
                z[i] = (float) (latent.x[r0 * k + i] * std[j] + mean[j]);
            }
            float[] x = floats(decoder.output(Nd4j.create(z, new long[]{n, k}, 'c')));
            if (channels() > 1) {
                x = ModelInput.fromChannelMajor(x, n, d, channels());
            }
            for (int i = 0; i < n * d; i++) {
                int j = i % d;
                out[r0 * d + i] = (float) (x[i] * scale[j] + shift[j]);
            }
        }
        return new Block(latent.rows, d, out, latent.labels, latent.ids);
    }

    /** Writes encoder.zip, decoder.zip and latent.json into a local directory. */
    public void save(Path dir) throws IOException {
        Files.write(dir.resolve(ENCODER), encoderZip);
        Files.write(dir.resolve(DECODER), decoderZip);
        Files.writeString(dir.resolve(ModelDescriptor.FILE), descriptor.toJson(), StandardCharsets.UTF_8);
    }

    /**
     * The autoencoder of a model directory (a local path or any Hadoop URI) whose latent.json
     * has been read into {@code d}; a missing or foreign network file is a one-line error.
     */
    public static AutoencoderModel load(String dir, ModelDescriptor d) {
        return new AutoencoderModel(d, read(dir, ENCODER), read(dir, DECODER), dir);
    }

    private static byte[] read(String dir, String name) {
        String path = dir.endsWith("/") ? dir + name : dir + "/" + name;
        try (InputStream in = FileSystems.open(path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalArgumentException("model directory " + dir + ": cannot read " + name + " ("
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName()) + ")");
        }
    }
}
