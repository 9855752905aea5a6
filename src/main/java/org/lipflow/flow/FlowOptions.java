package org.lipflow.flow;

import org.lipflow.discriminator.Activation;
import org.lipflow.discriminator.GradientPenalty;
import org.lipflow.discriminator.LayerNorm;
import org.lipflow.discriminator.LipschitzConstraint;
import org.lipflow.discriminator.MlpLayout;
import org.lipflow.divergence.Divergences;
import org.lipflow.divergence.FDivergence;
import org.lipflow.divergence.Family;
import org.lipflow.divergence.Formulation;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Every hyper-parameter of the flow and its discriminator, validated once, one small record per
 * configuration section. Configuration files, command-line flags and the Spark ML params all
 * convert into it; their defaults live in one place, {@code lipflow-defaults.conf} (see
 * {@code LipflowConfig.defaultFlowOptions()}). Validation messages name the configuration key.
 * Change a few values with {@link #toBuilder()}.
 *
 * @param seed          root of every random stream (init, minibatches, labels)
 * @param flow          the outer time stepping ({@code flow.*})
 * @param divergence    the objective and the Lipschitz bound L ({@code divergence.*})
 * @param discriminator the network and how L is enforced ({@code discriminator.hidden/activation/norm/constraint/penalty-weight/penalty})
 * @param training      the discriminator's Adam steps ({@code discriminator.steps/learning-rate/...})
 */
public record FlowOptions(long seed, Integration flow, Divergence divergence, Network discriminator, Training training)
        implements Serializable {

    /**
     * @param steps      outer steps n ≥ 1 ({@code flow.steps})
     * @param dt         Δt &gt; 0, the particle step (reference lr_P); a particle moves ≤ L·Δt
     * @param integrator the time stepping: euler, heun, ab2, ab3 or rk4 with its re-training policy
     * @param stop       end early once the kinetic energy stays small ({@code flow.stop.*}; off by default)
     */
    public record Integration(int steps, double dt, Integrator integrator, StopRule.Options stop) implements Serializable {
        /** Without a stopping rule: all {@code steps} run. */
        public Integration(int steps, double dt, Integrator integrator) {
            this(steps, dt, integrator, StopRule.Options.OFF);
        }

        public Integration {
            if (steps < 1) {
                throw new IllegalArgumentException("flow.steps must be >= 1, got " + steps);
            }
            positive("flow.dt", dt);
            if (integrator == null) {
                throw new IllegalArgumentException("flow.integrator must be one of " + String.join(", ", Integrator.NAMES) + ", got null");
            }
            if (stop == null) {
                throw new IllegalArgumentException("flow.stop needs kinetic-energy and window, got null");
            }
        }
    }

    /**
     * @param f           which f ({@code divergence.f}: see {@link Family})
     * @param alpha       α &gt; 1 of the α-divergence
     * @param formulation dv or lt (KL only; α always uses the Legendre form)
     * @param lipschitz   L &gt; 0, the Lipschitz bound of the discriminator
     */
    public record Divergence(Family f, double alpha, Formulation formulation, double lipschitz) implements Serializable {
        public Divergence {
            if (f == null) {
                throw new IllegalArgumentException("divergence.f must be one of " + Family.names() + ", got null");
            }
            if (formulation == null) {
                throw new IllegalArgumentException("divergence.formulation must be dv or lt, got null");
            }
            positive("divergence.lipschitz", lipschitz);
            function(f, alpha, formulation); // validates α
        }

        /** f*, f*' and the ν-solver of this divergence. */
        public FDivergence function() {
            return function(f, alpha, formulation);
        }

        private static FDivergence function(Family f, double alpha, Formulation formulation) {
            return Divergences.of(f, alpha, formulation);
        }
    }

    /**
     * @param hidden     hidden layer widths, e.g. [32, 32, 32]
     * @param activation a 1-Lipschitz activation
     * @param norm       spectral (default) or frobenius (the reference's bound)
     * @param constraint projection onto the Lipschitz ball (default), the reference's rescaling, or a gradient penalty
     * @param penalty    λ and one- or two-sided ({@code discriminator.penalty-weight/penalty}); used by gradient-penalty only
     */
    public record Network(List<Integer> hidden, Activation activation, LayerNorm norm, LipschitzConstraint.Mode constraint,
                          GradientPenalty penalty) implements Serializable {
        public Network {
            hidden = List.copyOf(hidden);
            for (int h : hidden) {
                if (h < 1) {
                    throw new IllegalArgumentException("discriminator.hidden widths must be >= 1, got " + hidden);
                }
            }
            if (activation == null) {
                throw new IllegalArgumentException("discriminator.activation must be one of relu, leaky-relu, elu, tanh, got null");
            }
            if (norm == null) {
                throw new IllegalArgumentException("discriminator.norm must be spectral or frobenius, got null");
            }
            if (constraint == null) {
                throw new IllegalArgumentException("discriminator.constraint must be project, rescale or gradient-penalty, got null");
            }
            if (penalty == null) {
                throw new IllegalArgumentException("discriminator.penalty-weight and discriminator.penalty are required, got null");
            }
        }

        /** A weight constraint, the penalty's settings at their defaults. */
        public Network(List<Integer> hidden, Activation activation, LayerNorm norm, LipschitzConstraint.Mode constraint) {
            this(hidden, activation, norm, constraint, GradientPenalty.DEFAULT);
        }

        public int[] hiddenWidths() {
            return hidden.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /**
     * @param steps          k ≥ 1 Adam steps per outer step ({@code discriminator.steps})
     * @param learningRate   Adam step (reference lr_phi)
     * @param batchSize      the global minibatch b of (particle, target) pairs per discriminator step
     *                       ({@link Minibatch}); 0 = full batch, {@link Minibatch#AUTO} = min(M, max(2N, 256))
     * @param resetOptimizer reset Adam's moments every outer step (reference) instead of warm-starting
     * @param beta1          Adam β₁ in [0, 1)
     * @param beta2          Adam β₂ in [0, 1)
     * @param epsilon        Adam ε &gt; 0
     */
    public record Training(int steps, double learningRate, int batchSize, boolean resetOptimizer,
                           double beta1, double beta2, double epsilon) implements Serializable {
        public Training {
            if (steps < 1) {
                throw new IllegalArgumentException("discriminator.steps must be >= 1, got " + steps);
            }
            positive("discriminator.learning-rate", learningRate);
            if (batchSize < 0 && batchSize != Minibatch.AUTO) {
                throw new IllegalArgumentException("discriminator.batch-size must be >= 0 (0 = full batch) or auto, got " + batchSize);
            }
            if (!(beta1 >= 0 && beta1 < 1)) {
                throw new IllegalArgumentException("discriminator.beta1 must be in [0, 1), got " + beta1);
            }
            if (!(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("discriminator.beta2 must be in [0, 1), got " + beta2);
            }
            positive("discriminator.epsilon", epsilon);
        }
    }

    public FlowOptions {
        if (flow == null || divergence == null || discriminator == null || training == null) {
            throw new IllegalArgumentException("flow options need every section (flow, divergence, discriminator, training)");
        }
    }

    private static void positive(String key, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(key + " must be > 0 and finite, got " + v);
        }
    }

    /** L, the layer norm and projection, rescaling or gradient penalty, as one value. */
    public LipschitzConstraint constraint() {
        return new LipschitzConstraint(divergence.lipschitz(), discriminator.norm(), discriminator.constraint(),
                discriminator.penalty());
    }

    public MlpLayout layout(int dimension, int outputs) {
        return new MlpLayout(dimension, discriminator.hiddenWidths(), outputs, discriminator.activation());
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes some values of a valid {@link FlowOptions}; {@link #build()} validates the result. */
    public static final class Builder {
        private long seed;
        private int steps;
        private double dt;
        private Integrator integrator;
        private StopRule.Options stop;
        private Family f;
        private double alpha;
        private Formulation formulation;
        private double lipschitz;
        private List<Integer> hidden;
        private Activation activation;
        private LayerNorm norm;
        private LipschitzConstraint.Mode constraint;
        private GradientPenalty penalty;
        private int discriminatorSteps;
        private double learningRate;
        private int batchSize;
        private boolean resetOptimizer;
        private double beta1;
        private double beta2;
        private double epsilon;

        private Builder(FlowOptions o) {
            seed = o.seed;
            steps = o.flow.steps();
            dt = o.flow.dt();
            integrator = o.flow.integrator();
            stop = o.flow.stop();
            f = o.divergence.f();
            alpha = o.divergence.alpha();
            formulation = o.divergence.formulation();
            lipschitz = o.divergence.lipschitz();
            hidden = o.discriminator.hidden();
            activation = o.discriminator.activation();
            norm = o.discriminator.norm();
            constraint = o.discriminator.constraint();
            penalty = o.discriminator.penalty();
            discriminatorSteps = o.training.steps();
            learningRate = o.training.learningRate();
            batchSize = o.training.batchSize();
            resetOptimizer = o.training.resetOptimizer();
            beta1 = o.training.beta1();
            beta2 = o.training.beta2();
            epsilon = o.training.epsilon();
        }

        public Builder seed(long v) { seed = v; return this; }
        public Builder steps(int v) { steps = v; return this; }
        public Builder dt(double v) { dt = v; return this; }
        public Builder integrator(Integrator v) { integrator = v; return this; }
        public Builder stop(StopRule.Options v) { stop = v; return this; }
        public Builder f(Family v) { f = v; return this; }
        public Builder alpha(double v) { alpha = v; return this; }
        public Builder formulation(Formulation v) { formulation = v; return this; }
        public Builder lipschitz(double v) { lipschitz = v; return this; }
        public Builder activation(Activation v) { activation = v; return this; }
        public Builder norm(LayerNorm v) { norm = v; return this; }
        public Builder constraint(LipschitzConstraint.Mode v) { constraint = v; return this; }
        public Builder penalty(GradientPenalty v) { penalty = v; return this; }
        public Builder discriminatorSteps(int v) { discriminatorSteps = v; return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder resetOptimizer(boolean v) { resetOptimizer = v; return this; }
        public Builder beta1(double v) { beta1 = v; return this; }
        public Builder beta2(double v) { beta2 = v; return this; }
        public Builder epsilon(double v) { epsilon = v; return this; }

        public Builder hidden(int... widths) {
            List<Integer> h = new ArrayList<>();
            for (int w : widths) {
                h.add(w);
            }
            hidden = h;
            return this;
        }

        public FlowOptions build() {
            return new FlowOptions(seed, new Integration(steps, dt, integrator, stop), new Divergence(f, alpha, formulation, lipschitz),
                    new Network(hidden, activation, norm, constraint, penalty),
                    new Training(discriminatorSteps, learningRate, batchSize, resetOptimizer, beta1, beta2, epsilon));
        }
    }
}
