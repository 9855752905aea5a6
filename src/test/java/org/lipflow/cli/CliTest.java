package org.lipflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as users script against it: outputs, exit codes and one-line errors. */
class CliTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result lipflow(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    Path dataset(String name, int n, long seed, String... extra) {
        Path f = dir.resolve(name + "-" + seed + ".csv");
        List<String> a = new ArrayList<>(List.of("datasets", "--name", name, "--n", "" + n, "--seed", "" + seed, "--out", f.toString()));
        a.addAll(Arrays.asList(extra));
        Result r = lipflow(a.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return f;
    }

    Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    /** A run on small CSV inputs; returns the result. */
    Result run(Path target, Path source, Path out, String... extra) {
        String given = String.join(" ", extra);
        List<String> a = new ArrayList<>(List.of("run", "--set", "output.progress=false"));
        if (!given.contains("--out")) {
            a.addAll(List.of("--out", out.toString()));
        }
        if (!given.contains("--target")) {
            a.addAll(List.of("--target", target.toString()));
        }
        if (!given.contains("--format")) {
            a.addAll(List.of("--format", "csv"));
        }
        if (!given.contains("--steps")) {
            a.addAll(List.of("--steps", "30"));
        }
        if (source != null) {
            a.addAll(List.of("--source", source.toString()));
        }
        a.addAll(Arrays.asList(extra));
        return lipflow(a.toArray(String[]::new));
    }

    /** No output directory and no temporary sibling after a failure. */
    static void assertNothingWritten(Path out) throws IOException {
        assertFalse(Files.exists(out), "no output directory after a failure");
        try (Stream<Path> s = Files.list(out.getParent())) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary directory left");
        }
    }

    @Test
    void runWritesParticlesMetricsManifestAndPlots() throws IOException {
        Path target = dataset("mixture4", 200, 0);
        Path out = dir.resolve("run");
        Result r = run(target, null, out, "--particles", "100", "--set", "output.snapshots=3");
        assertEquals(0, r.code(), r.err());
        List<String> particles = Files.readAllLines(out.resolve("particles.csv"));
        assertEquals("x1,x2", particles.get(0), "same columns as the target");
        assertEquals(101, particles.size());
        List<String> metrics = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertEquals(30, metrics.size());
        for (String key : new String[]{"\"step\":30", "\"divergence\":", "\"kinetic_energy\":", "\"max_speed\":", "\"millis\":"}) {
            assertTrue(metrics.get(29).contains(key), key + " in " + metrics.get(29));
        }
        String manifest = Files.readString(out.resolve("manifest.json"));
        for (String key : new String[]{"\"seed\":0", "\"engine\":\"inprocess\"", "\"sha256\":", "\"versions\":", "\"config\":{"}) {
            assertTrue(manifest.contains(key), key + " in manifest");
        }
        for (String png : new String[]{"divergence.png", "kinetic-energy.png", "particles-step-000000.png", "particles-step-000015.png",
                "particles-step-000030.png", "discriminator.zip"}) {
            assertTrue(Files.size(out.resolve(png)) > 1000, png);
        }
    }

    @Test
    void runWithAConfigFileAndParquetOutputRoundTrips() throws IOException {
        Path out = dir.resolve("pq");
        Result r = lipflow("run", "conf/examples/gaussian-mixture.conf", "--steps", "5", "--out", out.toString(), "--quiet",
                "--set", "output.plots=false");
        assertEquals(0, r.code(), r.err());
        Path again = dir.resolve("again");
        Result r2 = lipflow("run", "--conf", "conf/examples/gaussian-mixture.conf", "--source", out.resolve("particles.parquet").toString(),
                "--steps", "2", "--out", again.toString(), "--format", "csv", "--quiet", "--set", "output.plots=false");
        assertEquals(0, r2.code(), r2.err());
        assertEquals(201, Files.readAllLines(again.resolve("particles.csv")).size());
    }

    @Test
    void outputToAHadoopUriIsCommittedAtomicallyAndRefusedWhenItExists() throws IOException {
        Path target = dataset("gaussian", 50, 0);
        Path out = dir.resolve("hadoop-out");
        String uri = out.toUri().toString(); // file:///...: written through Hadoop's FileSystem
        Result r = run(target, null, out, "--out", uri, "--set", "output.plots=false");
        assertEquals(0, r.code(), r.err());
        assertEquals(201, Files.readAllLines(out.resolve("particles.csv")).size());
        assertTrue(Files.exists(out.resolve("metrics.jsonl")) && Files.exists(out.resolve("manifest.json")));
        Result again = run(target, null, out, "--out", uri);
        assertEquals(2, again.code());
        assertTrue(again.err().contains("already exists"), again.err());
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary directory left");
        }
    }

    @Test
    void autoEngineRunsSmallLocalProblemsInProcessAndSaysWhy() throws IOException {
        Path target = dataset("gaussian", 50, 0);
        Path out = dir.resolve("auto");
        Result r = run(target, null, out, "--engine", "auto", "--set", "output.plots=false");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("engine inprocess (auto: 200 particles <= engine.auto-max-particles"), r.err());
        String manifest = Files.readString(out.resolve("manifest.json"));
        assertTrue(manifest.contains("\"engine\":\"inprocess\"") && manifest.contains("\"engine_reason\":\"auto: 200 particles"),
                manifest);
    }

    @Test
    void conditionalRunKeepsTheLabelColumn() throws IOException {
        Path target = dataset("mixture4", 200, 0, "--labels");
        Path out = dir.resolve("cond");
        Result r = run(target, null, out);
        assertEquals(0, r.code(), r.err());
        assertEquals("x1,x2,label", Files.readAllLines(out.resolve("particles.csv")).get(0));
    }

    @Test
    void existingOutputIsRefusedWithoutOverwriteAndAPreviousLipflowOutputIsReplacedWithIt() throws IOException {
        Path target = dataset("gaussian", 50, 0);
        Path out = dir.resolve("exists");
        assertEquals(0, run(target, null, out, "--steps", "3", "--set", "output.plots=false").code());
        Result r = run(target, null, out);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("already exists"), r.err());
        assertEquals(3, Files.readAllLines(out.resolve("metrics.jsonl")).size(), "the previous output is untouched");
        Result r2 = run(target, null, out, "--overwrite", "--set", "output.plots=false");
        assertEquals(0, r2.code(), r2.err());
        assertEquals(30, Files.readAllLines(out.resolve("metrics.jsonl")).size(), "replaced by the new run");
    }

    @Test
    void overwriteReplacesAnEmptyDirectory() throws IOException {
        Path target = dataset("gaussian", 50, 0);
        Path out = Files.createDirectories(dir.resolve("empty"));
        Result r = run(target, null, out, "--overwrite", "--set", "output.plots=false");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("manifest.json")));
    }

    void assertRefusedInOneLine(Result r, String message) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(message), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }

    @Test
    void overwriteRefusesADirectoryThatIsNotALipflowOutput() throws IOException {
        Path target = dataset("gaussian", 50, 0);
        Path out = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(out.resolve("thesis.tex"), "years of work");
        Files.writeString(out.resolve("manifest.json"), "{\"command\":\"build\",\"versions\":{\"maven\":\"3\"}}");
        assertRefusedInOneLine(run(target, null, out, "--overwrite"), "is not a lipflow output");
        assertEquals("years of work", Files.readString(out.resolve("thesis.tex")));
        Files.writeString(out.resolve("manifest.json"), "not json {");
        assertRefusedInOneLine(run(target, null, out, "--overwrite"), "is not a lipflow output");
        assertTrue(Files.exists(out.resolve("thesis.tex")));
    }

    @Test
    void overwriteRefusesADirectoryHoldingAnInputOfTheRun() throws IOException {
        // a previous lipflow output, then used as the input of the next run into the same directory
        Path target = dataset("gaussian", 50, 0);
        Path out = dir.resolve("prev");
        assertEquals(0, run(target, null, out, "--steps", "2", "--set", "output.plots=false").code());
        Path input = out.resolve("particles.csv");
        String before = Files.readString(input);
        assertRefusedInOneLine(run(input, null, out, "--overwrite"), "an input of this run");
        assertRefusedInOneLine(run(target, input, out, "--overwrite"), "an input of this run");
        assertEquals(before, Files.readString(input), "the input is intact");
        // and a plain data directory holding the target CSV
        assertRefusedInOneLine(run(target, null, dir, "--overwrite"), "an input of this run");
        assertTrue(Files.exists(target));
    }

    @Test
    void overwriteNeverDeletesTheCurrentDirectoryOrItsAncestors() throws IOException {
        // guard: the check itself must refuse before the command line is tried on the working tree
        Path cwd = Path.of("").toAbsolutePath();
        for (String d : new String[]{".", cwd.toString(), cwd.getParent().toString(), cwd.toUri().toString()}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> org.lipflow.io.OutputDirectory.checkTarget(d, true, List.of()), d);
            assertTrue(e.getMessage().contains("the current directory or one of its parents"), e.getMessage());
        }
        String home = System.getProperty("user.home");
        IllegalArgumentException h = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> org.lipflow.io.OutputDirectory.checkTarget(home, true, List.of()), home);
        assertTrue(h.getMessage().contains("or one of its parents; --overwrite never deletes it"), h.getMessage());
        Path target = dataset("gaussian", 50, 0);
        Path pom = Path.of("pom.xml").toAbsolutePath();
        assertTrue(Files.exists(pom));
        assertRefusedInOneLine(run(target, null, Path.of("."), "--out", ".", "--overwrite"), "the current directory");
        assertRefusedInOneLine(run(target, null, cwd.getParent(), "--out", cwd.getParent().toString(), "--overwrite"),
                "the current directory or one of its parents");
        assertTrue(Files.exists(pom), "nothing deleted");
        try (Stream<Path> s = Files.list(cwd)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".lipflow-probe")), "no probe left");
        }
    }

    @Test
    void anUnwritableOutputOrOneUnderAFileIsAOneLineErrorWithExitCode2() throws IOException {
        Path target = dataset("gaussian", 50, 0);
        Path file = write("plain.txt", "x");
        assertRefusedInOneLine(run(target, null, file.resolve("out")), file + " is a file, not a directory");
        assertRefusedInOneLine(run(target, null, file.resolve("a/b")), file + " is a file, not a directory");
        assertRefusedInOneLine(run(target, null, Path.of("/proc/lipflow-x")), "output /proc/lipflow-x: cannot create a directory in /proc");
        assertRefusedInOneLine(run(target, null, file), "exists");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing target      | --target=/nonexistent/t.csv           | /nonexistent/t.csv: file not found",
            "unknown key         | --set=flow.stepz=3                    | unknown config key 'flow.stepz'",
            "L <= 0              | --set=divergence.lipschitz=0          | divergence.lipschitz must be > 0",
            "alpha <= 1          | --set=divergence.f=alpha,divergence.alpha=1 | divergence.alpha must be > 1",
            "dt <= 0             | --set=flow.dt=-0.1                    | flow.dt must be > 0",
            "steps < 1           | --steps=0                             | flow.steps must be >= 1",
            "wrong type          | --set=flow.dt=fast                    | config key 'flow.dt' must be a number",
            "bad format          | --format=json                         | output.format must be parquet or csv",
    })
    void badConfigurationIsAOneLineErrorWithExitCode2AndNoOutput(String name, String flag, String message) throws IOException {
        Path target = dataset("gaussian", 50, 0);
        Path out = dir.resolve("bad");
        List<String> flags = new ArrayList<>();
        for (String f : flag.split(",")) {
            flags.add(f.startsWith("--") ? f : "--set=" + f);
        }
        Result r = run(target, null, out, flags.toArray(String[]::new));
        assertEquals(2, r.code(), name + ": " + r.err());
        assertTrue(r.err().contains(message), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertNothingWritten(out);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not a number  | x1,x2\\n1,2\\n3,abc\\n          | line 3, column x2: not a number 'abc'",
            "NaN           | x1,x2\\n1,2\\nNaN,1\\n          | line 3, column x1: non-finite value 'NaN'",
            "Infinity      | x1,x2\\n1,Infinity\\n         | line 2, column x2: non-finite value 'Infinity'",
            "ragged row    | x1,x2\\n1,2\\n3\\n            | line 3: expected 2 fields, found 1",
            "empty         | x1,x2\\n                      | no data rows",
            "no header     | 1,2\\n3,4\\n                  | expected a header",
            "bad label     | x1,label\\n1,-2\\n            | labels must be integers >= 0",
    })
    void badDataIsAOneLineErrorNamingFileLineAndColumn(String name, String csv, String message) throws IOException {
        Path target = write("bad-" + name.replace(' ', '-') + ".csv", csv.replace("\\n", "\n"));
        Path out = dir.resolve("bad");
        Result r = run(target, null, out);
        assertEquals(2, r.code(), name + ": " + r.err());
        assertTrue(r.err().contains(target.toString()) && r.err().contains(message), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertNothingWritten(out);
    }

    @Test
    void dimensionMismatchBetweenTargetAndSourceIsRefused() throws IOException {
        Path target = dataset("gaussian", 50, 0);
        Path source = dataset("swiss-roll", 50, 1);
        Path out = dir.resolve("mismatch");
        Result r = run(target, source, out);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("dimension mismatch") && r.err().contains("2 feature columns") && r.err().contains("has 3"), r.err());
        assertNothingWritten(out);
    }

    @Test
    void anUnreachableSparkMasterIsAOneLineErrorAndNoOutput() throws IOException {
        Path target = dataset("gaussian", 50, 0);
        Path out = dir.resolve("nomaster");
        Result r = run(target, null, out, "--engine", "spark", "--master", "spark://127.0.0.1:1");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("cannot reach Spark master spark://127.0.0.1:1"), r.err());
        assertNothingWritten(out);
    }

    @ParameterizedTest
    @CsvSource({"foo[2", "local-cluster[2,1", "local[x]", "locals"})
    void aMalformedSparkMasterUrlIsAOneLineErrorBeforeSparkStarts(String master) throws IOException {
        Path target = dataset("gaussian", 50, 0);
        Path out = dir.resolve("badmaster");
        Result r = run(target, null, out, "--engine", "spark", "--master", master);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("engine.master: invalid Spark master URL '" + master + "'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertNothingWritten(out);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2147483647 | 4294967294 coordinates, more than one Java array holds",
            "500000000  | GB of heap on the in-process engine; this JVM may use",
    })
    void tooManyParticlesForTheHeapAreRefusedUpFrontInOneLine(String particles, String message) throws IOException {
        Path target = dataset("gaussian", 50, 0);
        Path out = dir.resolve("huge");
        Result r = run(target, null, out, "--particles", particles);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(message) && r.err().contains("--engine spark"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertNothingWritten(out);
    }

    @Test
    void numericalBlowUpStopsWithExitCode3AndWritesNothing() throws IOException {
        Path target = dataset("gaussian", 50, 0);
        Path out = dir.resolve("nan");
        // Δt beyond float range: every particle overflows to ±∞ on the first move
        Result r = run(target, null, out, "--set", "flow.dt=1e39");
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("non-finite particles at step 1"), r.err());
        assertNothingWritten(out);
    }

    @Test
    void divergenceCommandPrintsOneJsonObject() {
        Path p = dataset("gaussian", 500, 1, "--mean", "1", "--dimension", "1");
        Path q = dataset("gaussian", 500, 2, "--dimension", "1");
        Result r = lipflow("divergence", "--p", p.toString(), "--q", q.toString(), "--f", "alpha", "--alpha", "2",
                "--lipschitz", "1", "--seed", "3", "--steps", "200");
        assertEquals(0, r.code(), r.err());
        String json = r.out().strip();
        assertTrue(json.startsWith("{") && json.endsWith("}") && json.lines().count() == 1, json);
        for (String key : new String[]{"\"divergence\":", "\"f\":\"alpha\"", "\"lipschitz\":1.0", "\"steps\":200", "\"seed\":3"}) {
            assertTrue(json.contains(key), key + " in " + json);
        }
        double d = Double.parseDouble(json.replaceAll(".*\"divergence\":([^,]+),.*", "$1"));
        assertTrue(d > 0.2 && d < 0.86 + 0.1, "alpha=2 divergence of N(1,1) from N(0,1): (e - 1)/2 = 0.86 at most: " + d);
    }

    @Test
    void datasetsCommandWritesTheRequestedSamples() throws IOException {
        Path f = dataset("swiss-roll", 123, 5);
        List<String> lines = Files.readAllLines(f);
        assertEquals("x1,x2,x3", lines.get(0));
        assertEquals(124, lines.size());
        Result r = lipflow("datasets", "--name", "banana", "--n", "3", "--out", dir.resolve("b.csv").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown dataset 'banana'"), r.err());
    }
}
