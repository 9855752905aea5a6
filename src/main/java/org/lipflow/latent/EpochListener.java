package org.lipflow.latent;

/** Receives each epoch's mean reconstruction loss as training goes (progress lines, tests). */
@FunctionalInterface
public interface EpochListener {
    EpochListener NONE = (epoch, loss, seconds) -> {
    };

    /**
     * @param epoch   1-based
     * @param loss    mean squared reconstruction error over the training rows, in the model's
     *                (scaled) units, with the weights at the end of the epoch
     * @param seconds wall time of the epoch's training (without the loss evaluation)
     */
    void epoch(int epoch, double loss, double seconds);
}
