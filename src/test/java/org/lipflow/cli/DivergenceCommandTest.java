package org.lipflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lipflow divergence}: its options mean what the same configuration keys mean in {@code run}. */
class DivergenceCommandTest {
    @TempDir
    Path dir;

    private Path gaussian(String name, int n, long seed, String mean) {
        Path f = dir.resolve(name + ".csv");
        CliTest.Result r = CliTest.lipflow("datasets", "--name", "gaussian", "--n", "" + n, "--seed", "" + seed, "--mean", mean,
                "--dimension", "2", "--out", f.toString());
        assertEquals(0, r.code(), r.err());
        return f;
    }

    private static CliTest.Result divergence(Path p, Path q, String... extra) {
        List<String> a = new ArrayList<>(List.of("divergence", "--p", p.toString(), "--q", q.toString(), "--seed", "5",
                "--steps", "40"));
        a.addAll(Arrays.asList(extra));
        return CliTest.lipflow(a.toArray(String[]::new));
    }

    private static String field(String json, String key) {
        return json.strip().replaceAll(".*\"" + key + "\":([^,}]+)[,}].*", "$1");
    }

    @Test
    void batchSizeAutoIsRunsAutoMinibatch() {
        // M = 1,000 particles, N = 100 targets: auto = min(M, max(2N, 256)) = 256, a real minibatch
        Path p = gaussian("p", 1000, 1, "1");
        Path q = gaussian("q", 100, 2, "0");
        CliTest.Result auto = divergence(p, q, "--batch-size", "auto");
        assertEquals(0, auto.code(), auto.err());
        assertEquals("256", field(auto.out(), "batch_size"), auto.out());
        CliTest.Result explicit = divergence(p, q, "--batch-size", "256");
        assertEquals(0, explicit.code(), explicit.err());
        // the same seed and the same minibatch draws: the same estimate to the last digit
        assertEquals(field(explicit.out(), "divergence"), field(auto.out(), "divergence"), auto.out() + explicit.out());
        CliTest.Result full = divergence(p, q);
        assertEquals(0, full.code(), full.err());
        assertEquals("0", field(full.out(), "batch_size"), full.out());
        assertTrue(!field(full.out(), "divergence").equals(field(auto.out(), "divergence")),
                "auto must not train on the full batch here: " + full.out() + auto.out());
    }

    /** A batch as large as both samples is the full batch: reported as 0, with the full batch's estimate. */
    @Test
    void aBatchCoveringBothSamplesIsReportedAsTheFullBatch() {
        Path p = gaussian("p", 300, 1, "1");
        Path q = gaussian("q", 300, 2, "0");
        CliTest.Result full = divergence(p, q);
        assertEquals(0, full.code(), full.err());
        for (String b : new String[] {"auto", "600"}) { // auto = min(300, max(600, 256)) = 300
            CliTest.Result r = divergence(p, q, "--batch-size", b);
            assertEquals(0, r.code(), r.err());
            assertEquals("0", field(r.out(), "batch_size"), b + ": " + r.out());
            assertEquals(field(full.out(), "divergence"), field(r.out(), "divergence"), b + ": " + r.out() + full.out());
        }
    }

    @Test
    void badBatchSizeNamesTheKeyAndTheRule() {
        Path p = gaussian("p", 50, 1, "1");
        Path q = gaussian("q", 50, 2, "0");
        CliTest.Result r = divergence(p, q, "--batch-size", "many");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("discriminator.batch-size") && r.err().contains("many"), r.err());
        assertEquals("", r.out());
    }
}
