package org.lipflow.flow;

import org.lipflow.discriminator.Activation;
import org.lipflow.discriminator.LayerNorm;
import org.lipflow.discriminator.MlpLayout;
import org.lipflow.divergence.Divergences;
import org.lipflow.divergence.FDivergence;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Every hyper-parameter of the flow and its discriminator, validated once. Configuration files,
 * command-line flags and the Spark ML params all convert into this record.
 *
 * @param seed               root of every random stream (init, source, minibatches)
 * @param steps              outer steps n ≥ 1
 * @param dt                 Δt &gt; 0, the particle step (reference lr_P); a particle moves ≤ L·Δt
 * @param integrator         euler or heun
 * @param f                  "kl" or "alpha"
 * @param alpha              α &gt; 1 of the α-divergence
 * @param formulation        "dv" or "lt" (KL only; α always uses the Legendre form)
 * @param lipschitz          L &gt; 0, the Lipschitz bound of the discriminator
 * @param hidden             hidden layer widths, e.g. [32, 32, 32]
 * @param activation         a 1-Lipschitz activation
 * @param norm               spectral (default) or frobenius (the reference's bound)
 * @param rescale            false: project onto the ball (default); true: the reference's rescaling
 * @param learningRate       Adam step of the discriminator (reference lr_phi)
 * @param discriminatorSteps k ≥ 1 Adam steps per outer step
 * @param batchSize          minibatch rows per discriminator step from P and from Q; 0 = full batch
 * @param resetOptimizer     reset Adam's moments every outer step (reference) instead of warm-starting
 * @param beta1              Adam β₁ in [0, 1)
 * @param beta2              Adam β₂ in [0, 1)
 * @param epsilon            Adam ε &gt; 0
 */
public record FlowOptions(long seed, int steps, double dt, Integrator integrator,
                          String f, double alpha, String formulation, double lipschitz,
                          int[] hidden, Activation activation, LayerNorm norm, boolean rescale,
                          double learningRate, int discriminatorSteps, int batchSize, boolean resetOptimizer,
                          double beta1, double beta2, double epsilon) implements Serializable {

    public FlowOptions {
        if (steps < 1) {
            throw new IllegalArgumentException("flow.steps must be >= 1, got " + steps);
        }
        positive("flow.dt", dt);
        positive("divergence.lipschitz", lipschitz);
        positive("discriminator.learning-rate", learningRate);
        positive("discriminator.epsilon", epsilon);
        if (discriminatorSteps < 1) {
            throw new IllegalArgumentException("discriminator.steps must be >= 1, got " + discriminatorSteps);
        }
        if (batchSize < 0) {
            throw new IllegalArgumentException("discriminator.batch-size must be >= 0 (0 = full batch), got " + batchSize);
        }
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("discriminator.beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("discriminator.beta2 must be in [0, 1), got " + beta2);
        }
        hidden = hidden.clone();
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("discriminator.hidden widths must be >= 1, got " + Arrays.toString(hidden));
            }
        }
        Divergences.of(f, alpha, formulation); // validates f, α and the formulation
    }

    /** The reference hyper-parameters of DESIGN.md for the 2-D examples. */
    public static FlowOptions defaults() {
        return new FlowOptions(0, 500, 0.5, Integrator.EULER, "kl", 2.0, "dv", 1.0,
                new int[]{32, 32, 32}, Activation.RELU, LayerNorm.SPECTRAL, false,
                1e-3, 3, 0, false, 0.9, 0.999, 1e-8);
    }

    private static void positive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be > 0 and finite, got " + v);
        }
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    public FDivergence divergence() {
        return Divergences.of(f, alpha, formulation);
    }

    public MlpLayout layout(int dimension, int outputs) {
        return new MlpLayout(dimension, hidden, outputs, activation);
    }

    public FlowOptions withSteps(int n) {
        return new FlowOptions(seed, n, dt, integrator, f, alpha, formulation, lipschitz, hidden, activation, norm,
                rescale, learningRate, discriminatorSteps, batchSize, resetOptimizer, beta1, beta2, epsilon);
    }

    public FlowOptions withSeed(long s) {
        return new FlowOptions(s, steps, dt, integrator, f, alpha, formulation, lipschitz, hidden, activation, norm,
                rescale, learningRate, discriminatorSteps, batchSize, resetOptimizer, beta1, beta2, epsilon);
    }

    public FlowOptions withLipschitz(double l) {
        return new FlowOptions(seed, steps, dt, integrator, f, alpha, formulation, l, hidden, activation, norm,
                rescale, learningRate, discriminatorSteps, batchSize, resetOptimizer, beta1, beta2, epsilon);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlowOptions other && toString().equals(other.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "FlowOptions[seed=" + seed + ", steps=" + steps + ", dt=" + dt + ", integrator=" + integrator
                + ", f=" + f + ", alpha=" + alpha + ", formulation=" + formulation + ", lipschitz=" + lipschitz
                + ", hidden=" + Arrays.toString(hidden) + ", activation=" + activation.configName() + ", norm=" + norm
                + ", rescale=" + rescale + ", learningRate=" + learningRate + ", discriminatorSteps=" + discriminatorSteps
                + ", batchSize=" + batchSize + ", resetOptimizer=" + resetOptimizer + ", beta1=" + beta1
                + ", beta2=" + beta2 + ", epsilon=" + epsilon + "]";
    }
}
