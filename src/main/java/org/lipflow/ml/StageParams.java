package org.lipflow.ml;

import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;
import scala.runtime.AbstractFunction1;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The params of one lipflow stage, made with the stage's uid by its constructor: the columns it
 * reads and writes, for a flow stage the label column and the trajectory stride, and one param
 * per configuration key ({@link ConfigParams}). Making them installs their defaults on the stage,
 * so Spark ML saves the defaults with the stage as it does for its own stages. The estimator and
 * its model build the same set, so a fitted model takes the estimator's values by name.
 */
public final class StageParams implements Serializable {
    private static final long serialVersionUID = 1L;

    final Param<String> featuresCol;
    final StringArrayParam featureCols;
    final Param<String> outputCol;
    /** The flow's: null on a latent stage. */
    final Param<String> labelCol;
    /** The flow's: null on a latent stage. */
    final IntParam trajectoryStride;
    final ConfigParams config;
    private final List<Param<?>> all = new ArrayList<>();

    /** {@link ParticleFlow}'s and {@link ParticleFlowModel}'s params. */
    static StageParams flow(Params owner) {
        return new StageParams(owner, ConfigParams.Scope.FLOW);
    }

    /** {@link LatentEncoder}'s and {@link LatentEncoderModel}'s params. */
    static StageParams latent(Params owner) {
        return new StageParams(owner, ConfigParams.Scope.LATENT);
    }

    private StageParams(Params owner, ConfigParams.Scope scope) {
        boolean flow = scope == ConfigParams.Scope.FLOW;
        String numeric = flow ? "every numeric column but the label" : "every numeric column";
        featuresCol = add(owner, new Param<>(owner, "featuresCol", "the features: a Spark ML vector column; when absent, and "
                + "featureCols is empty, " + numeric, new Any<>()), "features");
        featureCols = add(owner, new StringArrayParam(owner, "featureCols", "numeric feature columns; empty = featuresCol, or "
                + numeric + (flow ? " when the frame has no featuresCol" : "")), new String[0]);
        labelCol = !flow ? null : add(owner, new Param<>(owner, "labelCol", "integer class labels in [0, 10000) of a conditional "
                + "flow; \"\" = none", new Any<>()), "");
        outputCol = add(owner, new Param<>(owner, "outputCol", "transform: the column (a vector) of the "
                + (flow ? "transported rows" : "latent codes"), new NonEmpty("outputCol")), flow ? "transported" : "latent");
        trajectoryStride = !flow ? null : add(owner, new IntParam(owner, "trajectoryStride", "keep every this many steps' "
                + "discriminator in the model; each kept field is replayed for Δt·stride (>= 1; 1 = every step)",
                new AtLeastOne("trajectoryStride")), (Object) 1);
        config = new ConfigParams(owner, scope);
        List<ConfigParams.Entry> entries = config.entries();
        List<Param<?>> cp = config.all();
        for (int i = 0; i < cp.size(); i++) {
            add(owner, cp.get(i), entries.get(i).defaultValue());
        }
    }

    /** Lists the param and installs its default on the owner. */
    @SuppressWarnings("unchecked")
    private <P extends Param<?>> P add(Params owner, P param, Object defaultValue) {
        all.add(param);
        owner.setDefault((Param<Object>) param, defaultValue);
        return param;
    }

    /** Every param: the column params first, then the configuration's (table order). */
    Param<?>[] all() {
        return all.toArray(new Param<?>[0]);
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
