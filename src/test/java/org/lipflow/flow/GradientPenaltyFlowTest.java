package org.lipflow.flow;

import org.junit.jupiter.api.Test;
import org.lipflow.config.LipflowConfig;
import org.lipflow.data.SyntheticData;
import org.lipflow.discriminator.GradientPenalty;
import org.lipflow.discriminator.LipschitzConstraint;
import org.lipflow.discriminator.MlpKernel;
import org.lipflow.discriminator.MlpLayout;
import org.lipflow.util.Rng;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code discriminator.constraint = gradient-penalty}: the soft bound in a trained discriminator and in a flow. */
class GradientPenaltyFlowTest {

    /** P = N((3, 0), I), Q = N(0, I) in 2-D: KL = 4.5 &gt; L·W1 = 3, so the bound binds at L = 1. */
    static DiscriminatorState trained(double weight, GradientPenalty.Side side, Block p, Block q) {
        FlowOptions o = DivergenceEstimatorTest.options("kl", 1.0, 600, 0.005).toBuilder()
                .constraint(LipschitzConstraint.Mode.GRADIENT_PENALTY).penalty(new GradientPenalty(weight, side)).build();
        return DivergenceEstimator.estimate(o, p, q, 2).discriminator();
    }

    static Block shifted(Block b, float dx) {
        float[] x = b.x.clone();
        for (int i = 0; i < b.rows; i++) {
            x[2 * i] += dx;
        }
        return new Block(b.rows, 2, x, null, null);
    }

    /** max over 4000 random pairs of particles of |φ(a) − φ(b)| / ‖a − b‖, and the mean ‖∇ₓφ‖ over the particles. */
    static double[] lipschitzEstimates(DiscriminatorState s, Block p) {
        MlpKernel k = new MlpKernel(s.layout);
        float[] phi = new float[p.rows];
        float[] grad = new float[p.rows * 2];
        k.inputGradient(s.params, p.x, null, 0, p.rows, grad, 0, phi);
        double ratio = 0;
        long stream = Rng.stream(5, 77);
        for (int n = 0; n < 4000; n++) {
            int i = Rng.index(stream, 2L * n, p.rows), j = Rng.index(stream, 2L * n + 1, p.rows);
            double dist = Math.hypot(p.x[2 * i] - p.x[2 * j], p.x[2 * i + 1] - p.x[2 * j + 1]);
            if (dist > 1e-3) {
                ratio = Math.max(ratio, Math.abs(phi[i] - phi[j]) / dist);
            }
        }
        double slope = 0;
        for (int i = 0; i < p.rows; i++) {
            slope += Math.hypot(grad[2 * i], grad[2 * i + 1]) / p.rows;
        }
        return new double[]{ratio, slope};
    }

    /**
     * Trained under the one-sided penalty (λ = 10) the discriminator's empirical Lipschitz constant
     * over pairs of particles, where the penalty acts, is within [0.75, 1.25]·L (measured 1.10; mean
     * slope 1.09), and the mean slope ≤ 1.2·L; with λ = 0.01 the same training leaves it far above L
     * (measured 45), so the bound comes from the penalty, not from the data.
     */
    @Test
    void trainedDiscriminatorHasEmpiricalLipschitzConstantNearTheBound() {
        Block q = SyntheticData.generate(new SyntheticData.Spec("gaussian", 1000, 2, 2, 0.0, 1, 1, false));
        Block p = shifted(SyntheticData.generate(new SyntheticData.Spec("gaussian", 1000, 1, 2, 0.0, 1, 1, false)), 3f);
        double[] penalised = lipschitzEstimates(trained(10, GradientPenalty.Side.ONE_SIDED, p, q), p);
        double[] loose = lipschitzEstimates(trained(0.01, GradientPenalty.Side.ONE_SIDED, p, q), p);
        assertEquals(1.0, penalised[0], 0.25, "empirical Lipschitz constant over particle pairs, λ = 10");
        assertTrue(penalised[1] <= 1.2, "mean slope at the particles " + penalised[1]);
        assertTrue(loose[0] > 1.5, "λ = 0.01 does not bound the slope: " + loose[0]);
    }

    static FlowExamplesTest.Run mixture(String side, String... more) {
        List<String> o = new ArrayList<>(List.of("discriminator.constraint=gradient-penalty",
                "discriminator.penalty=" + side, "flow.steps=1000"));
        o.addAll(List.of(more));
        return FlowExamplesTest.run("conf/examples/gaussian-mixture.conf", o.toArray(String[]::new));
    }

    static int[] modeCounts(Block p) {
        int[] counts = new int[5];
        for (int i = 0; i < p.rows; i++) {
            int k = FlowExamplesTest.nearestMode(p.x[2 * i], p.x[2 * i + 1]);
            counts[k]++;
            if (FlowExamplesTest.distanceToMode(p.x[2 * i], p.x[2 * i + 1], k) > 3 * 0.5) {
                counts[4]++; // farther than 3σ from every mode
            }
        }
        return counts;
    }

    /**
     * The mixture example with the one-sided penalty (λ = 10), 1000 steps: every mode holds
     * 25% ± 7% of the particles and fewer than 5% lie beyond 3σ of every mode, as
     * {@link FlowExamplesTest} asks of projection in 500 steps. Measured at the example's Adam step
     * 0.005: 50 / 50 / 50 / 50, 5 of 200 beyond 3σ (bound: at most 9); after 500 steps 49 / 50 / 51 / 50
     * and 6 (at the example's former 0.001 the 500-step run still had 11, 5.5%, in transit: where
     * ‖∇φ‖ &lt; L the penalty does not act and the last particles arrive more slowly).
     */
    @Test
    void gaussianMixtureKeepsEveryModeUnderTheOneSidedPenalty() {
        Block p = mixture("one-sided").result().particles().collect();
        int[] counts = modeCounts(p);
        for (int k = 0; k < 4; k++) {
            assertEquals(0.25, counts[k] / (double) p.rows, 0.07, "mode " + k + " weight");
        }
        assertTrue(counts[4] < 0.05 * p.rows, counts[4] + " particles farther than 3 sigma from every mode");
    }

    /**
     * The two-sided penalty asks ‖∇φ‖ = L at every particle, so the velocity cannot vanish at
     * equilibrium: the particles keep moving at about L (kinetic energy ≈ L²/2 ≫ the one-sided
     * run's) and the weights stay uneven; every mode still holds at least 10%. This is why
     * one-sided is the default for flows (README, gradient penalty). Measured at Adam step 0.001 (the
     * example's former step, pinned here): 63 / 55 / 41 / 41 per mode (bound: at least 20 each), kinetic
     * energy 0.49 over steps 901–1000 (bound: above 0.1). At the example's 0.005 two-sided is worse still:
     * two modes empty and all 200 particles beyond 3σ of every mode (kinetic energy 0.42), so this
     * description of its "uneven but every mode kept" behaviour holds at 0.001 only.
     */
    @Test
    void twoSidedPenaltyKeepsEveryModeButTheParticlesDoNotSettle() {
        FlowExamplesTest.Run run = mixture("two-sided", "discriminator.learning-rate=0.001");
        int[] counts = modeCounts(run.result().particles().collect());
        for (int k = 0; k < 4; k++) {
            assertTrue(counts[k] >= 0.10 * 200, "mode " + k + " holds " + counts[k] + " of 200");
        }
        double keLate = run.metrics().subList(900, 1000).stream().mapToDouble(StepMetrics::kineticEnergy).average().orElseThrow();
        assertTrue(keLate > 0.1, "two-sided kinetic energy stays near L^2/2: " + keLate);
    }

    /**
     * The engines' parameter average under the penalty is the plain weighted mean of the shards'
     * weights, with nothing projected afterwards: shards scaled 3× (far outside the ball of L = 1)
     * average to exactly (a + 3b)/4, where projection would shrink them.
     */
    @Test
    void parameterAverageIsThePlainWeightedMeanWithNothingProjected() {
        FlowOptions penalised = LipflowConfig.defaultFlowOptions().toBuilder()
                .constraint(LipschitzConstraint.Mode.GRADIENT_PENALTY).build();
        DiscriminatorState a = ParameterAverageTest.state(penalised, 1, 5), b = ParameterAverageTest.state(penalised, 2, 9);
        for (int i = 0; i < a.params.length; i++) {
            a.params[i] *= 3;
            b.params[i] *= 3;
        }
        DiscriminatorState avg = new ParameterAverage().add(a, 100).add(b, 300).result(penalised.constraint());
        for (int i = 0; i < a.params.length; i++) {
            assertEquals((a.params[i] + 3.0 * b.params[i]) / 4, avg.params[i], 1e-6, "param " + i);
        }
        DiscriminatorState projected = new ParameterAverage().add(a, 100).add(b, 300)
                .result(LipflowConfig.defaultFlowOptions().constraint());
        assertTrue(Math.abs(projected.params[0]) < Math.abs(avg.params[0]), "projection would have shrunk the average");
    }
}
