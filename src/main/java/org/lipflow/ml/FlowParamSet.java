package org.lipflow.ml;

import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;
import scala.runtime.AbstractFunction1;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The params {@link ParticleFlow} and {@link ParticleFlowModel} share: the columns they read and
 * write, the trajectory stride, and one param per configuration key ({@link ConfigParams}).
 * Both classes hold one instance made with their uid and list its params as theirs.
 */
final class FlowParamSet implements Serializable {
    private static final long serialVersionUID = 1L;

    final Param<String> featuresCol;
    final StringArrayParam featureCols;
    final Param<String> labelCol;
    final Param<String> outputCol;
    final IntParam trajectoryStride;
    final ConfigParams config;

    FlowParamSet(Params uid) {
        featuresCol = new Param<>(uid, "featuresCol", "the features: a Spark ML vector column; when absent, and featureCols "
                + "is empty, every numeric column but the label", new Any<>());
        featureCols = new StringArrayParam(uid, "featureCols", "numeric feature columns; empty = featuresCol, or every "
                + "numeric column but the label when the frame has no featuresCol");
        labelCol = new Param<>(uid, "labelCol", "integer class labels in [0, 10000) of a conditional flow; \"\" = none",
                new Any<>());
        outputCol = new Param<>(uid, "outputCol", "transform: the column (a vector) of the transported rows", new NonEmpty("outputCol"));
        trajectoryStride = new IntParam(uid, "trajectoryStride", "keep every this many steps' discriminator in the model; "
                + "each kept field is replayed for Δt·stride (>= 1; 1 = every step)", new AtLeastOne("trajectoryStride"));
        config = new ConfigParams(uid);
    }

    /** Every param: the column params first, then the configuration's. */
    Param<?>[] all() {
        List<Param<?>> all = new ArrayList<>(List.of(featuresCol, featureCols, labelCol, outputCol, trajectoryStride));
        all.addAll(config.all());
        return all.toArray(new Param<?>[0]);
    }

    /** The default of every param. */
    Map<Param<?>, Object> defaults() {
        Map<Param<?>, Object> d = new LinkedHashMap<>();
        d.put(featuresCol, "features");
        d.put(featureCols, new String[0]);
        d.put(labelCol, "");
        d.put(outputCol, "transported");
        d.put(trajectoryStride, 1);
        List<Param<?>> cp = config.all();
        List<ConfigParams.Entry> entries = config.entries();
        for (int i = 0; i < cp.size(); i++) {
            d.put(cp.get(i), entries.get(i).defaultValue());
        }
        return d;
    }

    /** Installs the defaults on their owner (Spark's setDefault is protected: the owner passes it in). */
    static void install(FlowParamSet p, java.util.function.BiConsumer<Param<Object>, Object> setDefault) {
        for (Map.Entry<Param<?>, Object> e : p.defaults().entrySet()) {
            @SuppressWarnings("unchecked")
            Param<Object> param = (Param<Object>) e.getKey();
            setDefault.accept(param, e.getValue());
        }
    }

    /** A value for the param called {@code name} of {@code owner}, converted to its type (numbers, lists). */
    static Object valueFor(Params owner, String name, Object value) {
        return ConfigParams.coerce(owner.getParam(name), value);
    }

    private static final class Any<T> extends AbstractFunction1<T, Object> implements Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Object apply(T v) {
            return v != null;
        }
    }

    private static final class NonEmpty extends AbstractFunction1<String, Object> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String name;

        NonEmpty(String name) {
            this.name = name;
        }

        @Override
        public Object apply(String v) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("param " + name + " given invalid value '" + v + "': must not be empty");
            }
            return true;
        }
    }

    private static final class AtLeastOne extends AbstractFunction1<Object, Object> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String name;

        AtLeastOne(String name) {
            this.name = name;
        }

        @Override
        public Object apply(Object v) {
            if (!(v instanceof Integer i) || i < 1) {
                throw new IllegalArgumentException("param " + name + " given invalid value " + v + ": must be >= 1");
            }
            return true;
        }
    }
}
