package org.lipflow.latent.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.lipflow.flow.Block;
import org.lipflow.latent.AutoencoderFit;
import org.lipflow.latent.AutoencoderModel;
import org.lipflow.latent.AutoencoderNetworks;
import org.lipflow.latent.AutoencoderOptions;
import org.lipflow.latent.ColumnStats;
import org.lipflow.latent.EpochListener;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Fits the in-process trainer's autoencoder with DL4J Spark: {@link SparkDl4jMultiLayer} with a
 * {@link ParameterAveragingTrainingMaster} over an RDD of minibatch {@link DataSet}s built on the
 * executors from the input's blocks (x → x, scaled as the model sees them). Each of the W workers
 * (Spark's default parallelism) fits minibatches of latent.batch-size / W rows (so an epoch has
 * as many Adam steps as in process), and
 * {@code averagingFrequency} minibatches each between parameter averages, Adam state included
 * (saveUpdater, whose builder default is off despite its documentation). Each epoch is one
 * {@code fit}; its loss is the mean squared reconstruction error over all rows with the averaged
 * weights, the quantity the in-process trainer reports. (DL4J's own {@code calculateScore}
 * broadcasts the network's parameter array itself; INDArrays are AutoCloseable, and a local
 * master's block manager closes a removed broadcast value, which is then the driver network's
 * live parameters: the next epoch fails with "Op.Z argument was closed". Model bytes are
 * broadcast instead.)
 *
 * <p>The DataSet RDD is cached serialized (its arrays are off-heap, which Spark's deserialized
 * cache does not count); training data go to the workers directly (RDDTrainingApproach.Direct):
 * the default Export approach writes to a temporary directory that local-cluster masters and
 * remote workers cannot share.
 */
public final class SparkAutoencoderTrainer {
    private SparkAutoencoderTrainer() {
    }

    /** The model and the first rows of the data (for the reconstruction grid). */
    public record Result(AutoencoderModel model, Block sample, int workers) {
    }

    /**
     * @param blocks             the training rows (labels ignored), partitioned as they should be trained
     * @param columns            the data's column names
     * @param shape              latent.shape ([] = default)
     * @param averagingFrequency minibatches per worker between parameter averages
     */
    public static Result fit(JavaSparkContext sc, JavaRDD<Block> blocks, List<String> columns, int[] shape,
                             AutoencoderOptions options, int averagingFrequency, String fingerprint, EpochListener listener) {
        int d = columns.size();
        JavaRDD<Block> rows = blocks.persist(StorageLevel.MEMORY_AND_DISK());
        JavaRDD<DataSet> data = null;
        ParameterAveragingTrainingMaster tm = null;
        try {
            ColumnStats stats = rows.aggregate(new ColumnStats(d), ColumnStats::add, ColumnStats::merge);
            if (stats.rows > 0 && !finite(stats)) {
                throw new IllegalArgumentException("the training data hold a non-finite value");
            }
            AutoencoderFit fit = new AutoencoderFit(options, columns, shape, stats);
            // latent.batch-size is the global minibatch: each of the W workers fits batch/W rows per
            // Adam step, so an epoch takes as many steps as in process (with W times fewer rows each
            // worker would take W times fewer steps, and the averaged model would trail by epochs)
            int workers = Math.max(1, sc.defaultParallelism());
            int batch = Math.max(1, (options.batchSize() + workers - 1) / workers);
            data = rows.flatMap(b -> minibatches(fit, b, batch)).persist(StorageLevel.MEMORY_ONLY_SER());
            tm = new ParameterAveragingTrainingMaster.Builder(batch).batchSizePerWorker(batch)
                    .averagingFrequency(averagingFrequency).workerPrefetchNumBatches(0).saveUpdater(true)
                    .rddTrainingApproach(RDDTrainingApproach.Direct).storageLevel(StorageLevel.MEMORY_ONLY_SER())
                    .repartionData(Repartition.Never).rngSeed(options.seed()).build();
            SparkDl4jMultiLayer net = new SparkDl4jMultiLayer(sc, fit.newNetwork(), tm);
            List<Double> losses = new ArrayList<>();
            for (int e = 1; e <= options.epochs(); e++) {
                long t0 = System.nanoTime();
                sc.setJobDescription("lipflow autoencoder: epoch " + e + "/" + options.epochs());
                net.fit(data);
                double seconds = (System.nanoTime() - t0) / 1e9;
                double loss = loss(sc, data, net.getNetwork());
                if (!Double.isFinite(loss)) {
                    throw new org.lipflow.flow.NonFiniteException("autoencoder training diverged: reconstruction loss " + loss
                            + " after epoch " + e + " (lower latent.learning-rate)");
                }
                losses.add(loss);
                listener.epoch(e, loss, seconds);
            }
            sc.setJobDescription(null);
            MultiLayerNetwork[] parts = fit.networks().split(net.getNetwork());
            byte[] encoder = AutoencoderNetworks.bytes(parts[0]);
            ColumnStats codes = data.mapPartitions(it -> codeStats(encoder, it, options.latentDimension()))
                    .reduce(ColumnStats::merge);
            List<Block> first = rows.filter(b -> b.rows > 0).take(1);
            return new Result(fit.model(parts, codes, losses, fingerprint), first.isEmpty() ? null : first.get(0),
                    sc.defaultParallelism());
        } finally {
            if (tm != null) {
                tm.deleteTempFiles(sc);
            }
            if (data != null) {
                data.unpersist(false);
            }
            rows.unpersist(false);
        }
    }

    private static boolean finite(ColumnStats s) {
        for (int j = 0; j < s.dimension; j++) {
            if (!Double.isFinite(s.min[j]) || !Double.isFinite(s.max[j]) || !Double.isFinite(s.sumSquares[j])) {
                return false;
            }
        }
        return true;
    }

    /** A block's rows as x → x DataSets of up to {@code batch} rows, scaled as the network sees them. */
    static Iterator<DataSet> minibatches(AutoencoderFit fit, Block b, int batch) {
        List<DataSet> out = new ArrayList<>();
        int d = fit.dimension();
        for (int r0 = 0; r0 < b.rows; r0 += batch) {
            int m = Math.min(batch, b.rows - r0);
            org.nd4j.linalg.api.ndarray.INDArray f = Nd4j.create(fit.modelRows(b, r0, m), new long[]{m, d}, 'c');
            out.add(new DataSet(f, f));
        }
        return out.iterator();
    }

    /** Mean squared reconstruction error over all rows, computed on the executors from the network's bytes. */
    static double loss(JavaSparkContext sc, JavaRDD<DataSet> data, MultiLayerNetwork net) {
        org.apache.spark.broadcast.Broadcast<byte[]> model = sc.broadcast(AutoencoderNetworks.bytes(net));
        try {
            double[] sum = data.mapPartitions(it -> {
                MultiLayerNetwork copy = AutoencoderNetworks.restore(model.value(), "autoencoder");
                double[] s = new double[2];
                while (it.hasNext()) {
                    DataSet ds = it.next();
                    long rows = ds.getFeatures().size(0);
                    s[0] += copy.score(ds) * rows;
                    s[1] += rows;
                }
                return List.of(s).iterator();
            }).reduce((a, b) -> new double[]{a[0] + b[0], a[1] + b[1]});
            return sum[0] / sum[1];
        } finally {
            model.destroy();
        }
    }

    /** Statistics of the trained encoder's codes of one partition's (scaled) minibatches. */
    private static Iterator<ColumnStats> codeStats(byte[] encoderZip, Iterator<DataSet> it, int k) {
        MultiLayerNetwork encoder = AutoencoderNetworks.restore(encoderZip, AutoencoderModel.ENCODER);
        ColumnStats s = new ColumnStats(k);
        while (it.hasNext()) {
            org.nd4j.linalg.api.ndarray.INDArray f = it.next().getFeatures();
            float[] z = encoder.output(f).dup('c').data().asFloat();
            s.add(new Block((int) f.size(0), k, z, null, null));
        }
        return List.of(s).iterator();
    }
}
