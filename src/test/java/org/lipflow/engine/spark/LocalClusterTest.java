package org.lipflow.engine.spark;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.cli.Main;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run command on {@code local-cluster[2,1,1024]}: two executor JVMs, so closures, broadcasts,
 * blocks and results are really serialised and the Vector API module and class path reach
 * executors started by Spark, not by us.
 */
@Tag("cluster")
class LocalClusterTest {
    @TempDir
    Path dir;

    @Test
    void runOnTwoExecutorJvmsWritesEveryParticleOnce() throws Exception {
        SparkTestSession.get("local-cluster[2,1,1024]"); // the run joins this active session
        Path out = dir.resolve("cluster");
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                "run", "conf/examples/gaussian-mixture.conf", "--engine", "spark", "--partitions", "2", "--particles", "1000",
                "--steps", "60", "--out", out.toString(), "--format", "csv", "--quiet", "--set", "output.plots=false",
                "--set", "output.discriminator=false");
        assertEquals(0, code, err.toString());
        List<String> rows;
        try (Stream<Path> parts = Files.list(out.resolve("particles.csv"))) {
            rows = parts.filter(p -> p.getFileName().toString().startsWith("part-")).flatMap(p -> {
                try {
                    return Files.readAllLines(p).stream().skip(1);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertEquals(1000, rows.size());
        assertTrue(rows.stream().allMatch(r -> r.split(",").length == 2 && Float.isFinite(Float.parseFloat(r.split(",")[0]))));
        assertEquals(60, Files.readAllLines(out.resolve("metrics.jsonl")).size());
        assertTrue(Files.readString(out.resolve("manifest.json")).contains("\"engine\":\"spark\""));
    }
}
