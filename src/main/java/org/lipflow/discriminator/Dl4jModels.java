package org.lipflow.discriminator;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.File;
import java.io.IOException;

/**
 * The discriminator as a DL4J {@link MultiLayerNetwork}: dense layers with the same activation and
 * an identity output layer of K units, weights W_l ([in, out]) and b_l copied from the flat θ.
 * This is the model format (ModelSerializer zip) and the reference the fast kernel is tested
 * against; training itself runs in {@link MlpKernel}, where per-call overhead is far lower.
 */
public final class Dl4jModels {
    private Dl4jModels() {
    }

    /**
     * Loads ND4J's native backend and DL4J's model classes on a low-priority daemon thread, so that
     * {@link #save} at the end of a run does not pay for them: in a 1-step run at M = 200 writing
     * discriminator.zip took 1.6 s of the 4.8 s, nearly all of it first use. A failure here is
     * ignored: {@link #save} meets it again and reports it. Off with -Dlipflow.dl4j-warm-up=false.
     */
    public static Thread warmUp(MlpLayout layout) {
        return org.lipflow.util.WarmUpThread.start("lipflow-dl4j-warm-up", "lipflow.dl4j-warm-up", () -> {
            try {
                MultiLayerNetwork net = toNetwork(layout, new float[layout.parameterCount()], DataType.FLOAT);
                ModelSerializer.writeModel(net, new java.io.ByteArrayOutputStream(), false);
            } catch (Throwable ignored) {
                // the real save reports it
            }
        });
    }

    /** A DL4J network with the layout's architecture holding θ. */
    public static MultiLayerNetwork toNetwork(MlpLayout layout, float[] params, DataType type) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(0).dataType(type)
                .weightInit(WeightInit.ZERO).list();
        int last = layout.layers() - 1;
        for (int l = 0; l < last; l++) {
            b.layer(new DenseLayer.Builder().nIn(layout.in(l)).nOut(layout.out(l)).activation(dl4j(layout.activation())).build());
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(layout.in(last)).nOut(layout.out(last))
                .activation(org.nd4j.linalg.activations.Activation.IDENTITY).build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        for (int l = 0; l <= last; l++) {
            float[] w = new float[layout.in(l) * layout.out(l)];
            System.arraycopy(params, layout.weightOffset(l), w, 0, w.length);
            float[] bias = new float[layout.out(l)];
            System.arraycopy(params, layout.biasOffset(l), bias, 0, bias.length);
            net.setParam(l + "_W", Nd4j.create(w, new long[]{layout.in(l), layout.out(l)}, 'c').castTo(type));
            net.setParam(l + "_b", Nd4j.create(bias, new long[]{1, layout.out(l)}, 'c').castTo(type));
        }
        return net;
    }

    /** θ in the flat layout, read back from a DL4J network of this architecture. */
    public static float[] toParams(MultiLayerNetwork net, MlpLayout layout) {
        if (net.getnLayers() != layout.layers()) {
            throw new IllegalArgumentException("model has " + net.getnLayers() + " layers, expected " + layout.layers());
        }
        float[] p = new float[layout.parameterCount()];
        for (int l = 0; l < layout.layers(); l++) {
            INDArray w = net.getParam(l + "_W");
            INDArray b = net.getParam(l + "_b");
            if (w.size(0) != layout.in(l) || w.size(1) != layout.out(l)) {
                throw new IllegalArgumentException("layer " + l + " has shape " + java.util.Arrays.toString(w.shape())
                        + ", expected [" + layout.in(l) + ", " + layout.out(l) + "]");
            }
            float[] wf = w.castTo(DataType.FLOAT).dup('c').data().asFloat();
            System.arraycopy(wf, 0, p, layout.weightOffset(l), wf.length);
            float[] bf = b.castTo(DataType.FLOAT).dup('c').data().asFloat();
            System.arraycopy(bf, 0, p, layout.biasOffset(l), bf.length);
        }
        return p;
    }

    /** The layout of a saved network (dense layers; activation from the first hidden layer). */
    public static MlpLayout layoutOf(MultiLayerNetwork net) {
        int layers = net.getnLayers();
        int[] hidden = new int[layers - 1];
        for (int l = 0; l < layers - 1; l++) {
            hidden[l] = (int) net.getParam(l + "_W").size(1);
        }
        int inputs = (int) net.getParam("0_W").size(0);
        int outputs = (int) net.getParam((layers - 1) + "_W").size(1);
        Activation act = Activation.RELU;
        if (layers > 1) {
            String name = ((DenseLayer) net.getLayer(0).conf().getLayer()).getActivationFn().toString().toLowerCase(java.util.Locale.ROOT);
            act = name.contains("leaky") ? Activation.LEAKY_RELU : name.contains("elu") && !name.contains("relu") ? Activation.ELU
                    : name.contains("tanh") ? Activation.TANH : Activation.RELU;
        }
        return new MlpLayout(inputs, hidden, outputs, act);
    }

    public static void save(MlpLayout layout, float[] params, File file) throws IOException {
        ModelSerializer.writeModel(toNetwork(layout, params, DataType.FLOAT), file, false);
    }

    /** The network of a ModelSerializer zip; a zip with entries DL4J would Java-deserialize is refused. */
    public static MultiLayerNetwork load(File file) throws IOException {
        if (!file.isFile()) {
            throw new IllegalArgumentException(file + ": model file not found");
        }
        org.lipflow.util.ModelZips.check(file.toPath()); // no entry DL4J would Java-deserialize
        return MultiLayerNetwork.load(file, false);
    }

    private static org.nd4j.linalg.activations.Activation dl4j(Activation a) {
        switch (a) {
            case RELU: return org.nd4j.linalg.activations.Activation.RELU;
            case LEAKY_RELU: return org.nd4j.linalg.activations.Activation.LEAKYRELU;
            case ELU: return org.nd4j.linalg.activations.Activation.ELU;
            default: return org.nd4j.linalg.activations.Activation.TANH;
        }
    }
}
