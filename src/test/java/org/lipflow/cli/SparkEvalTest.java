package org.lipflow.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.engine.spark.SparkTestSession;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code eval --engine spark} computes the in-process figures: the same V-statistics over all pairs
 * (energy distance to rounding), the same directions (sliced W1 exact below 50,000 rows), the
 * nearest-neighbour medians exactly below 2,000 rows; only the MMD bandwidth comes from another
 * 1,000-row sample of the pooled rows when they are more.
 */
@Tag("spark")
class SparkEvalTest {
    @TempDir
    Path dir;

    Path gaussian(String name, int n, double mean, long seed) {
        Path f = dir.resolve(name + ".csv");
        CliTest.Result r = CliTest.lipflow("datasets", "--name", "gaussian", "--n", "" + n, "--dimension", "8", "--mean", "" + mean,
                "--seed", "" + seed, "--out", f.toString());
        assertEquals(0, r.code(), r.err());
        return f;
    }

    static Config json(CliTest.Result r) {
        assertEquals(0, r.code(), r.err());
        return ConfigFactory.parseString(r.out());
    }

    @Test
    void sparkAndInProcessEvalAgreeOnAModerateSet() {
        SparkTestSession.get("local[2]");
        Path g = gaussian("g", 1500, 0.3, 1), ref = gaussian("r", 1800, 0, 2), t = gaussian("t", 1200, 0, 3);
        String[] args = {"eval", "--generated", g.toString(), "--reference", ref.toString(), "--train", t.toString(), "--seed", "4"};
        Config local = json(CliTest.lipflow(args));
        String[] spark = java.util.Arrays.copyOf(args, args.length + 4);
        System.arraycopy(new String[]{"--engine", "spark", "--partitions", "3"}, 0, spark, args.length, 4);
        Config distributed = json(CliTest.lipflow(spark));
        assertTrue(distributed.getString("engine").startsWith("spark"), distributed.getString("engine"));
        assertEquals(local.getDouble("energy_distance"), distributed.getDouble("energy_distance"),
                1e-9 * local.getDouble("energy_distance") + 1e-12);
        assertEquals(local.getDouble("sliced_w1"), distributed.getDouble("sliced_w1"), 1e-9 * local.getDouble("sliced_w1"));
        assertEquals(local.getDouble("nn_median_generated_to_train"), distributed.getDouble("nn_median_generated_to_train"), 1e-9);
        assertEquals(local.getDouble("nn_median_reference_to_train"), distributed.getDouble("nn_median_reference_to_train"), 1e-9);
        // the bandwidth from another 1,000 of the 3,300 pooled rows: within 3%, and MMD² with it within 5%
        assertEquals(local.getDouble("mmd_bandwidth"), distributed.getDouble("mmd_bandwidth"), 0.03 * local.getDouble("mmd_bandwidth"));
        assertEquals(local.getDouble("mmd2"), distributed.getDouble("mmd2"), 0.05 * local.getDouble("mmd2"));
        assertEquals(local.getLong("generated_rows"), distributed.getLong("generated_rows"));
        assertEquals(local.getLong("train_rows"), distributed.getLong("train_rows"));
    }
}
