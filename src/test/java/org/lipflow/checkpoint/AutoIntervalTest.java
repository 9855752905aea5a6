package org.lipflow.checkpoint;

import com.typesafe.config.ConfigFactory;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.config.LipflowConfig;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code checkpoint.interval = auto}: every 100 steps once the run has taken 60 s, never before
 * (short fast runs skip the periodic checkpoints whose fixed cost dominates them); the last step
 * and a termination signal are always checkpointed; an explicit interval stays exact.
 */
class AutoIntervalTest {
    @TempDir
    Path dir;

    RunCheckpoints open(RunCheckpoints.Options o) {
        return RunCheckpoints.open(o, "unused", "{}", 1000, null, new Configuration());
    }

    @Test
    void autoSkipsPeriodicCheckpointsDuringTheFirstMinute() {
        try (RunCheckpoints cp = open(RunCheckpoints.Options.auto(2, dir.resolve("ck").toString(), false))) {
            assertTrue(cp.enabled());
            assertFalse(cp.due(100, 100, 1000), "a multiple of 100 in the first minute");
            assertTrue(cp.due(1000, 1000, 1000), "the last step always");
            cp.openedSecondsAgo(RunCheckpoints.AUTO_AFTER_SECONDS + 1);
            assertTrue(cp.due(200, 200, 1000), "a multiple of 100 after a minute");
            assertFalse(cp.due(201, 201, 1000), "not a multiple of 100");
            assertTrue(cp.due(195, 205, 1000), "a job of several steps that contains a multiple of 100");
        }
    }

    @Test
    void autoStillCheckpointsAtATerminationSignal() {
        try (RunCheckpoints cp = open(RunCheckpoints.Options.auto(2, dir.resolve("ck").toString(), false))) {
            cp.requestStop();
            assertTrue(cp.due(7, 7, 1000));
        }
    }

    @Test
    void anExplicitIntervalIsExactHoweverShortTheRun() {
        try (RunCheckpoints cp = open(new RunCheckpoints.Options(100, 2, dir.resolve("ck").toString(), false))) {
            assertTrue(cp.due(100, 100, 1000));
            assertFalse(cp.due(150, 150, 1000));
        }
    }

    @Test
    void theKeyTakesAutoOrAnInteger() {
        String rest = ", keep = 2, dir = \"\", resume = false }";
        RunCheckpoints.Options auto = LipflowConfig.checkpointOptions(ConfigFactory.parseString("checkpoint { interval = auto" + rest));
        assertTrue(auto.auto());
        assertEquals(RunCheckpoints.AUTO_INTERVAL, auto.interval());
        RunCheckpoints.Options exact = LipflowConfig.checkpointOptions(ConfigFactory.parseString("checkpoint { interval = 100" + rest));
        assertFalse(exact.auto());
        assertEquals(100, exact.interval());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LipflowConfig.checkpointOptions(ConfigFactory.parseString("checkpoint { interval = often" + rest)));
        assertEquals("checkpoint.interval must be auto or an integer >= 0 (0 = off), got 'often'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LipflowConfig.checkpointOptions(ConfigFactory.parseString("checkpoint { interval = -5" + rest)));
        assertEquals("checkpoint.interval must be >= 0 (0 = off), got -5", e.getMessage());
    }

    @Test
    void theDefaultIsAuto() {
        assertTrue(LipflowConfig.checkpointOptions(ConfigFactory.parseResources("lipflow-defaults.conf")).auto());
    }
}
