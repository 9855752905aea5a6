package org.lipflow.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.config.LipflowConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * jobs/airflow/lipflow_dag.py: it compiles, everything it names exists (job jar name, main class,
 * configuration files, the CLI flags and --set keys of each lipflow command it submits), and, run
 * against a stand-in Airflow (src/test/resources/airflow-stubs; no Airflow is installed here), it
 * builds fit_autoencoder >> flow >> check_manifest, fails without retry on lipflow's exit codes 2
 * and 3 but retries 1 and 143, and its manifest check reads a run's final monitors.
 */
class AirflowDagTest {
    static final String DAG = "jobs/airflow/lipflow_dag.py";

    /** A lipflow command line in the DAG: a Python list that starts with a command name. */
    private static final Pattern COMMAND = Pattern.compile(
            "\\[\\s*\"(run|autoencoder|datasets|divergence|bench|eval)\"\\s*,(.*?)\\]\\s*,?\\s*\\)", Pattern.DOTALL);
    private static final Pattern FLAG = Pattern.compile("[\"'](--[a-z][\\w-]*)[\"']");
    private static final Pattern SET_KEY = Pattern.compile("\"--set\"\\s*,\\s*f?[\"']([\\w.-]+)=");

    @TempDir
    Path dir;

    @Test
    void theDagCompiles() throws Exception {
        assumeTrue(python3() != null, "python3 on the PATH");
        Process p = new ProcessBuilder(python3(), "-c", "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)",
                DAG, dir.resolve("dag.pyc").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
    }

    @Test
    void everyJarClassFileFlagAndKeyTheDagNamesExists() throws Exception {
        String dag = DeploymentFiles.read(DAG);
        assertTrue(DeploymentFiles.assertJobJarNames(DAG, dag) >= 1, "the DAG names the job jar");
        assertEquals(List.of("org.lipflow.cli.Main"), DeploymentFiles.assertLipflowClasses(DAG, dag));
        List<String> paths = DeploymentFiles.assertRepoPaths(DAG, dag);
        for (String p : List.of("conf/spark-defaults.conf", "conf/log4j2.properties", "conf/examples/fashion-mnist-autoencoder.conf",
                "conf/examples/fashion-mnist-latent.conf")) {
            assertTrue(paths.contains(p), "the DAG uses " + p);
        }
        List<String> commands = new ArrayList<>();
        Config keys = LipflowConfig.defaults();
        for (Matcher m = COMMAND.matcher(dag); m.find(); ) {
            String command = m.group(1);
            commands.add(command);
            Set<String> options = DeploymentFiles.options(command);
            for (Matcher f = FLAG.matcher(m.group(2)); f.find(); ) {
                String flag = f.group(1);
                assertTrue(options.contains(flag),
                        "lipflow " + command + " has no option " + flag + " (options: " + options + ")");
            }
            for (Matcher k = SET_KEY.matcher(m.group(2)); k.find(); ) {
                assertTrue(keys.hasPath(k.group(1)), "--set " + k.group(1) + " is a configuration key");
            }
        }
        assertEquals(List.of("autoencoder", "run"), commands, "the DAG submits the autoencoder, then the flow");
    }

    @Test
    void theDagFailsWithoutRetryOnBadInputAndBlowUpAndReadsTheManifest() throws Exception {
        assumeTrue(python3() != null, "python3 on the PATH");
        ProcessBuilder pb = new ProcessBuilder(python3(), "src/test/resources/airflow-stubs/run_dag.py", DAG, dir.toString())
                .redirectError(dir.resolve("stderr.txt").toFile());
        pb.environment().put("PYTHONPATH", Path.of("src/test/resources/airflow-stubs").toAbsolutePath().toString());
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        pb.environment().put("LIPFLOW_HOME", Path.of("").toAbsolutePath().toString());
        pb.environment().remove("LIPFLOW_JOB_JAR");
        Process p = pb.start();
        String json = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("stderr.txt")));
        Config out = ConfigFactory.parseString(json, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));

        assertEquals(List.of(List.of("fit_autoencoder", "flow"), List.of("flow", "check_manifest")), out.getAnyRefList("edges"));
        assertEquals("3", out.getString("default_args.retries"));
        for (String task : List.of("fit_autoencoder", "flow")) {
            Config t = out.getConfig("tasks." + task);
            assertEquals("LipflowSparkSubmitOperator", t.getString("operator"));
            assertEquals("org.lipflow.cli.Main", t.getString("java_class"));
            assertEquals(DeploymentFiles.jobJarName(), Path.of(t.getString("application")).getFileName().toString());
            assertTrue(Files.isRegularFile(Path.of(t.getString("properties_file"))), t.getString("properties_file"));
            assertEquals("client", t.getString("deploy_mode"), "lipflow's exit code reaches Airflow only in client mode");
            for (String arg : t.getStringList("application_args")) {
                if (arg.startsWith(Path.of("").toAbsolutePath().toString())) {
                    assertTrue(Files.exists(Path.of(arg)), task + " names " + arg);
                }
            }
            assertTrue(t.getStringList("application_args").stream().anyMatch(a -> a.endsWith("/dt={{ ds }}")),
                    task + " writes a {{ ds }} partition");
        }
        assertTrue(out.getStringList("tasks.flow.application_args").contains("--resume"), "a retried flow continues");

        assertEquals("retry", out.getString("exit.1"), "exit 1 (anything else) is retried");
        assertEquals("fail", out.getString("exit.2"), "exit 2 (bad input) fails without retry");
        assertEquals("fail", out.getString("exit.3"), "exit 3 (numerical blow-up) fails without retry");
        assertEquals("retry", out.getString("exit.143"), "exit 143 (SIGTERM after a checkpoint) is retried and resumes");

        assertEquals(40, out.getInt("manifest.finished.steps"));
        assertEquals(0.05, out.getDouble("manifest.finished.divergence"), 1e-12);
        assertTrue(out.getString("manifest.non_finite").startsWith("fail:"), out.getString("manifest.non_finite"));
        assertFalse(Files.exists(Path.of("src/test/resources/airflow-stubs/airflow/__pycache__")), "no bytecode in the sources");
    }

    private static String python3() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "python3"))) {
                return Path.of(dir, "python3").toString();
            }
        }
        return null;
    }
}
