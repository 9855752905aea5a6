package org.lipflow.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.engine.spark.SparkTestSession;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Secrets never land in outputs: a fake credential planted in each place one travels (a
 * configuration key, --set, a Hadoop property, a URI that fails) appears in no output file, no
 * line on stdout/stderr and no log line.
 */
class SecretsCliTest {
    private static final String SECRET = "PLANTEDs3cr3tVALUE";

    @TempDir
    Path dir;

    /** Everything a user would see on the console: lines of a configured appender (wrapped by lipflow like the console). */
    private final List<String> logged = Collections.synchronizedList(new ArrayList<>());
    private AbstractAppender capture;

    @BeforeEach
    void captureLogs() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        capture = new AbstractAppender("secrets-capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent e) {
                StringWriter trace = new StringWriter();
                if (e.getThrown() != null) {
                    e.getThrown().printStackTrace(new PrintWriter(trace));
                }
                logged.add(e.getLevel() + " " + e.getMessage().getFormattedMessage() + " " + trace);
            }
        };
        capture.start();
        Configuration config = ctx.getConfiguration();
        config.addAppender(capture);
        config.getRootLogger().addAppender(capture, Level.INFO, null);
        ctx.updateLoggers();
    }

    @AfterEach
    void stopCapture() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        config.getRootLogger().removeAppender(capture.getName());
        config.getRootLogger().removeAppender(capture.getName() + ".lipflow-redacted");
        ctx.updateLoggers();
        capture.stop();
    }

    private void assertNowhere(CliTest.Result r, Path... outputs) throws IOException {
        assertFalse(r.out().contains(SECRET), "stdout: " + r.out());
        assertFalse(r.err().contains(SECRET), "stderr: " + r.err());
        synchronized (logged) {
            for (String line : logged) {
                assertFalse(line.contains(SECRET), "log line: " + line);
            }
        }
        for (Path out : outputs) {
            if (!Files.exists(out)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(out)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                    assertFalse(text.contains(SECRET), f + " holds the secret");
                }
            }
        }
    }

    private Path target() throws IOException {
        Path f = dir.resolve("target.csv");
        CliTest.Result r = CliTest.lipflow("datasets", "--name", "gaussian", "--n", "50", "--seed", "1", "--out", f.toString());
        assertEquals(0, r.code(), r.err());
        return f;
    }

    @Test
    void uriCredentialsInAConfigFileAndInSetAreRedactedInTheManifest() throws IOException {
        Path target = target();
        Path conf = dir.resolve("run.conf");
        Files.writeString(conf, "engine.checkpoint-dir = \"s3a://AKIAFAKE:" + SECRET + "@bucket/ckpt\"\nflow.steps = 3\n");
        Path out = dir.resolve("out");
        CliTest.Result r = CliTest.lipflow("run", conf.toString(), "--target", target.toString(), "--out", out.toString(),
                "--format", "csv", "--set", "latent.out=\"hdfs://user:" + SECRET + "@nn:8020/m\"");
        assertEquals(0, r.code(), r.err());
        String manifest = Files.readString(out.resolve("manifest.json"));
        assertTrue(manifest.contains("s3a://[redacted]@bucket/ckpt") && manifest.contains("hdfs://[redacted]@nn:8020/m"), manifest);
        assertNowhere(r, out);
    }

    @Test
    void aSecretNamedKeyIsRefusedWithoutEchoingItsValue() throws IOException {
        Path target = target();
        Path out = dir.resolve("out");
        CliTest.Result set = CliTest.lipflow("run", "--target", target.toString(), "--out", out.toString(),
                "--set", "spark.hadoop.fs.s3a.secret.key=" + SECRET);
        assertEquals(2, set.code(), set.err());
        Path conf = dir.resolve("run.conf");
        Files.writeString(conf, "fs.s3a.secret.key = \"" + SECRET + "\"\n");
        CliTest.Result file = CliTest.lipflow("run", conf.toString(), "--target", target.toString(), "--out", out.toString());
        assertEquals(2, file.code(), file.err());
        assertNowhere(set, out);
        assertNowhere(file, out);
    }

    @Test
    void failingUrisWithCredentialsAreReportedWithoutThem() throws IOException {
        Path target = target();
        Path out = dir.resolve("out");
        String uri = "s3a://AKIAFAKE:" + SECRET + "@bucket/";
        CliTest.Result badTarget = CliTest.lipflow("run", "--target", uri + "x.csv", "--out", out.toString());
        assertEquals(2, badTarget.code(), badTarget.err());
        assertEquals(1, badTarget.err().strip().lines().count(), badTarget.err());
        CliTest.Result wrongFs = CliTest.lipflow("run", "--target", "file://user:" + SECRET + "@host/x.csv", "--out", out.toString());
        assertEquals(2, wrongFs.code(), wrongFs.err());
        assertTrue(wrongFs.err().contains("file://[redacted]@host/x.csv"), wrongFs.err());
        CliTest.Result badOut = CliTest.lipflow("run", "--target", target.toString(), "--out", "file://user:" + SECRET + "@host/out", "--steps", "2");
        assertTrue(badOut.code() != 0, badOut.err());
        assertTrue(badOut.err().contains("[redacted]"), badOut.err());
        CliTest.Result badModel = CliTest.lipflow("run", "--target", target.toString(), "--out", out.toString(),
                "--set", "latent.model=\"" + uri + "model\"");
        assertEquals(2, badModel.code(), badModel.err());
        assertNowhere(badTarget, out);
        assertNowhere(wrongFs, out);
        assertNowhere(badOut, out);
        assertNowhere(badModel, out);
    }

    @Test
    @Tag("spark")
    void onSparkAHadoopPropertyAndAFailingUriLeaveNoTrace() throws IOException {
        Path target = target();
        System.setProperty("spark.hadoop.fs.s3a.secret.key", SECRET);
        System.setProperty("spark.hadoop.fs.s3a.access.key", "AKIAFAKE" + SECRET);
        try {
            SparkTestSession.stop(); // a session lipflow starts, with the planted properties
            Path out = dir.resolve("spark-out");
            CliTest.Result ok = CliTest.lipflow("run", "--target", target.toString(), "--out", out.toString(), "--format", "csv",
                    "--steps", "3", "--engine", "spark", "--master", "local[2]");
            assertEquals(0, ok.code(), ok.err());
            CliTest.Result bad = CliTest.lipflow("run", "--target", "s3a://AKIAFAKE:" + SECRET + "@bucket/x.csv",
                    "--out", dir.resolve("spark-bad").toString(), "--engine", "spark", "--master", "local[2]", "--steps", "2");
            assertEquals(2, bad.code(), bad.err());
            assertNowhere(ok, out);
            assertNowhere(bad, dir.resolve("spark-bad"));
        } finally {
            System.clearProperty("spark.hadoop.fs.s3a.secret.key");
            System.clearProperty("spark.hadoop.fs.s3a.access.key");
        }
    }
}
