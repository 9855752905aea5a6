package org.lipflow.latent;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.lipflow.util.ModelZips;
import org.nd4j.linalg.activations.Activation;
import org.lipflow.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The autoencoder's DL4J networks. One network x → x is trained (encoder layers, a linear code
 * layer of k units, decoder layers, a mean-squared-error output); the encoder (its layers up to
 * the code) and the decoder (the rest) are separate networks of the same layers, whose parameters
 * are the two halves of the trained network's flat parameter vector (DL4J stores a network's
 * parameters layer after layer).
 *
 * <p>Dense: d → hidden… (ReLU) → k (identity) → …hidden reversed (ReLU) → d. Conv, for an image
 * [h, w, c]: two 3x3 stride-2 convolutions (ReLU, 'same' padding: h → ⌈h/2⌉ → ⌈h/4⌉) → k
 * (identity) → dense to the last convolution's grid (ReLU) → two 3x3 stride-2 transposed
 * convolutions back to c channels (cropped to h × w when h or w is not a multiple of 4). The output
 * is a sigmoid or the identity as {@link DataScaling} decides. Conv networks take rows in
 * channel-major order (DL4J's [c, h, w]); {@link AutoencoderModel} reorders [h, w, c] rows.
 */
public final class AutoencoderNetworks {
    private final AutoencoderOptions options;
    private final int[] shape;
    private final boolean sigmoid;

    public AutoencoderNetworks(AutoencoderOptions options, int[] shape, boolean sigmoid) {
        this.options = options;
        this.shape = shape.clone();
        this.sigmoid = sigmoid;
    }

    private int d() {
        return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }

    private NeuralNetConfiguration.ListBuilder list() {
        return new NeuralNetConfiguration.Builder().seed(options.seed()).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER)
                .updater(new Adam(options.learningRate())).list();
    }

    private List<Layer> encoderLayers() {
        List<Layer> layers = new ArrayList<>();
        if (options.type().equals("conv")) {
            for (int ch : options.channels()) {
                layers.add(new ConvolutionLayer.Builder(3, 3).stride(2, 2).convolutionMode(ConvolutionMode.Same).nOut(ch)
                        .activation(Activation.RELU).build());
            }
        } else {
            for (int h : options.hidden()) {
                layers.add(new DenseLayer.Builder().nOut(h).activation(Activation.RELU).build());
            }
        }
        layers.add(new DenseLayer.Builder().nOut(options.latentDimension()).activation(Activation.IDENTITY).build());
        return layers;
    }

    /** Grid of the last convolution: ⌈h/4⌉ × ⌈w/4⌉. */
    private int gridH() {
        return (shape[0] + 3) / 4;
    }

    private int gridW() {
        return (shape[1] + 3) / 4;
    }

    private List<Layer> decoderLayers() {
        List<Layer> layers = new ArrayList<>();
        Activation out = sigmoid ? Activation.SIGMOID : Activation.IDENTITY;
        if (options.type().equals("conv")) {
            int c1 = options.channels().get(0), c2 = options.channels().get(1);
            layers.add(new DenseLayer.Builder().nOut((long) gridH() * gridW() * c2).activation(Activation.RELU).build());
            layers.add(new Deconvolution2D.Builder(3, 3).stride(2, 2).convolutionMode(ConvolutionMode.Same).nOut(c1)
                    .activation(Activation.RELU).build());
            layers.add(new Deconvolution2D.Builder(3, 3).stride(2, 2).convolutionMode(ConvolutionMode.Same).nOut(shape[2])
                    .activation(Activation.IDENTITY).build());
            int cropH = gridH() * 4 - shape[0], cropW = gridW() * 4 - shape[1];
            if (cropH > 0 || cropW > 0) {
                layers.add(new Cropping2D(0, cropH, 0, cropW));
            }
            LossLayer loss = new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(out).build();
            loss.setNOut(d()); // its output size (DL4J warns of a zero size otherwise; the layer has no parameters)
            layers.add(loss);
        } else {
            List<Integer> hidden = new ArrayList<>(options.hidden());
            java.util.Collections.reverse(hidden);
            for (int h : hidden) {
                layers.add(new DenseLayer.Builder().nOut(h).activation(Activation.RELU).build());
            }
            layers.add(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(d()).activation(out).build());
        }
        return layers;
    }

    private InputType dataInput() {
        return options.type().equals("conv") ? InputType.convolutionalFlat(shape[0], shape[1], shape[2]) : InputType.feedForward(d());
    }

    /** The network trained on x → x. */
    public MultiLayerConfiguration autoencoder() {
        NeuralNetConfiguration.ListBuilder b = list();
        List<Layer> enc = encoderLayers();
        int i = 0;
        for (Layer l : enc) {
            b.layer(i++, l);
        }
        for (Layer l : decoderLayers()) {
            b.layer(i++, l);
        }
        if (options.type().equals("conv")) {
            b.inputPreProcessor(enc.size() + 1, new FeedForwardToCnnPreProcessor(gridH(), gridW(), options.channels().get(1)));
        }
        return b.setInputType(dataInput()).build();
    }

    public MultiLayerConfiguration encoder() {
        NeuralNetConfiguration.ListBuilder b = list();
        int i = 0;
        for (Layer l : encoderLayers()) {
            b.layer(i++, l);
        }
        return b.setInputType(dataInput()).build();
    }

    public MultiLayerConfiguration decoder() {
        NeuralNetConfiguration.ListBuilder b = list();
        int i = 0;
        for (Layer l : decoderLayers()) {
            b.layer(i++, l);
        }
        if (options.type().equals("conv")) {
            b.inputPreProcessor(1, new FeedForwardToCnnPreProcessor(gridH(), gridW(), options.channels().get(1)));
        }
        return b.setInputType(InputType.feedForward(options.latentDimension())).build();
    }

    /** The number of the autoencoder's layers that form the encoder. */
    public int encoderLayerCount() {
        return encoderLayers().size();
    }

    /**
     * A new, initialised network of {@code conf}. Its weights are Xavier-normal, N(0, 2/(fan_in +
     * fan_out)) as DL4J's XAVIER, but drawn from lipflow's counter-based streams keyed by
     * (latent.seed, layer): DL4J's own seeded initialisation gave different weights in different
     * JVMs here (the same seed, two processes, losses 0.144 vs 0.149 after one epoch), so a retried
     * fit would not reproduce its model. Biases stay at DL4J's constant initial value.
     */
    public static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        long seed = conf.getConf(0).getSeed();
        for (int l = 0; l < net.getnLayers(); l++) {
            INDArray w = net.getLayer(l).paramTable().get("W");
            if (w == null) {
                continue;
            }
            long[] s = w.shape();
            // 2-D [in, out]; 4-D [a, b, kh, kw] (conv and deconv order a and b differently; the sum is symmetric)
            double fans = s.length == 2 ? s[0] + s[1] : (double) (s[0] + s[1]) * s[2] * s[3];
            double std = Math.sqrt(2.0 / fans);
            long stream = Rng.stream(seed, Rng.INIT, l);
            float[] v = new float[Math.toIntExact(w.length())];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (std * Rng.gaussian(stream, i));
            }
            w.assign(Nd4j.create(v, s, 'c')); // W is a view of the network's flat parameters: this sets them
        }
        return net;
    }

    /** Encoder and decoder holding the trained autoencoder's parameters. */
    public MultiLayerNetwork[] split(MultiLayerNetwork trained) {
        MultiLayerNetwork enc = init(encoder()), dec = init(decoder());
        float[] p = trained.params().toFloatVector();
        long ne = enc.numParams(), nd = dec.numParams();
        if (ne + nd != p.length) {
            throw new IllegalStateException("encoder (" + ne + ") and decoder (" + nd + ") parameters do not add up to the "
                    + "autoencoder's " + p.length);
        }
        enc.setParams(Nd4j.create(Arrays.copyOfRange(p, 0, (int) ne), new long[]{1, ne}, 'c'));
        dec.setParams(Nd4j.create(Arrays.copyOfRange(p, (int) ne, p.length), new long[]{1, nd}, 'c'));
        return new MultiLayerNetwork[]{enc, dec};
    }

    /** A network as a ModelSerializer zip, in memory (without updater state). */
    public static byte[] bytes(MultiLayerNetwork net) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ModelSerializer.writeModel(net, out, false);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The network of a ModelSerializer zip; a zip with entries DL4J would Java-deserialize is refused ({@link ModelZips}). */
    public static MultiLayerNetwork restore(byte[] zip, String origin) {
        ModelZips.check(zip, origin);
        try {
            return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(zip), false);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(origin + ": not a DL4J model file (" + String.valueOf(e.getMessage()).lines()
                    .findFirst().orElse("") + ")");
        }
    }
}
