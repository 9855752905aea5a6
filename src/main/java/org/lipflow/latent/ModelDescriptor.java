package org.lipflow.latent;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import org.lipflow.io.Json;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code latent.json}, the descriptor of a model directory: what a reader needs before it loads
 * any weights, and what a latent run checks its data against.
 *
 * @param formatVersion   {@link #FORMAT_VERSION}; a reader refuses any other
 * @param type            dense, conv or pca
 * @param columns         the data's feature columns, in order (d = their count)
 * @param shape           the data's shape: [d] for tables, [height, width, channels] for images
 * @param latentDimension k ≥ 1
 * @param dataShift       per column: the model sees (x − shift) / scale
 * @param dataScale       per column, &gt; 0
 * @param latentMean      per latent coordinate: codes are standardised as (z − mean) / std
 * @param latentStd       per latent coordinate, &gt; 0
 * @param losses          training loss per epoch (empty for PCA)
 * @param dataFingerprint SHA-256 (or generator spec) of the training data
 * @param trainingRows    rows the model was fitted on
 */
public record ModelDescriptor(int formatVersion, String type, List<String> columns, int[] shape, int latentDimension,
                              double[] dataShift, double[] dataScale, double[] latentMean, double[] latentStd,
                              List<Double> losses, String dataFingerprint, long trainingRows) implements Serializable {
    public static final int FORMAT_VERSION = 1;
    public static final String FILE = "latent.json";
    public static final List<String> TYPES = List.of("dense", "conv", "pca");

    public ModelDescriptor {
        columns = List.copyOf(columns);
        losses = List.copyOf(losses);
        if (formatVersion != FORMAT_VERSION) {
            throw new IllegalArgumentException(FILE + ": format version " + formatVersion + ", this lipflow reads version "
                    + FORMAT_VERSION);
        }
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException(FILE + ": type must be one of " + String.join(", ", TYPES) + ", got '" + type + "'");
        }
        int d = columns.size();
        long product = 1;
        for (int s : shape) {
            product *= s;
        }
        if (d < 1 || product != d) {
            throw new IllegalArgumentException(FILE + ": shape " + java.util.Arrays.toString(shape) + " does not hold the "
                    + d + " columns");
        }
        if (latentDimension < 1) {
            throw new IllegalArgumentException(FILE + ": latent dimension must be >= 1, got " + latentDimension);
        }
        requireLength("data_shift", dataShift, d, false);
        requireLength("data_scale", dataScale, d, true);
        requireLength("latent_mean", latentMean, latentDimension, false);
        requireLength("latent_std", latentStd, latentDimension, true);
        shape = shape.clone();
        dataShift = dataShift.clone();
        dataScale = dataScale.clone();
        latentMean = latentMean.clone();
        latentStd = latentStd.clone();
    }

    private static void requireLength(String name, double[] v, int n, boolean positive) {
        if (v.length != n) {
            throw new IllegalArgumentException(FILE + ": " + name + " has " + v.length + " values, expected " + n);
        }
        for (double x : v) {
            if (!Double.isFinite(x) || (positive && !(x > 0))) {
                throw new IllegalArgumentException(FILE + ": " + name + " must be finite" + (positive ? " and > 0" : "")
                        + ", got " + x);
            }
        }
    }

    /** The descriptor as JSON (keys in snake case, as in manifest.json). */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format_version", formatVersion);
        m.put("type", type);
        m.put("columns", columns);
        m.put("shape", java.util.Arrays.stream(shape).boxed().toList());
        m.put("latent_dimension", latentDimension);
        m.put("data_shift", list(dataShift));
        m.put("data_scale", list(dataScale));
        m.put("latent_mean", list(latentMean));
        m.put("latent_std", list(latentStd));
        m.put("losses", losses);
        m.put("data_fingerprint", dataFingerprint);
        m.put("training_rows", trainingRows);
        return Json.write(m) + "\n";
    }

    private static List<Double> list(double[] v) {
        return java.util.Arrays.stream(v).boxed().toList();
    }

    /** Parses latent.json; every problem is a one-line error that names {@code origin} and the field. */
    public static ModelDescriptor parse(String json, String origin) {
        try {
            Config c = ConfigFactory.parseString(json, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
            return new ModelDescriptor(c.getInt("format_version"), c.getString("type"), c.getStringList("columns"),
                    c.getIntList("shape").stream().mapToInt(Integer::intValue).toArray(), c.getInt("latent_dimension"),
                    doubles(c, "data_shift"), doubles(c, "data_scale"), doubles(c, "latent_mean"), doubles(c, "latent_std"),
                    c.getDoubleList("losses"), c.getString("data_fingerprint"), c.getLong("training_rows"));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(origin + ": not a lipflow model descriptor (" + e.getMessage().lines().findFirst()
                    .orElse("") + ")");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(origin + ": " + e.getMessage().replaceFirst("^" + FILE + ": ", ""));
        }
    }

    private static double[] doubles(Config c, String key) {
        return c.getDoubleList(key).stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelDescriptor d && formatVersion == d.formatVersion && type.equals(d.type)
                && columns.equals(d.columns) && Arrays.equals(shape, d.shape) && latentDimension == d.latentDimension
                && Arrays.equals(dataShift, d.dataShift) && Arrays.equals(dataScale, d.dataScale)
                && Arrays.equals(latentMean, d.latentMean) && Arrays.equals(latentStd, d.latentStd) && losses.equals(d.losses)
                && dataFingerprint.equals(d.dataFingerprint) && trainingRows == d.trainingRows;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, columns, Arrays.hashCode(shape), latentDimension, Arrays.hashCode(dataShift),
                Arrays.hashCode(latentMean), dataFingerprint, trainingRows);
    }
}
