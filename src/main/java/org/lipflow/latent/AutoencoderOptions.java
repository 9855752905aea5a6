package org.lipflow.latent;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * The hyper-parameters of an autoencoder fit ({@code latent.*} keys), checked on construction;
 * every error names its key, value and rule.
 *
 * @param type            dense (fully connected) or conv (two stride-2 3x3 convolutions; image shapes)
 * @param latentDimension k: 1 ≤ k ≤ d
 * @param hidden          dense: widths of the encoder's hidden layers (the decoder mirrors them)
 * @param channels        conv: channels of the encoder's convolutions (the decoder mirrors them)
 * @param epochs          passes over the training data, ≥ 1
 * @param batchSize       rows per Adam step, ≥ 1
 * @param learningRate    Adam step size, &gt; 0
 * @param seed            DL4J weight initialisation and the row order of every epoch
 */
public record AutoencoderOptions(String type, int latentDimension, List<Integer> hidden, List<Integer> channels, int epochs,
                                 int batchSize, double learningRate, long seed) implements Serializable {
    public static final List<String> TYPES = List.of("dense", "conv");

    public AutoencoderOptions {
        hidden = List.copyOf(hidden);
        channels = List.copyOf(channels);
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("latent.type must be dense or conv for an autoencoder, got '" + type + "'");
        }
        if (latentDimension < 1) {
            throw new IllegalArgumentException("latent.dimension must be >= 1, got " + latentDimension);
        }
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("latent.hidden must hold widths >= 1, got " + hidden);
            }
        }
        if (type.equals("conv") && (channels.size() != 2 || channels.stream().anyMatch(c -> c < 1))) {
            throw new IllegalArgumentException("latent.channels must be two channel counts >= 1 (one per stride-2 convolution), got "
                    + channels);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("latent.epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("latent.batch-size must be >= 1, got " + batchSize);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("latent.learning-rate must be > 0 and finite, got " + learningRate);
        }
    }

    /**
     * The data's shape for this model: {@code shape} when given, else [d] for dense and a square
     * one-channel image for conv; the latent dimension must not exceed d.
     */
    public int[] shapeFor(int d, int[] shape) {
        if (latentDimension > d) {
            throw new IllegalArgumentException("latent.dimension must be <= the data's " + d + " columns, got " + latentDimension);
        }
        if (shape.length > 0) {
            long product = 1;
            for (int s : shape) {
                if (s < 1) {
                    throw new IllegalArgumentException("latent.shape must hold sizes >= 1, got " + Arrays.toString(shape));
                }
                product *= s;
            }
            if (product != d || (shape.length != 1 && shape.length != 3)) {
                throw new IllegalArgumentException("latent.shape " + Arrays.toString(shape) + " must be [d] or [height, width, "
                        + "channels] with a product of the data's " + d + " columns");
            }
            if (type.equals("conv") && shape.length != 3) {
                throw new IllegalArgumentException("latent.type = conv needs an image shape [height, width, channels], got latent.shape "
                        + Arrays.toString(shape));
            }
            return shape.clone();
        }
        if (type.equals("dense")) {
            return new int[]{d};
        }
        int side = (int) Math.round(Math.sqrt(d));
        if (side * side != d) {
            throw new IllegalArgumentException("latent.type = conv: the data's " + d + " columns are not a square image; set "
                    + "latent.shape = [height, width, channels]");
        }
        return new int[]{side, side, 1};
    }
}
