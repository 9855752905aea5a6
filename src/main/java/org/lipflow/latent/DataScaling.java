package org.lipflow.latent;

import java.util.Arrays;

/**
 * How an autoencoder sees its data, chosen from the training data's statistics:
 * <ul>
 * <li>every value already in [0, 1] (pixels scaled by target.scale): unchanged, and the decoder
 *     ends in a sigmoid, so reconstructions stay in the data's range;</li>
 * <li>an image shape [h, w, c] otherwise (raw 0..255 pixels): one min-max scaling of all pixels
 *     to [0, 1] (the same for every pixel, so the convolutions see one intensity scale), sigmoid
 *     output;</li>
 * <li>a table otherwise: each column standardised to mean 0 and standard deviation 1, identity
 *     output (a sigmoid could not reach values outside the training range, and would saturate on
 *     heavy tails).</li>
 * </ul>
 *
 * @param shift   per column: the model sees (x − shift) / scale
 * @param scale   per column, &gt; 0
 * @param sigmoid whether the decoder's output is a sigmoid (data in [0, 1]) or the identity
 */
public record DataScaling(double[] shift, double[] scale, boolean sigmoid) implements java.io.Serializable {

    public static DataScaling choose(ColumnStats s, int[] shape) {
        int d = s.dimension;
        double lo = Arrays.stream(s.min).min().orElse(0), hi = Arrays.stream(s.max).max().orElse(0);
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new IllegalArgumentException("the training data hold a non-finite value");
        }
        double[] shift = new double[d], scale = new double[d];
        if (lo >= 0 && hi <= 1) {
            Arrays.fill(scale, 1);
            return new DataScaling(shift, scale, true);
        }
        if (shape.length == 3) {
            Arrays.fill(shift, lo);
            Arrays.fill(scale, hi > lo ? hi - lo : 1);
            return new DataScaling(shift, scale, true);
        }
        for (int j = 0; j < d; j++) {
            shift[j] = s.mean(j);
            scale[j] = s.stdOrOne(j);
        }
        return new DataScaling(shift, scale, false);
    }
}
