package org.lipflow.config;

import org.junit.jupiter.api.Test;
import org.lipflow.discriminator.GradientPenalty;
import org.lipflow.discriminator.LipschitzConstraint;
import org.lipflow.flow.FlowOptions;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code discriminator.constraint = gradient-penalty}, {@code discriminator.penalty-weight}, {@code discriminator.penalty}. */
class GradientPenaltyKeysTest {

    static FlowOptions options(String... overrides) {
        return LipflowConfig.flowOptions(LipflowConfig.load("conf/examples/gaussian-mixture.conf", List.of(overrides)));
    }

    @Test
    void defaultsAreProjectionAndAOneSidedPenaltyOfTen() {
        FlowOptions o = LipflowConfig.defaultFlowOptions();
        assertEquals(LipschitzConstraint.Mode.PROJECT, o.discriminator().constraint());
        assertEquals(new GradientPenalty(10, GradientPenalty.Side.ONE_SIDED), o.discriminator().penalty());
    }

    @Test
    void theKeysReachTheConstraint() {
        LipschitzConstraint c = options("discriminator.constraint=gradient-penalty", "discriminator.penalty-weight=2.5",
                "discriminator.penalty=two-sided").constraint();
        assertEquals(LipschitzConstraint.Mode.GRADIENT_PENALTY, c.mode());
        assertEquals(new GradientPenalty(2.5, GradientPenalty.Side.TWO_SIDED), c.penalty());
    }

    @Test
    void badValuesNameKeyValueAndRule() {
        assertEquals("discriminator.penalty-weight must be > 0 and finite, got -1.0", assertThrows(IllegalArgumentException.class,
                () -> options("discriminator.penalty-weight=-1")).getMessage());
        assertEquals("discriminator.penalty must be one-sided or two-sided, got 'both'", assertThrows(IllegalArgumentException.class,
                () -> options("discriminator.penalty=both")).getMessage());
        assertEquals("discriminator.constraint must be project, rescale or gradient-penalty, got 'soft'",
                assertThrows(IllegalArgumentException.class, () -> options("discriminator.constraint=soft")).getMessage());
    }
}
