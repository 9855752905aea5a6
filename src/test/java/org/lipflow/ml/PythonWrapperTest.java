package org.lipflow.ml;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The PySpark wrapper under python/ byte-compiles (PySpark itself is not installed here) and
 * names the Java classes that exist.
 */
class PythonWrapperTest {
    static final Path PYTHON = Path.of("python");

    @Test
    void everyPythonFileCompiles(@TempDir Path cache) throws Exception {
        List<String> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(PYTHON)) {
            s.filter(p -> p.toString().endsWith(".py")).forEach(p -> files.add(p.toString()));
        }
        assertTrue(files.size() >= 3, "files: " + files);
        List<String> command = new ArrayList<>(List.of("python3", "-m", "py_compile"));
        command.addAll(files);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PYTHONPYCACHEPREFIX", cache.toString()); // no __pycache__ in the source tree
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            assumeTrue(false, "python3 not installed: " + e.getMessage());
            return;
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "py_compile did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
    }

    @Test
    void theWrapperNamesTheJavaStagesThatExist() throws Exception {
        String ml = Files.readString(PYTHON.resolve("lipflow/ml.py"));
        assertTrue(ml.contains("_PACKAGE = \"org.lipflow.ml\""));
        for (String stage : new String[]{"ParticleFlow", "ParticleFlowModel"}) {
            assertTrue(ml.contains("class " + stage + "("), stage);
            Class.forName("org.lipflow.ml." + stage);
        }
        assertTrue(ml.contains("_PACKAGE + \".ParticleFlow\""));
        for (String method : new String[]{"setParam", "setConfig", "particles", "metrics", "sample", "withTrajectoryStride"}) {
            assertTrue(ml.contains("_java_obj." + method + "("), method);
            boolean found = false;
            for (Class<?> c : new Class<?>[]{ParticleFlow.class, ParticleFlowModel.class}) {
                for (var m : c.getMethods()) {
                    found |= m.getName().equals(method);
                }
            }
            assertTrue(found, "Java method " + method);
        }
    }
}
