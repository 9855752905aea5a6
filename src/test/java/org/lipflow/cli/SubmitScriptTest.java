package org.lipflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jobs/submit.sh with a stand-in spark-submit that records its arguments and the properties file
 * it was given: what the script adds to a submission, its --help, and its --secure rules. The
 * real spark-submit runs in StandaloneClusterIT.
 */
class SubmitScriptTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String args, String properties) {
    }

    Result submit(Map<String, String> env, String... args) throws Exception {
        Path fake = dir.resolve("spark-submit");
        Files.writeString(fake, "#!/usr/bin/env bash\n"
                + "printf '%s\\n' \"$@\" > \"$RECORD/args\"\n"
                + "[ \"$1\" != --properties-file ] || { cp \"$2\" \"$RECORD/properties\"; stat -c %a \"$2\" > \"$RECORD/mode\"; }\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        Path jar = Files.writeString(dir.resolve("lipflow-job.jar"), "");
        List<String> cmd = new ArrayList<>(List.of("jobs/submit.sh"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SPARK_SUBMIT", fake.toString());
        pb.environment().put("RECORD", dir.toString());
        pb.environment().put("LIPFLOW_JOB_JAR", jar.toString());
        pb.environment().put("SPARK_CONF_DIR", dir.resolve("no-conf").toString());
        pb.environment().remove("_SPARK_AUTH_SECRET");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        Path a = dir.resolve("args"), props = dir.resolve("properties");
        return new Result(p.exitValue(), out, Files.exists(a) ? Files.readString(a) : "", Files.exists(props) ? Files.readString(props) : "");
    }

    @Test
    void aSubmissionCarriesSparkDefaultsTheOffHeapLimitAndLog4jThenTheUsersOptions() throws Exception {
        Result r = submit(Map.of("LIPFLOW_OFFHEAP", "3G"), "--master", "spark://h:7077", "--conf", "spark.task.cpus=2",
                "--", "run", "conf/examples/gaussian-mixture.conf", "--engine", "spark");
        assertEquals(0, r.code(), r.out());
        List<String> args = r.args().lines().toList();
        assertEquals("--properties-file", args.get(0));
        assertEquals(List.of("--class", "org.lipflow.cli.Main", "--master", "spark://h:7077", "--conf", "spark.task.cpus=2"),
                args.subList(2, 8), "the user's options come after the properties file, so they win");
        assertEquals(List.of("run", "conf/examples/gaussian-mixture.conf", "--engine", "spark"), args.subList(9, 13));
        String p = r.properties();
        assertTrue(p.contains("spark.serializer                    org.apache.spark.serializer.KryoSerializer"), p);
        assertTrue(p.contains("spark.kryo.registrator              org.lipflow.engine.spark.LipflowKryoRegistrator"), p);
        assertTrue(p.matches("(?s).*spark\\.driver\\.defaultJavaOptions +--add-modules=jdk\\.incubator\\.vector .*--add-opens=java\\.base/java\\.util=ALL-UNNAMED.*"
                + " -Dorg\\.bytedeco\\.javacpp\\.maxbytes=3G -Dlog4j2\\.configurationFile=file:.*/conf/log4j2\\.properties\n.*"), p);
        assertTrue(p.matches("(?s).*spark\\.executor\\.defaultJavaOptions +--add-modules=jdk\\.incubator\\.vector .* -Dorg\\.bytedeco\\.javacpp\\.maxbytes=3G\n.*"), p);
        assertEquals("600", Files.readString(dir.resolve("mode")).strip(), "the properties file is private");
        assertFalse(p.contains("spark.authenticate"), "security only with --secure");
    }

    @Test
    void secureAddsAuthenticationAndEncryptionWithTheSecretInThePrivateFileOnly() throws Exception {
        Path secretFile = Files.writeString(dir.resolve("secret"), "s3cr\\et-value\n");
        Result r = submit(Map.of("LIPFLOW_SPARK_SECRET_FILE", secretFile.toString()), "--secure", "--master", "spark://h:7077",
                "--", "run", "x.conf");
        assertEquals(0, r.code(), r.out());
        for (String key : List.of("spark.authenticate true", "spark.network.crypto.enabled true", "spark.io.encryption.enabled true")) {
            assertTrue(r.properties().contains(key + "\n"), key);
        }
        assertTrue(r.properties().contains("spark.authenticate.secret s3cr\\\\et-value\n"), "escaped for java.util.Properties");
        assertFalse(r.args().contains("s3cr"), "the secret is not on the command line");
        assertFalse(r.args().contains("--secure"), "--secure is submit.sh's own option");

        Result yarn = submit(Map.of(), "--secure", "--master", "yarn", "--", "run", "x.conf");
        assertEquals(0, yarn.code(), "YARN generates the secret");
        assertFalse(yarn.properties().contains("spark.authenticate.secret"));
    }

    @Test
    void theDriverJvmsIncubatorNoteIsDroppedAndEverythingElseAndTheExitCodePass() throws Exception {
        Path noisy = Files.writeString(dir.resolve("noisy-spark-submit"), "#!/usr/bin/env bash\n"
                + "echo 'WARNING: Using incubator modules: jdk.incubator.vector' >&2\n"
                + "echo '{\"divergence\": 0.1}'\n"
                + "echo 'lipflow: warning: dt*L = 0.5 is large' >&2\n"
                + "exit 3\n");
        Files.setPosixFilePermissions(noisy, PosixFilePermissions.fromString("rwx------"));
        Result r = submit(Map.of("SPARK_SUBMIT", noisy.toString()), "--master", "local[1]", "--", "run", "x.conf", "--quiet");
        assertEquals(3, r.code(), r.out());
        // stdout and stderr are merged here, in whichever order they arrive
        assertEquals(List.of("lipflow: warning: dt*L = 0.5 is large", "{\"divergence\": 0.1}"), r.out().lines().sorted().toList(),
                r.out());
    }

    @Test
    void secureOnAStandaloneMasterWithoutASecretIsAOneLineError() throws Exception {
        Result r = submit(Map.of(), "--secure", "--master", "spark://h:7077", "--", "run", "x.conf");
        assertEquals(2, r.code());
        assertEquals(1, r.out().lines().count(), r.out());
        assertTrue(r.out().contains("LIPFLOW_SPARK_SECRET_FILE"), r.out());
        assertEquals("", r.args(), "spark-submit not run");
    }

    @Test
    void helpDocumentsMemoryJavaFlagsKryoAndSecurity() throws Exception {
        Result r = submit(Map.of(), "--help");
        assertEquals(0, r.code());
        for (String s : List.of("--executor-memory", "spark.executor.memoryOverhead", "LIPFLOW_OFFHEAP", "--add-opens",
                "--add-modules=jdk.incubator.vector", "KryoSerializer", "LipflowKryoRegistrator", "spark.task.cpus", "--secure",
                "spark.authenticate", "spark.network.crypto.enabled", "spark.io.encryption.enabled", "LIPFLOW_SPARK_SECRET_FILE")) {
            assertTrue(r.out().contains(s), "--help mentions " + s);
        }
    }
}
