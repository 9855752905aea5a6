package org.lipflow.discriminator;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Shape of the fully connected discriminator and where each layer lives in the flat parameter
 * vector: for layer l, W_l (in × out, row-major: W[k*out + j]) then b_l. One flat vector lets the
 * optimizer, the averaging across executors and the checkpoints treat θ as a single float[].
 */
public final class MlpLayout implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int[] sizes;
    private final Activation activation;
    private final int[] weightOffset;
    private final int[] biasOffset;
    private final int parameterCount;

    /**
     * @param inputs  dimension d of the particles
     * @param hidden  widths of the hidden layers (may be empty: a linear φ)
     * @param outputs K, the number of classes for conditional generation (1 otherwise)
     */
    public MlpLayout(int inputs, int[] hidden, int outputs, Activation activation) {
        if (inputs < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + inputs);
        }
        if (outputs < 1) {
            throw new IllegalArgumentException("discriminator outputs must be >= 1, got " + outputs);
        }
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("discriminator.hidden sizes must be >= 1, got " + Arrays.toString(hidden));
            }
        }
        this.sizes = new int[hidden.length + 2];
        sizes[0] = inputs;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = outputs;
        this.activation = activation;
        int layers = layers();
        weightOffset = new int[layers];
        biasOffset = new int[layers];
        int off = 0;
        for (int l = 0; l < layers; l++) {
            weightOffset[l] = off;
            off += sizes[l] * sizes[l + 1];
            biasOffset[l] = off;
            off += sizes[l + 1];
        }
        parameterCount = off;
    }

    public int layers() {
        return sizes.length - 1;
    }

    /** The same layer sizes and activation: a kernel workspace of one serves the other. */
    public boolean sameShape(MlpLayout other) {
        return other == this || other != null && activation == other.activation && Arrays.equals(sizes, other.sizes);
    }

    public int in(int layer) {
        return sizes[layer];
    }

    public int out(int layer) {
        return sizes[layer + 1];
    }

    public int inputs() {
        return sizes[0];
    }

    public int outputs() {
        return sizes[sizes.length - 1];
    }

    public int maxWidth() {
        return Arrays.stream(sizes).max().getAsInt();
    }

    public int[] hidden() {
        return Arrays.copyOfRange(sizes, 1, sizes.length - 1);
    }

    public Activation activation() {
        return activation;
    }

    public int weightOffset(int layer) {
        return weightOffset[layer];
    }

    public int biasOffset(int layer) {
        return biasOffset[layer];
    }

    public int parameterCount() {
        return parameterCount;
    }

    @Override
    public String toString() {
        return "Mlp" + Arrays.toString(sizes) + " " + activation.configName();
    }
}
