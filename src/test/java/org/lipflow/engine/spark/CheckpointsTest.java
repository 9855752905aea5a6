package org.lipflow.engine.spark;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.cli.Main;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where lineage cuts go by default, and that a run's checkpoints do not outlive it unless kept. */
class CheckpointsTest {
    @TempDir
    Path dir;

    static final SparkSettings EMPTY = new SparkSettings(2, 5, "", 1 << 20, 1, 1, true);

    @Test
    void localCheckpointsOnlyWhereExecutorsLiveInTheDriverJvm() {
        for (String master : List.of("local", "local[2]", "local[*]", "local[2,3]")) {
            assertSame(EMPTY, Checkpoints.withDefaultDirectory(EMPTY, master, "file:/out/.checkpoints"), master);
        }
        for (String master : List.of("local-cluster[2,1,1024]", "spark://h:7077", "yarn", "k8s://https://h:6443")) {
            SparkSettings s = Checkpoints.withDefaultDirectory(EMPTY, master, "file:/out/.checkpoints");
            assertEquals("file:/out/.checkpoints", s.checkpointDir(), master);
            assertFalse(s.keepCheckpoints(), "the default directory is the run's scratch space");
        }
        SparkSettings configured = new SparkSettings(2, 5, "hdfs://nn/ck", 1 << 20, 1, 1, true);
        assertSame(configured, Checkpoints.withDefaultDirectory(configured, "yarn", "file:/out/.checkpoints"));
    }

    int run(Path out, Path checkpoints, boolean keep) {
        SparkTestSession.get("local[2]");
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                "run", "conf/examples/gaussian-mixture.conf", "--engine", "spark", "--partitions", "2", "--particles", "200",
                "--steps", "17", "--set", "engine.checkpoint-interval=5", "--set", "engine.checkpoint-dir=" + checkpoints.toUri(),
                "--set", "engine.keep-checkpoints=" + keep, "--out", out.toString(), "--format", "csv", "--quiet",
                "--set", "output.plots=false", "--set", "output.discriminator=false");
        assertEquals(0, code, err.toString());
        return code;
    }

    @Test
    @Tag("spark")
    void aSuccessfulRunDeletesItsCheckpointsUnlessAskedToKeepThem() throws IOException {
        Path created = dir.resolve("ck-new");
        run(dir.resolve("a"), created, false);
        assertFalse(Files.exists(created), "a checkpoint directory the run created is removed with its checkpoints");
        Path existing = Files.createDirectories(dir.resolve("ck-existing"));
        run(dir.resolve("b"), existing, false);
        try (Stream<Path> s = Files.list(existing)) {
            assertEquals(0, s.count(), "an existing checkpoint directory is left empty, as found");
        }
        Path kept = dir.resolve("ck-kept");
        run(dir.resolve("c"), kept, true);
        try (Stream<Path> s = Files.walk(kept)) {
            List<String> cuts = s.filter(p -> p.getFileName().toString().startsWith("rdd-")).map(p -> p.getFileName().toString()).toList();
            assertEquals(1, cuts.size(), "cuts at 5, 10, 15: only the newest is kept, older ones were deleted as newer ones were written: " + cuts);
        }
    }
}
