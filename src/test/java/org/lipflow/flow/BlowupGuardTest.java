package org.lipflow.flow;

import org.junit.jupiter.api.Test;
import org.lipflow.config.LipflowConfig;
import org.lipflow.data.SyntheticData;
import org.lipflow.discriminator.MlpLayout;
import org.lipflow.util.ChunkPool;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlowupGuardTest {

    /** The kernel's spread monitor against the RMS distance from mean(Q) computed by hand, over several chunks. */
    @Test
    void theMoveReportsTheRmsDistanceOfTheMovedParticlesFromTheTargetMean() {
        FlowOptions o = LipflowConfig.defaultFlowOptions();
        Block target = SyntheticData.generate(new SyntheticData.Spec("mixture4", 400, 0, 2, 0, 0.5, 1, false));
        Block particles = SyntheticData.generate(new SyntheticData.Spec("gaussian", 5000, 1, 2, 0, 0.5, 1, false));
        MlpLayout layout = o.layout(2, 1);
        DiscriminatorState s = DiscriminatorState.initial(layout, o);
        MoveStats move;
        try (ChunkPool pool = new ChunkPool(2)) {
            FlowKernel kernel = new FlowKernel(o, layout, target, pool);
            kernel.train(s, particles, 1, 0, 0);
            move = kernel.move(s, particles, 1, 0);
        }
        double[] c = new double[2];
        for (int r = 0; r < target.rows; r++) {
            c[0] += target.x[2 * r] / (double) target.rows;
            c[1] += target.x[2 * r + 1] / (double) target.rows;
        }
        double sum = 0;
        for (int r = 0; r < particles.rows; r++) {
            double dx = particles.x[2 * r] - c[0], dy = particles.x[2 * r + 1] - c[1];
            sum += dx * dx + dy * dy;
        }
        assertEquals(Math.sqrt(sum / particles.rows), move.spread(), 1e-5);
        assertTrue(move.spread() > 2.5, "particles near the origin are ~2.9 from the mixture's mean (2, 2)");
    }

    @Test
    void theSpreadOfABlockIsItsRmsDistanceFromItsMean() {
        Block b = new Block(4, 2, new float[]{0, 0, 2, 0, 0, 2, 2, 2}, null, null);
        assertEquals(Math.sqrt(2), BlowupGuard.spread(b), 1e-12); // corners of a square around (1, 1)
    }

    private static StepMetrics spread(int step, double s) {
        return new StepMetrics(step, 0.1, 0.01, 0.5, s, 1);
    }

    /** R = max(s_Q, s_1 − L·Δt); the guard throws just above factor·R and not at it. */
    @Test
    void theScaleIsTheTargetsSpreadOrTheSourcesLowerBoundAndTheThresholdIsSharp() {
        List<StepMetrics> passed = new ArrayList<>();
        BlowupGuard g = new BlowupGuard(100, 2, 1, passed::add);
        g.step(spread(1, 10));
        assertEquals(9, g.scale(), 1e-12);
        g.step(spread(2, 900));
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> g.step(spread(3, 900.01)));
        assertTrue(e.getMessage().startsWith("particles diverged at step 3"), e.getMessage());
        assertEquals(2, passed.size(), "the diverged step is not passed on");

        BlowupGuard near = new BlowupGuard(100, 2, 1, m -> { });
        near.step(spread(1, 1.5));
        assertEquals(2, near.scale(), 1e-12, "a source closer than the target's spread: the target's scale");
        BlowupGuard point = new BlowupGuard(100, 0, 0.5, m -> { });
        point.step(spread(1, 0.25));
        assertEquals(0.5, point.scale(), 1e-12, "a point target and source: one step's length");
    }

    @Test
    void factorZeroIsOffButNonFiniteMonitorsStillStop() {
        BlowupGuard off = new BlowupGuard(0, 1, 1, m -> { });
        off.step(spread(1, 1));
        off.step(spread(2, 1e30));
        assertThrows(NonFiniteException.class, () -> off.step(spread(3, Double.NaN)));
        assertThrows(IllegalArgumentException.class, () -> new BlowupGuard(-1, 1, 1, m -> { }));
    }
}
