package org.lipflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jobs/lipflow with a stand-in java (a built jar and class path files in place, so it does not
 * build): the JVM's note about the incubator module is dropped from stderr, so --quiet is quiet;
 * every other line, lipflow's warnings and errors included, passes, and java keeps the script's
 * process id (signals reach it) and exit code.
 */
class LauncherScriptTest {
    @TempDir
    Path dir;

    @Test
    void theJvmsIncubatorNoteIsDroppedAndEverythingElsePasses() throws Exception {
        Path home = Files.createDirectories(dir.resolve("lipflow"));
        Files.createDirectories(home.resolve("jobs"));
        Path script = Files.copy(Path.of("jobs/lipflow"), home.resolve("jobs/lipflow"));
        Files.createDirectories(home.resolve("target"));
        Files.writeString(home.resolve("target/lipflow-0.1.0-SNAPSHOT.jar"), "");
        Files.writeString(home.resolve("target/classpath.txt"), "");
        Files.writeString(home.resolve("target/classpath.txt.provided"), "");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path java = Files.writeString(bin.resolve("java"), "#!/usr/bin/env bash\n"
                + "echo 'WARNING: Using incubator modules: jdk.incubator.vector' >&2\n"
                + "echo \"pid $$\"\n"
                + "echo 'lipflow: warning: dt*L = 0.5 is large' >&2\n"
                + "echo 'lipflow: warning: jdk.incubator.vector is not on the module path' >&2\n"
                + "echo 'WARNING: Using incubator modules: jdk.incubator.vector (again, not at the start)' >&2\n"
                + "echo 'lipflow: error: target.path = t.csv: no data rows' >&2\n"
                + "exit 2\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "run", "--quiet");
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("LIPFLOW_GIT_REVISION", "test");
        pb.environment().put("SPARK_HOME", dir.resolve("spark-home").toString());
        Process p = pb.start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String stderr = new String(err.get(60, TimeUnit.SECONDS));
        assertEquals("lipflow: warning: dt*L = 0.5 is large\n"
                + "lipflow: warning: jdk.incubator.vector is not on the module path\n"
                + "WARNING: Using incubator modules: jdk.incubator.vector (again, not at the start)\n"
                + "lipflow: error: target.path = t.csv: no data rows\n", stderr, "only the JVM's exact line is dropped");
        assertEquals("pid " + p.pid() + "\n", out, "java replaces the script: same process id, stdout untouched");
        assertEquals(2, p.exitValue(), "java's exit code");
    }
}
