package org.lipflow.latent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.flow.Block;
import org.lipflow.util.Rng;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dense and conv autoencoders: fitting, the model directory round trip, and bad input. */
public class AutoencoderModelTest {
    @TempDir
    Path dir;

    /** n rows of d = 20 columns on a 2-D manifold: x_j = sin(a_j·z + b_j) + 0.01 noise, z uniform in [-1, 1]². */
    public static Block manifold(int n, long seed) {
        int d = 20;
        float[] x = new float[n * d];
        long s = Rng.stream(seed, 99);
        for (int r = 0; r < n; r++) {
            double z1 = 2 * Rng.uniform(s, 4L * r) - 1, z2 = 2 * Rng.uniform(s, 4L * r + 1) - 1;
            for (int j = 0; j < d; j++) {
                double a1 = Math.cos(j), a2 = Math.sin(1.7 * j), b = 0.3 * j;
                x[r * d + j] = (float) (3 * Math.sin(1.5 * (a1 * z1 + a2 * z2) + b) + 0.01 * Rng.gaussian(s, 1000L * n + (long) r * d + j));
            }
        }
        return new Block(n, d, x, null, null);
    }

    /** n 8x8 grayscale images in [0, 1]: a Gaussian blob (σ = 1.2 pixels) centred anywhere in [1.5, 5.5]². */
    public static Block blobs(int n, long seed) {
        float[] x = new float[n * 64];
        long s = Rng.stream(seed, 98);
        for (int r = 0; r < n; r++) {
            double cy = 1.5 + 4 * Rng.uniform(s, 2L * r), cx = 1.5 + 4 * Rng.uniform(s, 2L * r + 1);
            for (int i = 0; i < 8; i++) {
                for (int j = 0; j < 8; j++) {
                    x[r * 64 + i * 8 + j] = (float) Math.exp(-((i - cy) * (i - cy) + (j - cx) * (j - cx)) / (2 * 1.44));
                }
            }
        }
        return new Block(n, 64, x, null, null);
    }

    static List<String> columns(int d) {
        List<String> c = new ArrayList<>();
        for (int j = 1; j <= d; j++) {
            c.add("x" + j);
        }
        return c;
    }

    static AutoencoderOptions dense(int k, int epochs) {
        return new AutoencoderOptions("dense", k, List.of(32, 16), List.of(8, 16), epochs, 32, 0.005, 7);
    }

    static AutoencoderModel reload(Path dir) throws IOException {
        ModelDescriptor d = ModelDescriptor.parse(Files.readString(dir.resolve(ModelDescriptor.FILE)), dir.toString());
        return AutoencoderModel.load(dir.toString(), d);
    }

    @Test
    void aDenseModelSavedAndLoadedEncodesAndDecodesToTheSameFloats() throws IOException {
        Block data = manifold(300, 1);
        AutoencoderModel m = AutoencoderTrainer.fit(data, columns(20), new int[0], dense(2, 3), "test", EpochListener.NONE);
        m.save(dir);
        AutoencoderModel back = reload(dir);
        assertEquals(m.descriptor(), back.descriptor());
        Block z = m.encode(data);
        assertArrayEquals(z.x, back.encode(data).x);
        assertArrayEquals(m.decode(z).x, back.decode(z).x);
        assertEquals(2, z.dimension);
        assertEquals(20, m.decode(z).dimension);
    }

    @Test
    void theReconstructionLossFallsFiftyfoldOverThirtyEpochsAndCodesAreStandardised() {
        Block data = manifold(500, 2);
        AutoencoderModel m = AutoencoderTrainer.fit(data, columns(20), new int[0], dense(2, 30), "test", EpochListener.NONE);
        List<Double> losses = m.descriptor().losses();
        assertEquals(30, losses.size());
        assertTrue(losses.get(29) < losses.get(0) / 50, "first " + losses.get(0) + ", last " + losses.get(29));
        Block z = m.encode(data);
        ColumnStats s = ColumnStats.of(z);
        for (int j = 0; j < 2; j++) {
            assertEquals(0, s.mean(j), 1e-3);
            assertEquals(1, s.stdOrOne(j), 1e-3);
        }
        // decoding the codes gives the data back to a small part of the data's spread (std 2.1 per column)
        Block back = m.decode(z);
        double se = 0;
        for (int i = 0; i < data.x.length; i++) {
            se += (back.x[i] - data.x[i]) * (back.x[i] - data.x[i]);
        }
        assertTrue(Math.sqrt(se / data.x.length) < 0.5, "rms reconstruction error " + Math.sqrt(se / data.x.length));
    }

    /**
     * The initial weights are a pure function of latent.seed (Xavier-normal from the counter-based
     * streams), not of DL4J's generator, whose seeded draws differed between JVMs: a retried fit
     * in a new process reproduces its model.
     */
    @Test
    void initialWeightsAreTheSeededStreamsXavierDraws() {
        AutoencoderOptions o = dense(3, 2);
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork net =
                AutoencoderNetworks.init(new AutoencoderNetworks(o, new int[]{20}, false).autoencoder());
        for (int l = 0; l < 2; l++) {
            org.nd4j.linalg.api.ndarray.INDArray w = net.getLayer(l).paramTable().get("W");
            long rows = w.shape()[0], cols = w.shape()[1];
            double std = Math.sqrt(2.0 / (rows + cols));
            long stream = org.lipflow.util.Rng.stream(o.seed(), org.lipflow.util.Rng.INIT, l);
            for (int i : new int[]{0, 1, 7, (int) (rows * cols - 1)}) {
                assertEquals((float) (std * org.lipflow.util.Rng.gaussian(stream, i)), w.getFloat(i / cols, i % cols),
                        "layer " + l + " weight " + i);
            }
        }
        assertEquals(net.getLayer(0).paramTable().get("W").getFloat(0, 0), net.params().getFloat(0),
                "the network's flat parameters hold the drawn weights");
    }

    @Test
    void theSameSeedFitsTheSameModel() {
        Block data = manifold(200, 3);
        AutoencoderModel a = AutoencoderTrainer.fit(data, columns(20), new int[0], dense(3, 2), "test", EpochListener.NONE);
        AutoencoderModel b = AutoencoderTrainer.fit(data, columns(20), new int[0], dense(3, 2), "test", EpochListener.NONE);
        assertEquals(a.descriptor().losses(), b.descriptor().losses());
        assertArrayEquals(a.encode(data).x, b.encode(data).x);
    }

    @Test
    void aConvModelOfEightByEightImagesLosesNinetyPercentOfItsLossAndRoundTrips() throws IOException {
        Block data = blobs(400, 4);
        AutoencoderOptions o = new AutoencoderOptions("conv", 4, List.of(), List.of(8, 16), 15, 32, 0.005, 5);
        AutoencoderModel m = AutoencoderTrainer.fit(data, columns(64), new int[0], o, "test", EpochListener.NONE);
        assertArrayEquals(new int[]{8, 8, 1}, m.descriptor().shape());
        List<Double> losses = m.descriptor().losses();
        assertTrue(losses.get(14) < losses.get(0) / 10, "first " + losses.get(0) + ", last " + losses.get(14));
        m.save(dir);
        AutoencoderModel back = reload(dir);
        Block z = m.encode(data);
        assertArrayEquals(z.x, back.encode(data).x);
        assertArrayEquals(m.decode(z).x, back.decode(z).x);
    }

    @Test
    void aConvModelOfOddSizedColourImagesKeepsTheirShape() {
        int h = 7, w = 5, c = 3, d = h * w * c;
        Block data = manifold(40 * d / 20, 5);
        data = new Block(data.rows * 20 / d, d, java.util.Arrays.copyOf(data.x, data.rows * 20 / d * d), null, null);
        AutoencoderOptions o = new AutoencoderOptions("conv", 3, List.of(), List.of(4, 4), 1, 16, 0.01, 5);
        AutoencoderModel m = AutoencoderTrainer.fit(data, columns(d), new int[]{h, w, c}, o, "test", EpochListener.NONE);
        Block back = m.decode(m.encode(data));
        assertEquals(d, back.dimension);
        assertEquals(data.rows, back.rows);
    }

    @Test
    void labelsAndIdsPassThrough() {
        Block data = manifold(50, 6);
        Block labelled = new Block(50, 20, data.x, new int[50], new long[50]);
        AutoencoderModel m = AutoencoderTrainer.fit(data, columns(20), new int[0], dense(2, 1), "test", EpochListener.NONE);
        Block z = m.encode(labelled);
        assertSame(labelled.labels, z.labels);
        assertSame(labelled.ids, m.decode(z).ids);
    }

    @Test
    void aLatentDimensionOutsideOneToDIsAOneLineError() {
        Block data = manifold(20, 7);
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> dense(0, 1));
        assertEquals("latent.dimension must be >= 1, got 0", zero.getMessage());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> AutoencoderTrainer.fit(data, columns(20), new int[0], dense(21, 1), "test", EpochListener.NONE));
        assertEquals("latent.dimension must be <= the data's 20 columns, got 21", big.getMessage());
    }

    @Test
    void convNeedsAnImageShape() {
        Block data = manifold(20, 8);
        AutoencoderOptions o = new AutoencoderOptions("conv", 2, List.of(), List.of(4, 4), 1, 16, 0.01, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AutoencoderTrainer.fit(data, columns(20), new int[0], o, "test", EpochListener.NONE));
        assertEquals("latent.type = conv: the data's 20 columns are not a square image; set latent.shape = [height, width, channels]",
                e.getMessage());
    }

    @Test
    void aModelDirectoryOfAnotherFormatVersionOrWithoutItsNetworksIsRefused() throws IOException {
        Block data = manifold(50, 9);
        AutoencoderTrainer.fit(data, columns(20), new int[0], dense(2, 1), "test", EpochListener.NONE).save(dir);
        Path json = dir.resolve(ModelDescriptor.FILE);
        String good = Files.readString(json);
        Files.writeString(json, good.replace("\"format_version\":1", "\"format_version\":2"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> reload(dir));
        assertEquals(dir + ": format version 2, this lipflow reads version 1", e.getMessage());
        Files.writeString(json, good);
        Files.delete(dir.resolve(AutoencoderModel.DECODER));
        e = assertThrows(IllegalArgumentException.class, () -> reload(dir));
        assertEquals(dir.resolve(AutoencoderModel.DECODER) + ": file not found", e.getMessage());
    }

    @Test
    void aDescriptorWhoseSizesDoNotMatchTheNetworksIsRefused() throws IOException {
        Block data = manifold(50, 10);
        AutoencoderTrainer.fit(data, columns(20), new int[0], dense(2, 1), "test", EpochListener.NONE).save(dir);
        ModelDescriptor d = ModelDescriptor.parse(Files.readString(dir.resolve(ModelDescriptor.FILE)), "x");
        ModelDescriptor wrong = new ModelDescriptor(1, "dense", columns(20), new int[]{20}, 3, d.dataShift(), d.dataScale(),
                new double[3], new double[]{1, 1, 1}, d.losses(), d.dataFingerprint(), d.trainingRows());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AutoencoderModel.load(dir.toString(), wrong));
        assertTrue(e.getMessage().startsWith(dir + ": encoder/decoder sizes (20 -> 2, 2 -> 20) do not match latent.json (d = 20, k = 3)"),
                e.getMessage());
    }

    @Test
    void theModelSurvivesJavaSerialization() throws Exception {
        Block data = manifold(60, 11);
        AutoencoderModel m = AutoencoderTrainer.fit(data, columns(20), new int[0], dense(2, 1), "test", EpochListener.NONE);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(m);
        }
        AutoencoderModel copy;
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (AutoencoderModel) in.readObject();
        }
        assertArrayEquals(m.encode(data).x, copy.encode(data).x);
    }

    @Test
    void fourThreadsEncodingAndDecodingAtOnceGetTheSingleThreadedFloats() throws Exception {
        Block data = manifold(500, 12);
        AutoencoderModel m = AutoencoderTrainer.fit(data, columns(20), new int[0], dense(2, 1), "test", EpochListener.NONE);
        Block z = m.encode(data);
        float[] x = m.decode(z).x;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<float[][]>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    float[][] r = new float[2][];
                    for (int i = 0; i < 20; i++) {
                        r[0] = m.encode(data).x;
                        r[1] = m.decode(z).x;
                    }
                    return r;
                }));
            }
            for (java.util.concurrent.Future<float[][]> f : results) {
                assertArrayEquals(z.x, f.get()[0]);
                assertArrayEquals(x, f.get()[1]);
            }
        } finally {
            pool.shutdown();
        }
    }
}
