package org.lipflow.ml;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.engine.spark.SparkSessions;

import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the code cells of jobs/notebooks/lipflow-quickstart.ipynb in order through the JDK's
 * jshell engine ({@code jdk.jshell}, which the JJava/IJava kernels run: each cell is cut into
 * snippets by jshell's own source analysis and evaluated in a remote JVM) with the test class path
 * and the JVM options a kernel needs, so the notebook cannot go stale. A snippet that does not
 * compile or throws fails the test, naming the cell. Kernel magics ({@code %jars}) are dropped:
 * the class path is already set.
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

        List<String> vm = new ArrayList<>(List.of("-Xmx2g", "-Dspark.ui.enabled=false", "-Duser.dir=" + dir.toAbsolutePath(),
                "-Dlog4j2.configurationFile=" + new File("conf/log4j2.properties").getAbsolutePath()));
        vm.addAll(List.of(SparkSessions.JAVA_OPTIONS.split(" ")));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        // a kernel's engine: JShell with a remote execution JVM, each cell cut into snippets as the kernels cut it
        try (JShell shell = JShell.builder().out(out).err(out).remoteVMOptions(vm.toArray(new String[0])).build()) {
            shell.addToClasspath(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
            for (int c = 0; c < cells.size(); c++) {
                String remaining = cells.get(c);
                while (!remaining.isBlank()) {
                    SourceCodeAnalysis.CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(remaining);
                    assertTrue(info.completeness().isComplete(), "cell " + (c + 1) + " ends in an incomplete snippet: " + remaining);
                    for (SnippetEvent e : shell.eval(info.source())) {
                        String where = "code cell " + (c + 1) + ", snippet: " + info.source().strip();
                        if (e.exception() != null) {
                            fail(where + "\nthrew " + e.exception() + "\n" + tail(bytes.toString(StandardCharsets.UTF_8)));
                        }
                        if (e.status() == Snippet.Status.REJECTED) {
                            StringBuilder why = new StringBuilder();
                            shell.diagnostics(e.snippet()).forEach(d -> why.append(d.getMessage(null)).append('\n'));
                            fail(where + "\ndoes not compile: " + why);
                        }
                    }
                    remaining = info.remaining();
                }
            }
        }
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("sampled 1000 points"), tail(output));
        assertTrue(output.contains("plots: true, true"), tail(output));
        assertTrue(output.contains("reloaded model: 200 steps, 500 new samples"), tail(output));
        assertTrue(Files.size(dir.resolve("lipflow-quickstart-out/samples.png")) > 1000, "samples.png written in the working directory");
    }

    private static String tail(String s) {
        return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
    }
}
