package org.lipflow.cli;

import org.junit.jupiter.api.Test;
import org.lipflow.flow.StepMetrics;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {
    static StepMetrics step(int n) {
        return new StepMetrics(n, 0.5, 0.25, 0.75, 2.0, 1.0);
    }

    /** The first line has no rate to go by (start-up time is not a step's cost); the last one has nothing left. */
    @Test
    void theFirstLineHasNoEtaAndTheLastOneZero() throws InterruptedException {
        StringWriter s = new StringWriter();
        Progress p = new Progress(3, new PrintWriter(s));
        Thread.sleep(50); // start-up before the first step: must not inflate the ETA
        p.update(step(1));
        p.update(step(2)); // within a second of the first line: not printed
        p.update(step(3));
        List<String> lines = s.toString().lines().toList();
        assertEquals(2, lines.size(), s.toString());
        assertTrue(lines.get(0).startsWith("step 1/3  H=0.50000  KE=0.2500  max|v|=0.750") && lines.get(0).endsWith("ETA ?"),
                lines.get(0));
        assertTrue(lines.get(1).startsWith("step 3/3") && lines.get(1).endsWith("ETA 0.0s"), lines.get(1));
    }
}
