package org.lipflow.flow;

import org.lipflow.discriminator.MlpLayout;
import org.lipflow.util.ChunkPool;

/**
 * D_f^L(P‖Q) between two fixed samples: train the Lipschitz discriminator for
 * {@code discriminator.steps} Adam steps (the particles do not move), then evaluate H at the final
 * θ on the full samples.
 */
public final class DivergenceEstimator {
    private DivergenceEstimator() {
    }

    /** The estimate and the trained discriminator. */
    public record Estimate(double divergence, DiscriminatorState discriminator) {
    }

    public static Estimate estimate(FlowOptions o, Block p, Block q, int threads) {
        if (p.dimension != q.dimension) {
            throw new IllegalArgumentException("dimension mismatch: P has " + p.dimension + " columns, Q has " + q.dimension);
        }
        MlpLayout layout = o.layout(p.dimension, 1);
        DiscriminatorState state = DiscriminatorState.initial(layout, o);
        try (ChunkPool pool = new ChunkPool(threads)) {
            FlowKernel kernel = new FlowKernel(o, layout, q, pool);
            kernel.train(state, p, 0, 0, 0);
            double h = kernel.evaluate(state.params, p);
            if (!Double.isFinite(h)) {
                throw new NonFiniteException("the divergence estimate is not finite (" + h + ")");
            }
            return new Estimate(h, state);
        }
    }
}
