package org.lipflow.latent.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lipflow.engine.spark.SparkTestSession;
import org.lipflow.flow.Block;
import org.lipflow.latent.AutoencoderModel;
import org.lipflow.latent.AutoencoderModelTest;
import org.lipflow.latent.AutoencoderOptions;
import org.lipflow.latent.AutoencoderTrainer;
import org.lipflow.latent.EpochListener;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DL4J Spark training (parameter averaging, local[2], 2 partitions) against the in-process fit. */
@Tag("spark")
class SparkAutoencoderTrainerTest {

    static List<Block> halves(Block b) {
        int h = b.rows / 2, d = b.dimension;
        return List.of(new Block(h, d, Arrays.copyOfRange(b.x, 0, h * d), null, null),
                new Block(b.rows - h, d, Arrays.copyOfRange(b.x, h * d, b.rows * d), null, null));
    }

    /**
     * n rows of d = 20 columns near a 4-D subspace: x = A z + 0.05 noise, z standard normal with
     * standard deviations 3, 2, 1, 0.5. A 2-D code cannot hold it all, so every fit levels off at
     * about the best rank-2 residual, which both trainers reach in a few epochs.
     */
    static Block subspace(int n, long seed) {
        int d = 20;
        double[] sd = {3, 2, 1, 0.5};
        float[] x = new float[n * d];
        long s = org.lipflow.util.Rng.stream(seed, 97);
        for (int r = 0; r < n; r++) {
            double[] z = new double[4];
            for (int i = 0; i < 4; i++) {
                z[i] = sd[i] * org.lipflow.util.Rng.gaussian(s, (long) r * 64 + i);
            }
            for (int j = 0; j < d; j++) {
                double v = 0.05 * org.lipflow.util.Rng.gaussian(s, (long) r * 64 + 8 + j);
                for (int i = 0; i < 4; i++) {
                    v += Math.cos(1.3 * j + 2.1 * i) * z[i];
                }
                x[r * d + j] = (float) v;
            }
        }
        return new Block(n, d, x, null, null);
    }

    /**
     * Measured (seeded Xavier init, 2 partitions, averaging every 2 minibatches): the Spark fit trails
     * in the first epochs (0.21 vs 0.13 after epoch 1, 13% above at epochs 18–20) and both reach the
     * same plateau by epoch 25, where Adam at 0.002 moves the loss ±30% from epoch to epoch. The
     * median of epochs 21–30 is robust to those spikes: 6.60e-4 on Spark, 6.20e-4 in process, 6.4%
     * apart; asserted within 10%, as the latent issue asks.
     */
    @Test
    void sparkTrainingOnTwoPartitionsEndsWithinTenPercentOfTheInProcessLoss() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSession.get("local[2]").sparkContext());
        Block data = subspace(2000, 21);
        List<String> columns = new ArrayList<>();
        for (int j = 1; j <= 20; j++) {
            columns.add("x" + j);
        }
        AutoencoderOptions o = new AutoencoderOptions("dense", 2, List.of(32, 16), List.of(8, 16), 30, 32, 0.002, 7);
        AutoencoderModel local = AutoencoderTrainer.fit(data, columns, new int[0], o, "test", EpochListener.NONE);
        JavaRDD<Block> blocks = sc.parallelize(halves(data), 2);
        SparkAutoencoderTrainer.Result r = SparkAutoencoderTrainer.fit(sc, blocks, columns, new int[0], o, 2, "test",
                EpochListener.NONE);
        List<Double> spark = r.model().descriptor().losses(), inProcess = local.descriptor().losses();
        double last = medianOfEpochs21To30(spark), reference = medianOfEpochs21To30(inProcess);
        assertEquals(30, spark.size());
        assertTrue(last < spark.get(0) / 5, "Spark training learns: " + spark);
        assertTrue(Math.abs(last - reference) <= 0.1 * reference, "Spark " + spark + " vs in-process " + inProcess);
        assertEquals(2000, r.model().descriptor().trainingRows());
        // the codes of the training data are standardised on Spark too
        Block z = r.model().encode(data);
        double mean = 0;
        for (int i = 0; i < z.rows; i++) {
            mean += z.x[2 * i];
        }
        assertEquals(0, mean / z.rows, 1e-3);
    }

    private static double medianOfEpochs21To30(List<Double> losses) {
        double[] plateau = losses.subList(20, 30).stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return (plateau[4] + plateau[5]) / 2;
    }
}
