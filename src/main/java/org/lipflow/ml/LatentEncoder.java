package org.lipflow.ml;

import com.typesafe.config.Config;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;
import org.lipflow.config.LatentConfig;
import org.lipflow.engine.spark.SparkEngine;
import org.lipflow.flow.Block;
import org.lipflow.io.ReadOptions;
import org.lipflow.io.SparkInputs;
import org.lipflow.latent.AutoencoderOptions;
import org.lipflow.latent.AutoencoderTrainer;
import org.lipflow.latent.EpochListener;
import org.lipflow.latent.LatentModel;
import org.lipflow.latent.SparkPca;

import java.util.List;

/**
 * The latent stage as a Spark ML {@link Estimator}: {@code fit(df)} fits PCA (on Spark, from
 * per-partition moments) or a DL4J autoencoder (dense or conv, in this JVM on the gathered rows)
 * to the frame's features and returns a {@link LatentEncoderModel} whose {@code transform}
 * encodes rows into the standardised latent codes a latent flow runs on, and whose
 * {@code decode} maps codes back to data space. Params: featuresCol / featureCols (as
 * {@link ParticleFlow}), outputCol, and the latent keys of {@code lipflow-defaults.conf} in
 * camelCase ({@code latent.type} → {@code latentType}, {@code latent.dimension} →
 * {@code latentDimension}, ...), with that file's defaults and validation.
 */
public final class LatentEncoder extends Estimator<LatentEncoderModel> implements LipflowParams<LatentEncoder>, MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final StageParams p;

    public LatentEncoder() {
        this(Identifiable$.MODULE$.randomUID("latentEncoder"));
    }

    public LatentEncoder(String uid) {
        this.uid = uid;
        this.p = StageParams.latent(this);
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public StageParams stageParams() {
        return p;
    }

    @Override
    public Param<?>[] params() {
        return p.all();
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return schema.add(getOrDefault(p.outputCol), SQLDataTypes.VectorType(), false);
    }

    @Override
    public LatentEncoderModel fit(Dataset<?> df) {
        transformSchema(df.schema());
        Config c = toConfig();
        ConfigParams.Scope.LATENT.convert(c);
        ReadOptions read = Frames.readOptions(this, "", df.schema());
        SparkInputs.Input in = SparkInputs.of(df.toDF(), "LatentEncoder input", read);
        List<String> columns = List.of(in.columns());
        String fingerprint = "not computed: a Spark ML frame (LatentEncoder.fit)";
        LatentModel model;
        if (LatentConfig.type(c).equals("pca")) {
            int k = LatentConfig.dimension(c);
            if (k > columns.size()) {
                throw new IllegalArgumentException("param latentDimension (config key latent.dimension) given invalid value " + k
                        + ": must be <= the frame's " + columns.size() + " feature columns");
            }
            model = SparkPca.fit(in.blocks(), columns, k, fingerprint);
        } else {
            AutoencoderOptions o = LatentConfig.autoencoder(c);
            Block data = SparkEngine.concat(in.blocks().collect());
            int[] shape = o.shapeFor(data.dimension, LatentConfig.shape(c));
            model = AutoencoderTrainer.fit(new Block(data.rows, data.dimension, data.x, null, null), columns, shape, o, fingerprint,
                    EpochListener.NONE);
        }
        LatentEncoderModel m = new LatentEncoderModel(uid, model);
        copyValues(m, ParamMap.empty());
        m.setParent(this);
        return m;
    }

    @Override
    public LatentEncoder copy(ParamMap extra) {
        return (LatentEncoder) defaultCopy(extra);
    }

    @Override
    public MLWriter write() {
        return new ModelFiles.ParamsWriter(this);
    }

    public static MLReader<LatentEncoder> read() {
        return new ModelFiles.ParamsReader<>(LatentEncoder.class);
    }

    public static LatentEncoder load(String path) {
        return read().load(path);
    }
}
