package org.lipflow.ml;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The params {@link LatentEncoder} and {@link LatentEncoderModel} share: feature columns, the
 * output column, and one param per latent configuration key ({@link ConfigParams.Scope#LATENT}).
 */
final class LatentParamSet implements Serializable {
    private static final long serialVersionUID = 1L;

    final Param<String> featuresCol;
    final StringArrayParam featureCols;
    final Param<String> outputCol;
    final ConfigParams config;

    LatentParamSet(Params owner) {
        featuresCol = new Param<>(owner, "featuresCol", "the features: a Spark ML vector column; when absent, and featureCols is "
                + "empty, every numeric column");
        featureCols = new StringArrayParam(owner, "featureCols", "numeric feature columns; empty = featuresCol, or every numeric column");
        outputCol = new Param<>(owner, "outputCol", "transform: the column (a vector) of the latent codes");
        config = new ConfigParams(owner, ConfigParams.Scope.LATENT);
    }

    Param<?>[] all() {
        List<Param<?>> all = new ArrayList<>(List.of(featuresCol, featureCols, outputCol));
        all.addAll(config.all());
        return all.toArray(new Param<?>[0]);
    }

    Map<Param<?>, Object> defaults() {
        Map<Param<?>, Object> d = new LinkedHashMap<>();
        d.put(featuresCol, "features");
        d.put(featureCols, new String[0]);
        d.put(outputCol, "latent");
        List<Param<?>> cp = config.all();
        for (int i = 0; i < cp.size(); i++) {
            d.put(cp.get(i), config.entries().get(i).defaultValue());
        }
        return d;
    }

    static void install(LatentParamSet p, java.util.function.BiConsumer<Param<Object>, Object> setDefault) {
        for (Map.Entry<Param<?>, Object> e : p.defaults().entrySet()) {
            @SuppressWarnings("unchecked")
            Param<Object> param = (Param<Object>) e.getKey();
            setDefault.accept(param, e.getValue());
        }
    }
}
