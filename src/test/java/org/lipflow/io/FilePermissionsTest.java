package org.lipflow.io;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.engine.spark.SparkSessions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files lipflow writes get the user's umask: a run in a JVM started under umask 077 leaves no
 * file or directory that group or others may read or write (Hadoop's local file system would
 * otherwise set 0644/0755 from its own default umask 022), and none is ever world-writable.
 */
class FilePermissionsTest {
    @TempDir
    Path dir;

    @Test
    void theProcessUmaskIsReadAsTheShellSeesIt() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "umask").start();
        String shell = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertEquals(0, p.waitFor());
        assertEquals(shell.substring(shell.length() - 3), FileSystems.processUmask());
    }

    /** Runs lipflow in a new JVM under {@code umask}; returns its exit code, failing with its output otherwise. */
    private static void lipflowUnderUmask(String umask, Path log, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "umask " + umask + " && exec \"$@\"", "sh",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g"));
        cmd.addAll(Arrays.asList(SparkSessions.JAVA_OPTIONS.split(" ")));
        if (System.getProperty("log4j2.configurationFile") != null) {
            cmd.add("-Dlog4j2.configurationFile=" + System.getProperty("log4j2.configurationFile"));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.lipflow.cli.Main"));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int code = p.waitFor();
        assertEquals(0, code, Files.readString(log));
    }

    /** Every file and directory under {@code roots} keeps off the bits {@code umask} masks (and o+w always). */
    private static int assertMasked(String umask, Path... roots) throws IOException {
        int mask = Integer.parseInt(umask, 8) | 0002;
        int seen = 0;
        for (Path root : roots) {
            try (Stream<Path> all = Files.walk(root)) {
                for (Path f : all.toList()) {
                    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(f);
                    int mode = 0;
                    for (PosixFilePermission b : perms) {
                        mode |= 1 << (8 - b.ordinal());
                    }
                    assertEquals(0, mode & mask, f + " is " + PosixFilePermissions.toString(perms) + " under umask " + umask);
                    seen++;
                }
            }
        }
        return seen;
    }

    private Path target() throws Exception {
        Path target = dir.resolve("target.csv");
        Files.writeString(target, "x,y\n" + String.join("\n", java.util.stream.IntStream.range(0, 40)
                .mapToObj(i -> (i % 7) * 0.3 + "," + (i % 5) * 0.2).toList()) + "\n");
        return target;
    }

    @Test
    void anInProcessRunUnderUmask077WritesNothingOthersCanRead() throws Exception {
        Path out = dir.resolve("out"), uriOut = dir.resolve("uri-out");
        lipflowUnderUmask("077", dir.resolve("a.log"), "run", "--quiet", "--target", target().toString(), "--out", out.toString(),
                "--format", "parquet", "--steps", "3");
        lipflowUnderUmask("077", dir.resolve("b.log"), "run", "--quiet", "--target", target().toString(), "--out",
                uriOut.toUri().toString(), "--format", "parquet", "--steps", "3");
        assertTrue(Files.exists(out.resolve("discriminator.zip")) && Files.exists(uriOut.resolve("particles.parquet")));
        assertTrue(assertMasked("077", out, uriOut) >= 10);
    }

    @Test
    @Tag("spark")
    void aSparkRunUnderUmask077WritesOutputsAndCheckpointsNothingOthersCanRead() throws Exception {
        Path out = dir.resolve("spark-out"), checkpoints = dir.resolve("checkpoints");
        lipflowUnderUmask("077", dir.resolve("c.log"), "run", "--quiet", "--target", target().toString(), "--out", out.toString(),
                "--format", "parquet", "--steps", "4", "--engine", "spark", "--master", "local[2]",
                "--set", "engine.checkpoint-dir=" + checkpoints.toUri(), "--set", "engine.checkpoint-interval=2",
                "--set", "engine.keep-checkpoints=true");
        assertTrue(Files.isDirectory(out.resolve("particles.parquet")) && Files.exists(checkpoints));
        try (Stream<Path> s = Files.walk(checkpoints)) {
            assertTrue(s.anyMatch(Files::isRegularFile), "a checkpoint was kept");
        }
        assertTrue(assertMasked("077", out, checkpoints) >= 10);
    }
}
