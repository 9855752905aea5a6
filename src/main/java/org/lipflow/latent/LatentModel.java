package org.lipflow.latent;

import org.lipflow.flow.Block;

import java.io.Serializable;

/**
 * A fitted map between data space (d columns) and latent space (k coordinates) and back: an
 * autoencoder's encoder and decoder, or a PCA projection. Encoding applies the model's input
 * scaling and standardises the codes (so the flow's L and Δt need no tuning per model); decoding
 * undoes both and returns rows in the data's own units. Labels and ids pass through unchanged.
 * Serializable, so a Spark job can broadcast it and encode or decode blocks on the executors;
 * implementations are immutable after fitting and safe to use from several threads.
 */
public interface LatentModel extends Serializable {

    /** What describes the model on disk: type, columns, sizes, scalings, training history. */
    ModelDescriptor descriptor();

    default int dataDimension() {
        return descriptor().columns().size();
    }

    default int latentDimension() {
        return descriptor().latentDimension();
    }

    /** rows × d → rows × k. */
    Block encode(Block data);

    /** rows × k → rows × d. */
    Block decode(Block latent);
}
