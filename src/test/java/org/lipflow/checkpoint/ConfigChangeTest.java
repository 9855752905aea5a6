package org.lipflow.checkpoint;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a resume counts as a changed configuration (RunCheckpoints.firstChange). */
class ConfigChangeTest {
    @Test
    void aKeyTheCheckpointDidNotKnowIsNoChangeAtItsDefault() {
        String before = "{\"flow\":{\"dt\":0.5,\"steps\":10}}";
        // flow.stop.window came with a later lipflow: at its default (10) the older run ran the same way
        assertEquals(Optional.empty(), RunCheckpoints.firstChange(before, "{\"flow\":{\"dt\":0.5,\"steps\":20,\"stop\":{\"window\":10}}}", ""));
        assertEquals(Optional.of("flow.stop.window was not set, is 3 now"),
                RunCheckpoints.firstChange(before, "{\"flow\":{\"dt\":0.5,\"steps\":20,\"stop\":{\"window\":3}}}", ""));
        assertEquals(Optional.of("flow.dt was 0.5, is 0.25 now"),
                RunCheckpoints.firstChange(before, "{\"flow\":{\"dt\":0.25,\"steps\":10}}", ""));
    }
}
