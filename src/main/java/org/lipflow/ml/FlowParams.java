package org.lipflow.ml;

import org.apache.spark.ml.param.Param;

/** The params {@link ParticleFlow} and {@link ParticleFlowModel} add to {@link LipflowParams}: the label column and the trajectory stride. */
public interface FlowParams<S extends FlowParams<S>> extends LipflowParams<S> {

    default Param<String> labelCol() {
        return stageParams().labelCol;
    }

    default Param<Object> trajectoryStride() {
        return stageParams().trajectoryStride;
    }

    default S setLabelCol(String v) {
        return setParam("labelCol", v);
    }
}
