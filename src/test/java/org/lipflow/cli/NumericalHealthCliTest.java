package org.lipflow.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lipflow.engine.spark.SparkTestSession;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A quantity that turns non-finite stops the run in the step it appears with exit code 3, one
 * line naming the step, the quantity and its likely cause, and no output; a step L·Δt that is
 * large against the target's spread draws one warning at start.
 */
class NumericalHealthCliTest {
    @TempDir
    Path dir;

    CliTest.Result run(Path out, String engine, String... sets) {
        List<String> a = new ArrayList<>(List.of("run", "--quiet", "--steps", "5", "--out", out.toString(), "--format", "csv",
                "--engine", engine, "--set", "output.plots=false", "--set", "output.discriminator=false"));
        if (Arrays.stream(sets).noneMatch(s -> s.startsWith("target.synthetic="))) {
            a.addAll(List.of("--set", "target.synthetic=gaussian"));
        }
        for (String s : sets) {
            a.addAll(List.of("--set", s));
        }
        return CliTest.lipflow(a.toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // Adam's step lr·m̂/√v̂ ≈ lr: beyond float range on the first update
            "weights   | discriminator.learning-rate=1e300 | non-finite weights at step 1 | discriminator.learning-rate = 1.0E300 too large",
            // Student-t ν = 0.2 reaches |x| ~ 1e11; the reference's rescaling to L = 1e30 makes φ ~ L|x| overflow (in data
            // units: standardised, no value of 200 rows exceeds sqrt(199) = 14 std and φ first overflows a step later)
            "phi       | data.standardize=false,target.synthetic=student-t,target.nu=0.2,divergence.f=kl,divergence.lipschitz=1e30,discriminator.constraint=rescale"
                    + " | non-finite phi at step 1 | heavy tails with divergence.f = kl",
            // Δt·L beyond float range: every particle overflows on the first move
            "particles | flow.dt=1e300 | non-finite particles at step 1 | dt*L = 1.000e+300",
    })
    void aNonFiniteQuantityStopsWithExitCode3NamingStepQuantityAndCause(String quantity, String sets, String what, String cause)
            throws IOException {
        Path out = dir.resolve(quantity.strip());
        CliTest.Result r = run(out, "inprocess", sets.strip().split(","));
        assertEquals(3, r.code(), r.err());
        String error = r.err().lines().filter(l -> l.startsWith("lipflow: error:")).findFirst().orElse("");
        assertTrue(error.contains(what) && error.contains(cause), r.err());
        assertEquals(1, r.err().lines().filter(l -> !l.startsWith("lipflow: engine") && !l.startsWith("lipflow: warning")).count(),
                "one line: " + r.err());
        CliTest.assertNothingWritten(out);
    }

    @Test
    void aStepLargeAgainstTheTargetsSpreadIsWarnedOnceAtStart() {
        // the gaussian target's spread is ≈ 1.4 (RMS distance from its mean in 2-D); L·Δt = 5
        CliTest.Result warned = run(dir.resolve("warned"), "inprocess", "target.synthetic=gaussian", "flow.dt=5");
        assertEquals(0, warned.code(), warned.err());
        assertEquals(1, warned.err().lines().filter(l -> l.contains("warning: dt*L = 5.000")
                && l.contains("flow.step-warning-fraction = 1.0")).count(), warned.err());
        CliTest.Result raised = run(dir.resolve("raised"), "inprocess", "target.synthetic=gaussian", "flow.dt=5",
                "flow.step-warning-fraction=10");
        assertEquals(0, raised.code(), raised.err());
        assertFalse(raised.err().contains("warning"), raised.err());
        CliTest.Result plain = run(dir.resolve("plain"), "inprocess", "target.synthetic=gaussian", "flow.dt=0.5");
        assertFalse(plain.err().contains("warning"), plain.err());
    }

    @Tag("spark")
    @ParameterizedTest(name = "{0} on Spark")
    @CsvSource(delimiter = '|', value = {
            "weights   | discriminator.learning-rate=1e300 | non-finite weights at step 1",
            "particles | flow.dt=1e300 | non-finite particles at step 1",
    })
    void theSparkEngineStopsTheSameWay(String quantity, String sets, String what) throws IOException {
        SparkTestSession.get("local[2]");
        Path out = dir.resolve(quantity.strip());
        List<String> a = new ArrayList<>(Arrays.asList(sets.strip().split(",")));
        a.add("engine.partitions=2");
        CliTest.Result r = run(out, "spark", a.toArray(String[]::new));
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("lipflow: error: " + what)), r.err());
        CliTest.assertNothingWritten(out);
    }
}
