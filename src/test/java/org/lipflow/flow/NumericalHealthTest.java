package org.lipflow.flow;

import org.junit.jupiter.api.Test;
import org.lipflow.config.LipflowConfig;
import org.lipflow.discriminator.MlpLayout;
import org.lipflow.util.ChunkPool;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel's checks name the quantity that turned non-finite, and the start-up step warning. */
class NumericalHealthTest {
    @Test
    void aGradientBeyondFloatRangeWithAFiniteObjectiveIsNamedGradient() {
        // φ(x) = w₂·relu(0·x + 1) + b₂ is constant (finite), but ∂φ/∂w₁ = w₂·x overflows at x = 3e38
        FlowOptions o = LipflowConfig.defaultFlowOptions().toBuilder().hidden(4).discriminatorSteps(1).build();
        MlpLayout layout = o.layout(1, 1);
        DiscriminatorState s = DiscriminatorState.initial(layout, o);
        Arrays.fill(s.params, 0f);
        Arrays.fill(s.params, layout.biasOffset(0), layout.biasOffset(0) + layout.out(0), 1f);
        Arrays.fill(s.params, layout.weightOffset(1), layout.weightOffset(1) + layout.in(1) * layout.out(1), 4f);
        Block particles = new Block(2, 1, new float[]{3e38f, 3e38f}, null, new long[]{0, 1});
        Block target = new Block(2, 1, new float[]{0f, 1f}, null, new long[]{0, 1});
        try (ChunkPool pool = new ChunkPool(1)) {
            FlowKernel kernel = new FlowKernel(o, layout, target, pool);
            NonFiniteException e = assertThrows(NonFiniteException.class, () -> kernel.train(s, particles, 7, 0, 0));
            assertTrue(e.getMessage().startsWith("non-finite gradient at step 7 ("), e.getMessage());
            assertTrue(e.getMessage().contains("discriminator.learning-rate = 0.005 too large"), e.getMessage());
        }
    }

    @Test
    void checkPassesFiniteAggregatesAndNamesTheQuantityOtherwise() {
        FlowOptions o = LipflowConfig.defaultFlowOptions();
        NumericalHealth.check(1e300, NumericalHealth.Quantity.WEIGHTS, 3, o, null);
        for (NumericalHealth.Quantity q : NumericalHealth.Quantity.values()) {
            NonFiniteException e = assertThrows(NonFiniteException.class, () -> NumericalHealth.check(Double.NaN, q, 3, o, null));
            assertTrue(e.getMessage().startsWith("non-finite " + q.label + " at step 3 ("), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
    }

    @Test
    void theStepWarningComparesLTimesDtWithTheFractionOfTheSpread() {
        FlowOptions o = LipflowConfig.defaultFlowOptions().toBuilder().dt(2).lipschitz(1.5).build(); // L·Δt = 3
        assertTrue(NumericalHealth.stepWarning(1.0, o, 2.9).isPresent());
        assertTrue(NumericalHealth.stepWarning(1.0, o, 3.1).isEmpty());
        assertTrue(NumericalHealth.stepWarning(0.5, o, 5.9).isPresent());
        assertTrue(NumericalHealth.stepWarning(0.5, o, 6.1).isEmpty());
    }
}
