package org.lipflow.latent;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.lipflow.flow.Block;
import org.lipflow.util.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * Fits an autoencoder in this JVM: Adam on minibatches of {@code latent.batch-size} rows, drawn
 * in a new order every epoch from (latent.seed, epoch), so a fit is deterministic. Each epoch's
 * loss is the mean squared reconstruction error over all training rows with the epoch's final
 * weights (the quantity the DL4J Spark trainer reports too, so the two compare).
 */
public final class AutoencoderTrainer {
    private AutoencoderTrainer() {
    }

    /**
     * @param data        training rows (labels are ignored)
     * @param columns     the data's column names
     * @param shape       latent.shape ([] = default)
     * @param fingerprint what latent.json records of the training data
     */
    public static AutoencoderModel fit(Block data, List<String> columns, int[] shape, AutoencoderOptions options,
                                       String fingerprint, EpochListener listener) {
        if (data.rows < 1) {
            throw new IllegalArgumentException("the training data have no rows");
        }
        if (!data.finite()) {
            throw new IllegalArgumentException("the training data hold a non-finite value");
        }
        AutoencoderFit fit = new AutoencoderFit(options, columns, shape, ColumnStats.of(data));
        int n = data.rows, d = fit.dimension();
        float[] scaled = fit.modelRows(data, 0, n);
        MultiLayerNetwork net = fit.newNetwork();
        List<Double> losses = new ArrayList<>();
        int[] order = new int[n];
        for (int e = 1; e <= options.epochs(); e++) {
            long t0 = System.nanoTime();
            shuffle(order, Rng.stream(options.seed(), Rng.DATASET, e));
            for (int b0 = 0; b0 < n; b0 += options.batchSize()) {
                int m = Math.min(options.batchSize(), n - b0);
                float[] batch = new float[m * d];
                for (int i = 0; i < m; i++) {
                    System.arraycopy(scaled, order[b0 + i] * d, batch, i * d, d);
                }
                INDArray f = Nd4j.create(batch, new long[]{m, d}, 'c');
                net.fit(new DataSet(f, f));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double loss = loss(net, scaled, n, d);
            if (!Double.isFinite(loss)) {
                throw new org.lipflow.flow.NonFiniteException("autoencoder training diverged: reconstruction loss " + loss
                        + " after epoch " + e + " (lower latent.learning-rate)");
            }
            losses.add(loss);
            listener.epoch(e, loss, seconds);
        }
        MultiLayerNetwork[] parts = fit.networks().split(net);
        Block codes = AutoencoderModel.rawCodes(parts[0], new Block(n, d, scaled, null, null));
        return fit.model(parts, ColumnStats.of(codes), losses, fingerprint);
    }

    /** Mean squared reconstruction error of scaled rows (DL4J's MSE score: mean over rows and columns). */
    static double loss(MultiLayerNetwork net, float[] scaled, int n, int d) {
        double sum = 0;
        for (int r0 = 0; r0 < n; r0 += AutoencoderModel.CHUNK) {
            int m = Math.min(AutoencoderModel.CHUNK, n - r0);
            INDArray f = Nd4j.create(java.util.Arrays.copyOfRange(scaled, r0 * d, (r0 + m) * d), new long[]{m, d}, 'c');
            sum += net.score(new DataSet(f, f)) * m;
        }
        return sum / n;
    }

    /** A permutation of 0..n-1 (Fisher-Yates) from a random stream. */
    static void shuffle(int[] order, long stream) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = Rng.index(stream, i, i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
