package org.lipflow.ml;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.lipflow.flow.Block;
import org.lipflow.latent.AutoencoderModel;
import org.lipflow.latent.LatentModel;
import org.lipflow.latent.LatentModels;
import org.lipflow.latent.ModelWriter;
import org.lipflow.latent.PcaModel;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A fitted {@link LatentEncoder}: {@code transform} appends each row's latent code (k values,
 * standardised) as {@code outputCol}; {@link #decode} maps a column of codes back to data space.
 * Encoding and decoding run on the executors with the model broadcast. Saved as metadata/ and
 * data/model, a lipflow latent model directory (latent.json and the model's files, the same a
 * {@code lipflow autoencoder} run writes and {@code run} with {@code latent.model} reads).
 */
public final class LatentEncoderModel extends Model<LatentEncoderModel> implements LipflowParams<LatentEncoderModel>, MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final LatentModel model;
    private final StageParams p;

    LatentEncoderModel(String uid, LatentModel model) {
        this.uid = uid;
        this.model = model;
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

    /** The fitted encoder/decoder (PCA or autoencoder). */
    public LatentModel latentModel() {
        return model;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return Frames.withVectorColumn(schema, getOrDefault(p.outputCol));
    }

    /** The frame with the latent code of each row's features appended as outputCol. */
    @Override
    public Dataset<Row> transform(Dataset<?> df) {
        StructType out = transformSchema(df.schema());
        Frames.Columns columns = Frames.columns(df, "LatentEncoderModel input", Frames.readOptions(this, "", df.schema()));
        if (columns.featureColumns() != null && columns.featureColumns().length != model.dataDimension()) {
            throw new IllegalArgumentException("the frame has " + columns.featureColumns().length + " feature columns, the model was "
                    + "fitted on " + model.dataDimension());
        }
        return map(df, columns, new Encode(model), out);
    }

    /** The frame with the decoded rows (data space) of the latent codes in {@code latentCol} appended as {@code outputCol}. */
    public Dataset<Row> decode(Dataset<?> df, String latentCol, String outputCol) {
        if (Arrays.asList(df.schema().fieldNames()).contains(outputCol)) {
            throw new IllegalArgumentException("decode: the frame already has a column '" + outputCol + "'");
        }
        Frames.Columns columns = Frames.columns(df, "LatentEncoderModel.decode input",
                new org.lipflow.io.ReadOptions("parquet", "", List.of(), latentCol, false));
        return map(df, columns, new Decode(model), df.schema().add(outputCol, SQLDataTypes.VectorType(), false));
    }

    private static Dataset<Row> map(Dataset<?> df, Frames.Columns columns, Frames.RowsMap f, StructType out) {
        SparkSession spark = df.sparkSession();
        Broadcast<Frames.RowsMap> b = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(f);
        JavaRDD<Row> rows = df.toDF().javaRDD().mapPartitions(new Frames.Transport(b, df.schema(), columns, false));
        return spark.createDataFrame(rows, out);
    }

    private record Encode(LatentModel model) implements Frames.RowsMap {
        @Override
        public int inputs() {
            return model.dataDimension();
        }

        @Override
        public Block apply(Block rows) {
            return model.encode(rows);
        }
    }

    private record Decode(LatentModel model) implements Frames.RowsMap {
        @Override
        public int inputs() {
            return model.latentDimension();
        }

        @Override
        public Block apply(Block rows) {
            return model.decode(rows);
        }
    }

    @Override
    public LatentEncoderModel copy(ParamMap extra) {
        LatentEncoderModel m = new LatentEncoderModel(uid, model);
        return copyValues(m, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new MLWriter() {
            @Override
            public void saveImpl(String path) {
                ModelFiles.saveMetadata(LatentEncoderModel.this, path, sc(), Map.of("latentType", model.descriptor().type()));
                try {
                    ModelWriter.write(path + "/data/model", false, List.of(), new PrintWriter(Writer.nullWriter()),
                            model.descriptor(), Map.of("stage", LatentEncoderModel.class.getName()), dir -> {
                                if (model instanceof PcaModel pca) {
                                    pca.save(dir);
                                } else {
                                    ((AutoencoderModel) model).save(dir);
                                }
                            });
                } catch (IOException e) {
                    throw new UncheckedIOException(path + "/data/model: " + e.getMessage(), e);
                }
            }
        };
    }

    public static MLReader<LatentEncoderModel> read() {
        return new MLReader<>() {
            @Override
            public LatentEncoderModel load(String path) {
                ModelFiles.Loaded loaded = ModelFiles.loadMetadata(path, sc(), LatentEncoderModel.class);
                LatentModel model;
                try {
                    model = LatentModels.load(path + "/data/model");
                } catch (IOException e) {
                    throw new IllegalArgumentException(path + "/data/model: " + e.getMessage());
                }
                LatentEncoderModel m = new LatentEncoderModel(loaded.metadata().uid(), model);
                ModelFiles.setParams(loaded, m);
                return m;
            }
        };
    }

    public static LatentEncoderModel load(String path) {
        return read().load(path);
    }
}
