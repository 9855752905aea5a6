package org.lipflow.flow;

import org.junit.jupiter.api.Test;
import org.lipflow.config.LipflowConfig;
import org.lipflow.discriminator.MlpLayout;
import org.lipflow.discriminator.SpectralNorm;
import org.lipflow.discriminator.SpectralNormTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The add/merge algebra the engines reduce with: parts merge to the whole, empty is neutral, the bound holds. */
class ParameterAverageTest {
    static final FlowOptions LOOSE = LipflowConfig.defaultFlowOptions().toBuilder().lipschitz(1e3).build(); // He-initialised weights lie well inside

    /** A state with distinct, seeded parameters, moments, step count and power vectors. */
    static DiscriminatorState state(FlowOptions o, long seed, long t) {
        DiscriminatorState s = DiscriminatorState.initial(new MlpLayout(2, new int[]{16, 16}, 1,
                org.lipflow.discriminator.Activation.RELU), o.toBuilder().seed(seed).build());
        for (int i = 0; i < s.m.length; i++) {
            s.m[i] = (float) (0.01 * ((i * 7 + seed) % 13 - 6));
            s.v[i] = (float) (0.001 * ((i * 3 + seed) % 11));
        }
        s.t = t;
        return s;
    }

    @Test
    void unequalShardsAverageByWeightAsComputedByHand() {
        DiscriminatorState a = state(LOOSE, 1, 5), b = state(LOOSE, 2, 9);
        DiscriminatorState avg = new ParameterAverage().add(a, 100).add(b, 300).result(LOOSE.constraint());
        for (int i = 0; i < a.params.length; i++) {
            assertEquals((a.params[i] + 3.0 * b.params[i]) / 4, avg.params[i], 1e-6, "param " + i);
            assertEquals((a.m[i] + 3.0 * b.m[i]) / 4, avg.m[i], 1e-7, "m " + i);
            assertEquals((a.v[i] + 3.0 * b.v[i]) / 4, avg.v[i], 1e-7, "v " + i);
        }
        assertEquals(9, avg.t, "Adam's step count is the furthest shard's");
    }

    @Test
    void mergingPartsEqualsAddingTheWhole() {
        DiscriminatorState a = state(LOOSE, 1, 5), b = state(LOOSE, 2, 5), c = state(LOOSE, 3, 5);
        DiscriminatorState whole = new ParameterAverage().add(a, 10).add(b, 1).add(c, 7).result(LOOSE.constraint());
        DiscriminatorState parts = new ParameterAverage().add(a, 10)
                .merge(new ParameterAverage().add(b, 1).add(c, 7)).result(LOOSE.constraint());
        DiscriminatorState reversed = new ParameterAverage().add(c, 7)
                .merge(new ParameterAverage().add(b, 1)).merge(new ParameterAverage().add(a, 10)).result(LOOSE.constraint());
        for (DiscriminatorState s : new DiscriminatorState[]{parts, reversed}) {
            for (int i = 0; i < whole.params.length; i++) {
                assertEquals(whole.params[i], s.params[i], 1e-6 * (1 + Math.abs(whole.params[i])), "param " + i);
                assertEquals(whole.m[i], s.m[i], 1e-7, "m " + i);
            }
        }
    }

    @Test
    void anEmptyAverageIsNeutralOnEitherSideAndZeroWeightsAddNothing() {
        DiscriminatorState a = state(LOOSE, 1, 5), b = state(LOOSE, 2, 5);
        DiscriminatorState plain = new ParameterAverage().add(a, 3).add(b, 4).result(LOOSE.constraint());
        DiscriminatorState left = new ParameterAverage().merge(new ParameterAverage().add(a, 3).add(b, 4)).result(LOOSE.constraint());
        DiscriminatorState right = new ParameterAverage().add(a, 3).add(b, 4).merge(new ParameterAverage()).result(LOOSE.constraint());
        DiscriminatorState zero = new ParameterAverage().add(a, 3).add(state(LOOSE, 9, 50), 0).add(b, 4).result(LOOSE.constraint());
        assertArrayEquals(plain.params, left.params);
        assertArrayEquals(plain.params, right.params);
        assertArrayEquals(plain.params, zero.params);
        assertEquals(5, zero.t, "a shard of weight 0 does not contribute its step count");
        assertThrows(IllegalStateException.class, () -> new ParameterAverage().result(LOOSE.constraint()));
    }

    /** Shards at the bound (L = 1, every layer projected onto the ball): their average stays inside it. */
    @Test
    void averagedThenProjectedWeightsSatisfyTheLipschitzBound() {
        FlowOptions tight = LipflowConfig.defaultFlowOptions();
        DiscriminatorState a = state(tight, 1, 1), b = state(tight, 2, 1), c = state(tight, 3, 1);
        MlpLayout layout = a.layout;
        DiscriminatorState avg = new ParameterAverage().add(a, 1).merge(new ParameterAverage().add(b, 2).add(c, 5)).result(tight.constraint());
        double bound = SpectralNorm.perLayerBound(layout, tight.divergence().lipschitz()), product = 1;
        for (int l = 0; l < layout.layers(); l++) {
            double sigma = SpectralNormTest.exactSpectralNorm(avg.params, layout.weightOffset(l), layout.in(l), layout.out(l));
            assertTrue(sigma <= bound * (1 + 1e-5), "layer " + l + ": " + sigma + " > " + bound);
            product *= sigma;
        }
        assertTrue(product <= tight.divergence().lipschitz() * (1 + 1e-4), "Lip <= " + product);
        // and the shards really were at the bound, so the check is not vacuous
        double sigmaA = SpectralNormTest.exactSpectralNorm(a.params, layout.weightOffset(0), layout.in(0), layout.out(0));
        assertEquals(bound, sigmaA, 1e-4 * bound);
    }
}
