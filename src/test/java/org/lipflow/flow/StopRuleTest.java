package org.lipflow.flow;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The window logic of {@code flow.stop.*} on hand-made kinetic-energy sequences. */
class StopRuleTest {

    static List<StepMetrics> steps(double... kineticEnergy) {
        List<StepMetrics> m = new ArrayList<>();
        for (int i = 0; i < kineticEnergy.length; i++) {
            m.add(new StepMetrics(i + 1, 0.1, kineticEnergy[i], 0.5, 1, 1));
        }
        return m;
    }

    @Test
    void stopsAtTheStepThatCompletesWConsecutiveStepsBelowEpsilon() {
        // ε = 0.1, w = 3: below at steps 3, 4 (reset by step 5), then 6, 7, 8 → the window completes at step 8;
        // KE = ε exactly (step 9 of another run) is not below
        StopRule rule = new StopRule(new StopRule.Options(0.1, 3));
        double[] ke = {5, 0.5, 0.05, 0.05, 2, 0.05, 0.0999, 0.01, 0.1, 7};
        List<StepMetrics> m = steps(ke);
        for (int i = 0; i < 7; i++) {
            assertFalse(rule.observe(m.get(i)), "running after step " + (i + 1));
        }
        assertTrue(rule.observe(m.get(7)), "stopped after step 8");
        assertEquals(8, rule.completedAt());
        assertTrue(rule.observe(m.get(8)) && rule.observe(m.get(9)), "stays stopped");
        assertEquals(8, rule.completedAt());
        assertEquals("kinetic energy < 0.1 for 3 steps (steps 6..8)", rule.reason());
        assertEquals(8, StopRule.replay(rule.options(), m).completedAt(), "replaying the monitors decides the same");
        assertEquals(java.util.Map.of("step", 10, "reason", rule.reason()), rule.describe(10));
    }

    @Test
    void kineticEnergyEqualToEpsilonDoesNotCountAndAWindowOfOneStopsAtTheFirstStepBelow() {
        assertFalse(StopRule.replay(new StopRule.Options(0.1, 1), steps(0.1, 0.1, 0.1)).stopped());
        StopRule one = StopRule.replay(new StopRule.Options(0.1, 1), steps(1, 0.2, 0.09, 0.01));
        assertEquals(3, one.completedAt());
    }

    @Test
    void epsilonZeroIsOffAndNeverStops() {
        StopRule off = StopRule.replay(StopRule.Options.OFF, steps(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertFalse(off.stopped());
        assertEquals(-1, off.completedAt());
    }

    @Test
    void invalidOptionsNameTheirKey() {
        assertEquals("flow.stop.kinetic-energy must be >= 0 and finite (0 = off), got -1.0",
                assertThrows(IllegalArgumentException.class, () -> new StopRule.Options(-1, 5)).getMessage());
        assertEquals("flow.stop.window must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> new StopRule.Options(1e-3, 0)).getMessage());
    }
}
