package org.lipflow.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.engine.spark.SparkTestSession;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input on the Spark engine ends like on the in-process engine: exit code 2 and one line on
 * stderr, with no Spark task-failure logs or stack traces above it.
 */
@Tag("spark")
class SparkErrorsCliTest {
    @TempDir
    Path dir;

    /** Runs on the Spark engine; asserts exit code 2, the message, one line, no log lines and no output. */
    void assertOneLineError(String message, String... args) {
        SparkTestSession.get("local[2]"); // the run joins it, as a second run in a notebook would
        Path out = dir.resolve("out");
        List<String> a = new java.util.ArrayList<>(List.of("run", "--engine", "spark", "--partitions", "2", "--quiet", "--steps", "3",
                "--out", out.toString(), "--format", "csv", "--set", "output.plots=false", "--set", "output.discriminator=false"));
        a.addAll(Arrays.asList(args));
        StringWriter err = new StringWriter();
        int code;
        List<String> logged;
        try (LogCapture log = new LogCapture()) {
            code = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), a.toArray(String[]::new));
            logged = log.lines();
        }
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains(message), err.toString());
        // the error is one line; the engine line printed before the source is read is the run's own log
        assertEquals(1, err.toString().strip().lines().filter(l -> !l.startsWith("lipflow: engine spark")).count(), "one line: " + err);
        assertEquals(List.of(), logged, "no Spark log lines above the error");
        assertFalse(Files.exists(out));
    }

    @Test
    void aMissingTargetFileIsAOneLineError() {
        Path missing = dir.resolve("missing.csv");
        assertOneLineError(missing + ": file not found", "--target", missing.toString());
    }

    @Test
    void aMissingSourceFileIsAOneLineError() throws IOException {
        Path target = Files.writeString(dir.resolve("t.csv"), "x1,x2\n1,2\n3,4\n");
        Path missing = dir.resolve("missing-source.parquet");
        assertOneLineError(missing + ": file not found", "--target", target.toString(), "--source", missing.toString());
    }

    @Test
    void aTruncatedParquetFileIsAOneLineError() throws IOException {
        Path good = dir.resolve("t.parquet");
        assertEquals(0, Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                "datasets", "--name", "mixture4", "--n", "200", "--out", good.toString()));
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = Files.write(dir.resolve("truncated.parquet"), Arrays.copyOf(bytes, bytes.length / 2));
        assertOneLineError(truncated + ": not a readable Parquet file (truncated or corrupt", "--target", truncated.toString());
    }

    @Test
    void aNaNInAFileReadBySparkIsOneLineWithoutTaskFailureLogs() throws IOException {
        Path nan = Files.writeString(dir.resolve("nan.csv"), "x1,x2\n1,2\n3,4\nNaN,5\n6,7\n");
        assertOneLineError("column x1: non-finite value 'NaN'", "--target", nan.toString());
    }
}
