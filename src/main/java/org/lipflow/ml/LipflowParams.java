package org.lipflow.ml;

import com.typesafe.config.Config;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The params every lipflow stage shares, declared once as default methods over the stage's
 * {@link StageParams} (what Spark's shared-params traits such as HasFeaturesCol are in Scala):
 * the feature and output columns, any param by name, and the param of a configuration key.
 * {@code S} is the stage itself, so that the setters chain.
 */
public interface LipflowParams<S extends LipflowParams<S>> extends Params {

    /** The stage's params, made with its uid by its constructor. */
    StageParams stageParams();

    default Param<String> featuresCol() {
        return stageParams().featuresCol;
    }

    default Param<String[]> featureCols() {
        return stageParams().featureCols;
    }

    default Param<String> outputCol() {
        return stageParams().outputCol;
    }

    /** The param that stands for a configuration key ({@code "divergence.lipschitz"} → divergenceLipschitz). */
    default Param<?> configParam(String key) {
        return stageParams().config.byKey(key);
    }

    /** Sets any param by name; numbers and lists are converted to the param's type (Python ints, Java ints for doubles). */
    @SuppressWarnings("unchecked")
    default S setParam(String name, Object value) {
        Param<?> p = getParam(name);
        set((Param<Object>) p, ConfigParams.coerce(p, value));
        return (S) this;
    }

    /** Sets the param of a configuration key, e.g. {@code setConfig("flow.steps", 500)}. */
    default S setConfig(String key, Object value) {
        return setParam(configParam(key).name(), value);
    }

    default S setFeaturesCol(String v) {
        return setParam("featuresCol", v);
    }

    default S setFeatureCols(String... v) {
        return setParam("featureCols", v);
    }

    default S setOutputCol(String v) {
        return setParam("outputCol", v);
    }

    /** The configuration these params stand for (the stage's keys over lipflow-defaults.conf). */
    default Config toConfig() {
        return stageParams().config.config(this);
    }
}
