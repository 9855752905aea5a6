package org.lipflow.latent;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.lipflow.flow.Block;

import java.io.Serializable;
import java.util.List;

/**
 * What both trainers (in process and DL4J Spark) share: the options, the data's shape and
 * scaling, the networks' architecture, and how a trained network becomes an
 * {@link AutoencoderModel} (split into encoder and decoder, codes standardised with the
 * training data's code mean and standard deviation).
 */
public final class AutoencoderFit implements Serializable {
    private static final long serialVersionUID = 1L;

    public final AutoencoderOptions options;
    public final List<String> columns;
    public final int[] shape;
    public final DataScaling scaling;

    /**
     * @param stats the training data's column statistics (they choose the {@link DataScaling})
     * @param shape latent.shape ([] = [d] for dense, a square image for conv)
     */
    public AutoencoderFit(AutoencoderOptions options, List<String> columns, int[] shape, ColumnStats stats) {
        if (stats.rows < 1) {
            throw new IllegalArgumentException("the training data have no rows");
        }
        this.options = options;
        this.columns = List.copyOf(columns);
        this.shape = options.shapeFor(columns.size(), shape);
        this.scaling = DataScaling.choose(stats, this.shape);
    }

    public int dimension() {
        return columns.size();
    }

    public AutoencoderNetworks networks() {
        return new AutoencoderNetworks(options, shape, scaling.sigmoid());
    }

    /** A new autoencoder network, initialised from latent.seed. */
    public MultiLayerNetwork newNetwork() {
        return AutoencoderNetworks.init(networks().autoencoder());
    }

    /** Channels a conv network reorders rows by (1: none). */
    public int channels() {
        return ModelInput.channels(options.type(), shape);
    }

    /** Rows {@code from .. from+n} of a data block as the network sees them. */
    public float[] modelRows(Block data, int from, int n) {
        return ModelInput.rows(data.x, from, n, dimension(), scaling.shift(), scaling.scale(), channels());
    }

    /**
     * The fitted model.
     *
     * @param codeStats statistics of the trained encoder's codes of the training data
     */
    public AutoencoderModel model(MultiLayerNetwork[] encoderDecoder, ColumnStats codeStats, List<Double> losses,
                                  String fingerprint) {
        int k = options.latentDimension();
        double[] mean = new double[k], std = new double[k];
        for (int j = 0; j < k; j++) {
            mean[j] = codeStats.mean(j);
            std[j] = codeStats.stdOrOne(j);
        }
        ModelDescriptor d = new ModelDescriptor(ModelDescriptor.FORMAT_VERSION, options.type(), columns, shape, k,
                scaling.shift(), scaling.scale(), mean, std, losses, fingerprint, codeStats.rows);
        return new AutoencoderModel(d, encoderDecoder[0], encoderDecoder[1]);
    }
}
