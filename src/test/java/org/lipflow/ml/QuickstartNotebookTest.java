package org.lipflow.ml;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.engine.spark.SparkSessions;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the code cells of jobs/notebooks/lipflow-quickstart.ipynb in order through the JDK's
 * {@code jshell} (the engine the JJava/IJava kernels run), with the test class path and the JVM
 * options a kernel needs, so the notebook cannot go stale. Kernel magics ({@code %jars}) are
 * dropped: the class path is already set.
 */
@Tag("spark")
class QuickstartNotebookTest {
    static final Path NOTEBOOK = Path.of("jobs/notebooks/lipflow-quickstart.ipynb");

    /** The code cells' sources in order, magic lines removed. */
    static List<String> codeCells(Path notebook) throws Exception {
        Config nb = ConfigFactory.parseString(Files.readString(notebook, StandardCharsets.UTF_8));
        List<String> cells = new ArrayList<>();
        for (Config cell : nb.getConfigList("cells")) {
            if (!cell.getString("cell_type").equals("code")) {
                continue;
            }
            StringBuilder code = new StringBuilder();
            for (String line : cell.getStringList("source")) {
                if (!line.stripLeading().startsWith("%")) {
                    code.append(line);
                }
            }
            if (!code.toString().isBlank()) {
                cells.add(code.toString().stripTrailing());
            }
        }
        return cells;
    }

    @Test
    void theNotebookHasAJavaKernelAndItsCellsRunInOrderThroughJshell(@TempDir Path dir) throws Exception {
        Config nb = ConfigFactory.parseString(Files.readString(NOTEBOOK, StandardCharsets.UTF_8));
        assertEquals("java", nb.getString("metadata.kernelspec.language"));
        List<String> cells = codeCells(NOTEBOOK);
        assertTrue(cells.size() >= 6, cells.size() + " code cells");
        Path script = dir.resolve("notebook.jsh");
        Files.writeString(script, String.join("\n", cells) + "\nSystem.out.println(\"NOTEBOOK-DONE\");\n/exit\n");

        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jshell").toString(),
                "--class-path", classPath, "--feedback", "normal", "-R-Xmx2g", "-R-Dspark.ui.enabled=false",
                "-R-Dlog4j2.configurationFile=" + new File("conf/log4j2.properties").getAbsolutePath()));
        for (String option : SparkSessions.JAVA_OPTIONS.split(" ")) {
            command.add("-R" + option);
        }
        command.add(script.toString());
        Path log = dir.resolve("jshell.log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
        boolean finished = p.waitFor(600, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly();
        }
        String output = Files.readString(log);
        assertTrue(finished, "jshell did not finish in 10 minutes:\n" + tail(output));
        assertFalse(output.contains("|  Error:") || output.contains("|  Exception") || output.contains("|  Caused by"),
                "a cell failed:\n" + tail(output));
        assertTrue(output.contains("sampled 1000 points"), tail(output));
        assertTrue(output.contains("plots: true, true"), tail(output));
        assertTrue(output.contains("reloaded model: 300 steps, 500 new samples"), tail(output));
        assertTrue(output.contains("NOTEBOOK-DONE"), tail(output));
        assertTrue(Files.size(dir.resolve("lipflow-quickstart-out/samples.png")) > 1000);
    }

    private static String tail(String s) {
        return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
    }
}
