package org.lipflow.config;

import com.typesafe.config.Config;
import org.lipflow.latent.AutoencoderOptions;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The {@code latent.*} keys of a loaded configuration; every error names its key. */
public final class LatentConfig {
    private LatentConfig() {
    }

    /** latent.type, lower-cased and checked: dense, conv or pca. */
    public static String type(Config c) {
        String type = LipflowConfig.string(c, "latent.type").toLowerCase(Locale.ROOT);
        if (!List.of("dense", "conv", "pca").contains(type)) {
            throw new IllegalArgumentException("latent.type must be dense, conv or pca, got '" + type + "'");
        }
        return type;
    }

    /** latent.dimension, k ≥ 1 (its upper bound depends on the data: checked where they are read). */
    public static int dimension(Config c) {
        int k = LipflowConfig.integer(c, "latent.dimension");
        if (k < 1) {
            throw new IllegalArgumentException("latent.dimension must be >= 1, got " + k);
        }
        return k;
    }

    /** The autoencoder's options (latent.type dense or conv). */
    public static AutoencoderOptions autoencoder(Config c) {
        return new AutoencoderOptions(type(c), LipflowConfig.integer(c, "latent.dimension"),
                Arrays.stream(LipflowConfig.intList(c, "latent.hidden")).boxed().toList(),
                Arrays.stream(LipflowConfig.intList(c, "latent.channels")).boxed().toList(),
                LipflowConfig.integer(c, "latent.epochs"), LipflowConfig.integer(c, "latent.batch-size"),
                LipflowConfig.number(c, "latent.learning-rate"), c.getLong("latent.seed"));
    }

    /** latent.shape: [] (the model's default), [d] or [height, width, channels]. */
    public static int[] shape(Config c) {
        return LipflowConfig.intList(c, "latent.shape");
    }

    /** latent.averaging-frequency: minibatches each DL4J Spark worker fits between parameter averages. */
    public static int averagingFrequency(Config c) {
        int f = LipflowConfig.integer(c, "latent.averaging-frequency");
        if (f < 1) {
            throw new IllegalArgumentException("latent.averaging-frequency must be >= 1, got " + f);
        }
        return f;
    }

    /** latent.data: the autoencoder's data sets (their union is fitted); empty = the target. */
    public static List<String> data(Config c) {
        try {
            List<String> d = c.getStringList("latent.data");
            for (String p : d) {
                if (p.isBlank()) {
                    throw new IllegalArgumentException("latent.data must not hold an empty path, got " + d);
                }
            }
            return d;
        } catch (com.typesafe.config.ConfigException e) {
            throw new IllegalArgumentException("config key 'latent.data' must be a list of paths, got '"
                    + c.getValue("latent.data").unwrapped() + "'");
        }
    }

    /** Where the autoencoder command writes: latent.out, else latent.model. */
    public static String out(Config c) {
        String out = LipflowConfig.string(c, "latent.out");
        if (out.isBlank()) {
            out = LipflowConfig.string(c, "latent.model");
        }
        if (out.isBlank()) {
            throw new IllegalArgumentException("latent.out: set the model directory to write (--out, latent.out or latent.model)");
        }
        return out;
    }
}
