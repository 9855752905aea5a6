package org.lipflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs that must stop instead of writing a wrong answer, and the order in which flags and --set apply. */
class GuardsAndPrecedenceTest {
    @TempDir
    Path dir;

    static CliTest.Result lipflow(String... args) {
        return CliTest.lipflow(args);
    }

    private void assertOneLineError(CliTest.Result r, int code, String expected) {
        assertEquals(code, r.code(), r.err());
        List<String> errors = r.err().lines().filter(l -> !l.startsWith("lipflow: engine ") && !l.startsWith("lipflow: warning")).toList();
        assertEquals(1, errors.size(), "one line besides the engine line and the step-size warning: " + r.err());
        assertTrue(errors.get(0).startsWith("lipflow: error: ") && errors.get(0).contains(expected), r.err());
    }

    /** L = 10⁶, Δt = 10 on the mixture: every monitor stays finite while the particles fly 10⁵ away. */
    @Test
    void aFiniteBlowUpStopsWithExitCode3AndWritesNothing() throws IOException {
        Path out = dir.resolve("blowup");
        CliTest.Result r = lipflow("run", "conf/examples/gaussian-mixture.conf", "--steps", "100", "--quiet", "--out", out.toString(),
                "--set", "divergence.lipschitz=1e6", "--set", "flow.dt=10", "--set", "output.plots=false");
        assertOneLineError(r, 3, "particles diverged at step");
        assertTrue(r.err().contains("flow.blowup-factor"), r.err());
        CliTest.assertNothingWritten(out);
    }

    @Test
    void theGuardCanBeTurnedOffAndHealthyRunsReportTheirSpread() throws IOException {
        Path off = dir.resolve("off");
        CliTest.Result r = lipflow("run", "conf/examples/gaussian-mixture.conf", "--steps", "20", "--quiet", "--out", off.toString(),
                "--set", "divergence.lipschitz=1e6", "--set", "flow.dt=10", "--set", "output.plots=false",
                "--set", "flow.blowup-factor=0", "--format", "csv");
        assertEquals(0, r.code(), r.err());
        Path ok = dir.resolve("ok");
        r = lipflow("run", "conf/examples/gaussian-mixture.conf", "--steps", "300", "--quiet", "--out", ok.toString(),
                "--set", "output.plots=false", "--format", "csv");
        assertEquals(0, r.code(), r.err());
        List<String> metrics = Files.readAllLines(ok.resolve("metrics.jsonl"));
        String last = metrics.get(metrics.size() - 1);
        double spread = Double.parseDouble(last.replaceAll(".*\"spread\":([^,}]+).*", "$1"));
        // metrics are in the flow's units: standardised (data.standardize), the mixture's spread is sqrt(2) = 1.41 (each
        // feature has std 1); converged particles have about the same (measured after 300 steps at the example's Adam
        // step 0.005: 1.355; at its former 0.001: 1.406)
        assertEquals(1.41, spread, 0.2, last);
    }

    @Test
    void anInvalidSetIsAnErrorEvenWhereAFlagNamesTheSameKey() throws IOException {
        Path out = dir.resolve("conflict");
        assertOneLineError(lipflow("run", "conf/examples/gaussian-mixture.conf", "--quiet", "--out", out.toString(),
                "--set", "flow.steps=abc", "--steps", "5"), 2, "flow.steps is given twice with different values");
        assertOneLineError(lipflow("run", "conf/examples/gaussian-mixture.conf", "--quiet", "--out", out.toString(),
                "--set", "flow.steps=abc"), 2, "config key 'flow.steps' must be an integer, got 'abc'");
        CliTest.assertNothingWritten(out);
    }

    @Test
    void aFlagAndASetThatAgreeRunAndSetAppliesAfterTheFile() throws IOException {
        Path out = dir.resolve("agree");
        CliTest.Result r = lipflow("run", "conf/examples/gaussian-mixture.conf", "--quiet", "--out", out.toString(), "--format", "csv",
                "--steps", "4", "--set", "flow.steps=4", "--set", "output.plots=false", "--set", "output.format=\"csv\"");
        assertEquals(0, r.code(), r.err());
        assertEquals(4, Files.readAllLines(out.resolve("metrics.jsonl")).size());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--particles|0|source.n (--particles) must be >= 1, got 0",
            "--set|source.std=-1|source.std must be > 0 and finite, got -1.0",
            "--set|target.n=-5|target.n must be >= 1, got -5",
            "--set|engine.broadcast-limit-mb=-1|engine.broadcast-limit-mb must be >= 0 and finite, got -1.0",
            "--set|flow.blowup-factor=-1|flow.blowup-factor must be >= 0 and finite (0 = off), got -1.0"})
    void messagesNameTheConfigKey(String flag, String value, String expected) throws IOException {
        Path out = dir.resolve("bad");
        assertOneLineError(lipflow("run", "conf/examples/gaussian-mixture.conf", "--quiet", "--out", out.toString(), flag, value),
                2, expected);
        CliTest.assertNothingWritten(out);
    }

    @Test
    void theDatasetsCommandNamesItsFlags() {
        assertOneLineError(lipflow("datasets", "--name", "gaussian", "--n", "0", "--out", dir.resolve("g.csv").toString()),
                2, "--n must be >= 1, got 0");
    }
}
