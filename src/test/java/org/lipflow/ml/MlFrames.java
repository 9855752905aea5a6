package org.lipflow.ml;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.lipflow.data.SyntheticData;
import org.lipflow.flow.Block;

import java.util.ArrayList;
import java.util.List;

/** Frames for the ML tests, and the core's check of the 4-mode mixture (FlowExamplesTest). */
final class MlFrames {
    private MlFrames() {
    }

    /** A block as a frame with one vector column "features". */
    static Dataset<Row> vectors(SparkSession spark, Block b) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < b.rows; i++) {
            double[] v = new double[b.dimension];
            for (int k = 0; k < v.length; k++) {
                v[k] = b.x[i * b.dimension + k];
            }
            rows.add(RowFactory.create(Vectors.dense(v)));
        }
        StructType schema = DataTypes.createStructType(List.of(DataTypes.createStructField("features", SQLDataTypes.VectorType(), false)));
        return spark.createDataFrame(rows, schema);
    }

    /** A labelled block as a frame: "features" (a vector) and "label" (an integer). */
    static Dataset<Row> labelled(SparkSession spark, Block b) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < b.rows; i++) {
            rows.add(RowFactory.create(Vectors.dense(b.x[2 * i], b.x[2 * i + 1]), b.labels[i]));
        }
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("features", SQLDataTypes.VectorType(), false),
                DataTypes.createStructField("label", DataTypes.IntegerType, false)));
        return spark.createDataFrame(rows, schema);
    }

    /** The vectors of a column, gathered as a block. */
    static Block block(Dataset<Row> df, String column) {
        return ParticleFlowModel.block(df, column);
    }

    /** [weight of mode 0..3, fraction farther than 3σ = 1.5 from its nearest mode]. */
    static double[] modeWeights(Block p) {
        double[] w = new double[5];
        for (int i = 0; i < p.rows; i++) {
            float x = p.x[2 * i], y = p.x[2 * i + 1];
            int best = 0;
            double bestD = Double.MAX_VALUE;
            for (int k = 0; k < 4; k++) {
                double d = Math.hypot(x - SyntheticData.MIXTURE4_MODES[k][0], y - SyntheticData.MIXTURE4_MODES[k][1]);
                if (d < bestD) {
                    bestD = d;
                    best = k;
                }
            }
            w[best] += 1.0 / p.rows;
            if (bestD > 3 * 0.5) {
                w[4] += 1.0 / p.rows;
            }
        }
        return w;
    }
}
