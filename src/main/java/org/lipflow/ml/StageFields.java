package org.lipflow.ml;

import org.lipflow.discriminator.MlpLayout;
import org.lipflow.flow.Block;
import org.lipflow.flow.DiscriminatorState;
import org.lipflow.flow.FlowKernel;
import org.lipflow.flow.FlowOptions;
import org.lipflow.flow.FlowTrajectory;
import org.lipflow.flow.Integrator;
import org.lipflow.util.ChunkPool;

import java.util.ArrayList;
import java.util.List;

/**
 * The fields that heun and rk4 re-train at their later stages under flow.integrator-retrain =
 * each-stage, which a model needs to replay such a fit: the engine trains them inside its step
 * and keeps only the field each step starts with, θ_n. The fit runs on one particle partition
 * (the Spark engine refuses more), so the driver re-traces it as each θ_n arrives: it moves its
 * own copy of the particles by step n ({@link FlowTrajectory#retrace}), re-training a copy of θ_n
 * (weights, Adam state, power iteration) at each stage's positions with the flow kernel's own
 * {@link FlowKernel#train}, as the engine's step does. That is the stage trainings once more
 * (one per heun step, three per rk4 step) and the particles and the target in the driver.
 */
final class StageFields implements AutoCloseable {
    private final MlpLayout layout;
    private final Integrator integrator;
    private final double dt;
    private final Block particles;
    private final ChunkPool pool;
    private final FlowKernel kernel;
    private final List<float[][]> fields = new ArrayList<>();

    /**
     * @param source  the particles as the engine starts from them (its one partition's block, labels attached)
     * @param target  the target as the engine's task reads it
     * @param threads the task's threads (results do not depend on them)
     */
    StageFields(FlowOptions options, MlpLayout layout, Block source, Block target, int threads) {
        this.layout = layout;
        this.integrator = options.flow().integrator();
        this.dt = options.flow().dt();
        this.particles = source.copy();
        this.pool = new ChunkPool(threads);
        this.kernel = new FlowKernel(options, layout, target, pool);
    }

    /** Step n with θ_n as the engine reported it (not kept): moves the driver's particles and keeps θ_n,1... */
    void step(int n, DiscriminatorState theta) {
        if (n != fields.size() + 1) {
            throw new IllegalStateException("stage fields of step " + n + " re-traced after " + fields.size() + " steps");
        }
        DiscriminatorState s = theta.copy(); // the stages re-train it in place, each from the last
        fields.add(FlowTrajectory.retrace(layout, integrator, n, dt, theta.params.clone(), particles, stage -> {
            kernel.train(s, particles, n, 0, stage);
            return s.params.clone();
        }));
    }

    /** θ_n,1.. of every step re-traced so far, in step order. */
    List<float[][]> fields() {
        return fields;
    }

    /** The driver's particles after the steps re-traced so far (flow units). */
    Block particles() {
        return particles;
    }

    @Override
    public void close() {
        pool.close();
    }
}
