package org.lipflow.engine;

import org.junit.jupiter.api.Test;
import org.lipflow.flow.FlowOptions;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The up-front size checks: what they refuse, what they let through, and what they tell the user. */
class MemoryCheckTest {
    static final FlowOptions O = org.lipflow.config.LipflowConfig.defaultFlowOptions();

    @Test
    void threeHundredMillionParticlesDoNotFitTwoGigabytesAndTheMessageSaysHowMuchIsNeeded() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MemoryCheck.checkInProcess(300_000_000L, 2, 200, false, 2300, O, 2L << 30));
        // source + working copy: 2 × (8 B floats + 8 B id) + 4 B φ = 36 B per particle (10.1 GB), plus one
        // 2,300-parameter gradient per 2,048-row chunk (1.3 GB) and 128 MB overhead: 11.4 GB
        assertTrue(e.getMessage().contains("need about 11.4 GB") && e.getMessage().contains("this JVM may use 2.0 GB")
                && e.getMessage().contains("LIPFLOW_JAVA_OPTS=-Xmx13g") && e.getMessage().contains("--engine spark"), e.getMessage());
        assertDoesNotThrow(() -> MemoryCheck.checkInProcess(300_000_000L, 2, 200, false, 2300, O, 12L << 30));
        assertDoesNotThrow(() -> MemoryCheck.checkInProcess(1_000_000L, 784, 60_000, true, 30_000, O, 8L << 30));
    }

    @Test
    void moreCoordinatesThanAJavaArrayHoldsAreRefusedOnBothEngines() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MemoryCheck.checkInProcess(Integer.MAX_VALUE, 2, 200, false, 2300, O, Long.MAX_VALUE));
        assertTrue(e.getMessage().contains("4294967294 coordinates, more than one Java array holds"), e.getMessage());
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> MemoryCheck.checkSparkPartitions(Integer.MAX_VALUE, 2, 2));
        assertTrue(s.getMessage().contains("use engine.partitions >= 3"), s.getMessage());
        assertDoesNotThrow(() -> MemoryCheck.checkSparkPartitions(Integer.MAX_VALUE, 2, 3));
    }
}
