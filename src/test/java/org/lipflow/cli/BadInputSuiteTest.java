package org.lipflow.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lipflow.engine.spark.SparkTestSession;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every bad input we know of, in one place, through the {@code run} command in this JVM: the exit
 * code, one line on stderr naming the problem (file, row, column or key, and the value), and no
 * output directory or temporary sibling left behind. Inputs that look odd but are valid (a byte
 * order mark, CRLF line ends, quoted fields) must run. The README's bad-input table lists every
 * case by name; {@link #everyCaseIsListedInTheReadmeTable} keeps the two from drifting.
 */
class BadInputSuiteTest {
    @TempDir
    Path dir;

    /** What a case runs and what the user must see: exit code and the texts the error line contains. */
    record Expect(List<String> args, int exit, List<String> message) {
    }

    /** A named case; {@code setup} writes its files into the fixture and returns the expectation. */
    record Case(String name, Setup setup) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface Setup {
        Expect apply(Fixture f) throws IOException;
    }

    /** The case's directory: inputs, and the output the run must not leave behind. */
    record Fixture(Path dir) {
        Path out() {
            return dir.resolve("out");
        }

        Path write(String name, String content) throws IOException {
            return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
        }

        Path bytes(String name, byte[] content) throws IOException {
            return Files.write(dir.resolve(name), content);
        }

        /** A valid 2-column target of 8 rows. */
        Path target() throws IOException {
            return write("t.csv", "x1,x2\n0,0\n0,4\n4,0\n4,4\n1,1\n1,3\n3,1\n3,3\n");
        }

        /** A labelled target with classes 0..1. */
        Path labelledTarget() throws IOException {
            return write("lt.csv", "x1,x2,label\n0,0,0\n0,1,0\n4,4,1\n4,5,1\n");
        }

        /** The output of a finished 4-step run with checkpoints at steps 2 and 4. */
        Path priorRun() throws IOException {
            Path out = dir.resolve("prior");
            CliTest.Result r = CliTest.lipflow("run", "--quiet", "--target", target().toString(), "--out", out.toString(),
                    "--steps", "4", "--format", "csv", "--set", "checkpoint.interval=2", "--set", "output.plots=false");
            assertEquals(0, r.code(), r.err());
            return out;
        }

        Path checkpoint(Path out, int step) {
            return out.resolveSibling("." + out.getFileName() + ".checkpoints").resolve(String.format("step-%09d", step));
        }

        /** A valid Parquet file, written by the datasets command. */
        Path parquet() {
            Path p = dir.resolve("g.parquet");
            CliTest.Result r = CliTest.lipflow("datasets", "--name", "gaussian", "--n", "20", "--out", p.toString());
            assertEquals(0, r.code(), r.err());
            return p;
        }
    }

    static Expect fails(int exit, List<String> args, String... message) {
        return new Expect(args, exit, List.of(message));
    }

    static Expect ok(List<String> args) {
        return new Expect(args, 0, List.of());
    }

    static List<String> args(Object... a) {
        return Arrays.stream(a).map(String::valueOf).toList();
    }

    /** A run whose target is the file given; the error names the key and the file. */
    static Expect badTarget(Fixture f, String name, String content, String... message) throws IOException {
        Path t = f.write(name, content);
        String[] m = Stream.concat(Stream.of("target.path = " + t), Arrays.stream(message)).toArray(String[]::new);
        return fails(2, args("--target", t), m);
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>(List.of(
                // ---- files
                new Case("file: missing", f -> fails(2, args("--target", f.dir().resolve("nope.csv")),
                        "target.path = " + f.dir().resolve("nope.csv") + ": file not found")),
                new Case("file: a directory without data files", f -> {
                    Path d = Files.createDirectories(f.dir().resolve("empty-dir.csv"));
                    return fails(2, args("--target", d), "target.path = " + d, "empty directory");
                }),
                new Case("file: empty", f -> badTarget(f, "empty.csv", "", "empty file")),
                new Case("file: header only", f -> badTarget(f, "header.csv", "x1,x2\n", "no data rows")),
                new Case("file: ragged row", f -> badTarget(f, "ragged.csv", "x1,x2\n1,2\n3\n", "line 3: expected 2 fields, found 1")),
                new Case("file: NaN", f -> badTarget(f, "nan.csv", "x1,x2\n1,2\nNaN,1\n", "line 3, column x1: non-finite value 'NaN'")),
                new Case("file: Inf", f -> badTarget(f, "inf.csv", "x1,x2\n1,2\n1,-Inf\n", "line 3, column x2: not a number '-Inf'")),
                new Case("file: Infinity", f -> badTarget(f, "infinity.csv", "x1,x2\n1,2\n1,Infinity\n",
                        "line 3, column x2: non-finite value 'Infinity'")),
                new Case("file: 1e400", f -> badTarget(f, "big.csv", "x1,x2\n1,2\n1e400,1\n", "line 3, column x1",
                        "'1e400'")),
                new Case("file: 1e39 beyond float range", f -> badTarget(f, "float.csv", "x1,x2\n1,2\n1,1e39\n",
                        "line 3, column x2", "'1e39'")),
                new Case("file: text", f -> badTarget(f, "text.csv", "x1,x2\n1,2\n3,abc\n", "line 3, column x2: not a number 'abc'")),
                new Case("file: empty field", f -> badTarget(f, "hole.csv", "x1,x2\n1,2\n3,\n", "line 3, column x2: not a number ''")),
                new Case("file: a Java float suffix (1f)", f -> badTarget(f, "suffix.csv", "x1,x2\n1,2\n3,4f\n",
                        "line 3, column x2: not a number '4f'")),
                new Case("file: a hexadecimal float", f -> badTarget(f, "hex.csv", "x1,x2\n1,2\n0x1p3,4\n",
                        "line 3, column x1: not a number '0x1p3'")),
                new Case("file: unterminated quote", f -> badTarget(f, "quote.csv", "x1,x2\n1,\"2\n", "line 2")),
                new Case("file: semicolon-delimited", f -> badTarget(f, "semi.csv", "x1;x2\n1;2\n3;4\n", "line 2", "'1;2'",
                        "separated by semicolons")),
                new Case("file: duplicate column names", f -> badTarget(f, "dup.csv", "x1,x1\n1,2\n", "duplicate column 'x1'")),
                new Case("file: no header", f -> badTarget(f, "noheader.csv", "1,2\n3,4\n", "expected a header")),
                new Case("file: a Parquet file that is really CSV", f -> {
                    Path p = f.write("csv.parquet", "x1,x2\n1,2\n");
                    return fails(2, args("--target", p), "target.path = " + p, "not a readable Parquet file");
                }),
                new Case("file: a truncated Parquet file", f -> {
                    Path whole = f.parquet();
                    Path part = whole;
                    if (Files.isDirectory(whole)) {
                        try (Stream<Path> s = Files.list(whole)) {
                            part = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
                        }
                    }
                    byte[] b = Files.readAllBytes(part);
                    Path cut = f.bytes("cut.parquet", Arrays.copyOf(b, b.length / 2));
                    return fails(2, args("--target", cut), "target.path = " + cut, "not a readable Parquet file");
                }),
                new Case("file: a source with NaN", f -> {
                    Path s = f.write("s.csv", "x1,x2\n1,2\n2,NaN\n");
                    return fails(2, args("--target", f.target(), "--source", s), "source.path = " + s,
                            "line 3, column x2: non-finite value 'NaN'");
                }),
                new Case("file: a feature column not in the file", f -> fails(2, args("--target", f.target(), "--set",
                        "target.features=[x1,x9]"), "target.path = " + f.dir().resolve("t.csv"), "x9")),
                // ---- valid inputs that must work
                new Case("valid: UTF-8 BOM", f -> ok(args("--target", f.write("bom.csv", "\uFEFFx1,x2\n0,0\n1,1\n2,2\n")))),
                new Case("valid: CRLF", f -> ok(args("--target", f.write("crlf.csv", "x1,x2\r\n0,0\r\n1,1\r\n2,2\r\n")))),
                new Case("valid: quoted fields", f -> ok(args("--target", f.write("quoted.csv",
                        "\"x1\",\"x2\"\n\"0\",\"0.5\"\n1,\" 1\"\n\"2\",2\n")))),
                new Case("valid: Parquet", f -> ok(args("--target", f.parquet()))),
                // ---- labels
                new Case("label: non-integer", f -> badTarget(f, "l-frac.csv", "x1,label\n1,0\n2,1.5\n", "line 3", "label", "1.5")),
                new Case("label: empty", f -> badTarget(f, "l-empty.csv", "x1,label\n1,0\n2,\n", "line 3", "label")),
                new Case("label: negative", f -> badTarget(f, "l-neg.csv", "x1,label\n1,-2\n", "labels must be integers >= 0")),
                new Case("label: above the class cap", f -> badTarget(f, "l-cap.csv", "x1,label\n1,2000000000\n", "at most 10000 classes")),
                new Case("label: a source label the target does not have", f -> {
                    Path s = f.write("ls.csv", "x1,x2,label\n0,0,0\n1,1,7\n");
                    return fails(2, args("--target", f.labelledTarget(), "--source", s),
                            "source.path = " + s + " row 2: label 7 is not one of the target's classes");
                }),
                new Case("label: a label-column not in the file", f -> fails(2, args("--target", f.target(), "--set",
                        "target.label-column=class"), "target.path = " + f.dir().resolve("t.csv")
                        + ": label column 'class' (label-column) not found")),
                new Case("label: a labelled source with an unlabelled target", f -> {
                    Path s = f.write("ls2.csv", "x1,x2,label\n0,0,0\n1,1,1\n");
                    return fails(2, args("--target", f.target(), "--source", s), s.toString(), "has labels but the target has none");
                }),
                // ---- dimensions
                new Case("dimension: target and source", f -> {
                    Path s = f.write("s3.csv", "x1,x2,x3\n0,0,0\n1,1,1\n");
                    return fails(2, args("--target", f.target(), "--source", s), "dimension mismatch: target.path = ", "2 feature columns",
                            "source.path = " + s + " has 3");
                }),
                new Case("dimension: target and generated source", f -> fails(2, args("--target", f.target(), "--set",
                        "source.dimension=3"), "has 2 feature columns", "synthetic:gaussian has 3")),
                new Case("dimension: target and model", f -> {
                    Path wide = f.write("wide.csv", "x1,x2,x3\n0,0,1\n1,1,0\n2,0,2\n0,2,1\n1,0,0\n2,1,1\n");
                    Path model = f.dir().resolve("pca");
                    CliTest.Result r = CliTest.lipflow("autoencoder", "--quiet", "--data", wide.toString(), "--out", model.toString(),
                            "--set", "latent.type=pca", "--set", "latent.dimension=1");
                    assertEquals(0, r.code(), r.err());
                    return fails(2, args("--target", f.target(), "--set", "latent.model=\"" + model + "\""), "x3");
                }),
                new Case("monitor: a reference with the wrong number of columns", f -> {
                    Path ref = f.write("ref3.csv", "x1,x2,x3\n0,0,0\n1,1,1\n");
                    return fails(2, args("--target", f.target(), "--set", "monitor.reference=\"" + ref + "\""),
                            "monitor.reference = " + ref + " has 3 feature columns", "target.path = ", "has 2");
                }),
                // ---- configuration
                new Case("config: unknown key", f -> fails(2, args("--target", f.target(), "--set", "flow.stepz=3"),
                        "unknown config key 'flow.stepz'")),
                new Case("config: wrong type", f -> fails(2, args("--target", f.target(), "--set", "flow.dt=fast"),
                        "config key 'flow.dt' must be a number")),
                new Case("config: HOCON syntax error", f -> {
                    Path conf = f.write("broken.conf", "flow {\n  steps = 3\n  dt = \n");
                    return fails(2, args("--target", f.target(), "--conf", conf), conf + " line 4: ");
                }),
                new Case("config: missing file", f -> fails(2, args("--target", f.target(), "--conf", f.dir().resolve("none.conf")),
                        f.dir().resolve("none.conf").toString())),
                new Case("config: a directory as the configuration file", f -> fails(2, args("--target", f.target(), "--conf",
                        f.dir()), f.dir() + ": configuration file not found")),
                new Case("config: unknown engine", f -> fails(2, args("--target", f.target(), "--engine", "gpu"),
                        "engine.type must be inprocess, spark or auto, got 'gpu'")),
                new Case("config: --set without a value", f -> fails(2, args("--target", f.target(), "--set", "flow.dt"),
                        "--set expects key=value, got 'flow.dt'")),
                new Case("config: unknown enum value", f -> fails(2, args("--target", f.target(), "--set", "divergence.f=wasserstein"),
                        "divergence.f must be one of kl | alpha | reverse-kl | js | hellinger | chi2, got 'wasserstein'")),
                // ---- command line
                new Case("cli: unknown option", f -> fails(2, args("--target", f.target(), "--bogus"), "Unknown option: '--bogus'")),
                new Case("cli: missing value", f -> fails(2, args("--target", f.target(), "--steps"), "--steps")),
                new Case("cli: --particles 1e12", f -> fails(2, args("--target", f.target(), "--particles", "1e12"),
                        "--particles", "1e12")),
                new Case("cli: --particles 10^12 as an integer", f -> fails(2, args("--target", f.target(), "--particles",
                        "1000000000000"), "--particles", "1000000000000")),
                new Case("cli: --set source.n=1e12", f -> fails(2, args("--target", f.target(), "--set", "source.n=1e12"),
                        "config key 'source.n' must be an integer of at most 2147483647, got '1000000000000'")),
                new Case("cli: --particles with a source file", f -> fails(2, args("--target", f.target(), "--source", f.target(),
                        "--particles", "10"), "--particles")),
                new Case("cli: --steps not a number", f -> fails(2, args("--target", f.target(), "--steps", "ten"), "--steps", "ten")),
                // ---- resume: a first run of 4 steps into "prior" leaves checkpoints of steps 2 and 4
                new Case("resume: no checkpoint", f -> ok(args("--target", f.target(), "--resume"))),
                new Case("resume: changed config", f -> fails(2, args("--target", f.target(), "--out", f.priorRun(),
                        "--resume", "--set", "flow.steps=6", "--set", "discriminator.learning-rate=0.002"), "resume refused",
                        "discriminator.learning-rate")),
                new Case("resume: checkpoint of another format version", f -> {
                    Path out = f.priorRun();
                    Path manifest = f.checkpoint(out, 4).resolve("checkpoint.json");
                    Files.writeString(manifest, Files.readString(manifest).replace("\"format_version\":1", "\"format_version\":99"));
                    return fails(2, args("--target", f.target(), "--out", out, "--resume", "--set", "flow.steps=6"), "format version 99");
                }),
                new Case("resume: corrupt particle file", f -> {
                    Path out = f.priorRun();
                    Path part = f.checkpoint(out, 4).resolve("particles/part-00000.bin");
                    byte[] b = Files.readAllBytes(part);
                    b[b.length - 1] ^= 0x55; // same length: only its checksum can tell
                    Files.write(part, b);
                    return fails(2, args("--target", f.target(), "--out", out, "--resume", "--set", "flow.steps=6"),
                            "part-00000.bin", "checksum mismatch");
                }),
                // ---- output
                new Case("output: exists without --overwrite", f -> {
                    Files.createDirectories(f.out());
                    Files.writeString(f.out().resolve("keep.txt"), "mine");
                    return fails(2, args("--target", f.target()), f.out().toString(), "already exists");
                }),
                new Case("output: unwritable", f -> fails(2, args("--target", f.target(), "--out", "/proc/lipflow-x"),
                        "/proc/lipflow-x", "cannot create a directory")),
                new Case("output: parent is a file", f -> {
                    Path file = f.write("plain.txt", "x");
                    return fails(2, args("--target", f.target(), "--out", file.resolve("out")), file + " is a file, not a directory");
                }),
                new Case("output: --overwrite of a directory that is not a lipflow output", f -> {
                    Files.createDirectories(f.out());
                    Files.writeString(f.out().resolve("keep.txt"), "mine");
                    return fails(2, args("--target", f.target(), "--overwrite"), "is not a lipflow output");
                })));
        c.addAll(outOfRangeKeys());
        return c.stream();
    }

    /**
     * One case per numeric key of lipflow-defaults.conf: a value outside its range (-1, or for the
     * keys where -1 is valid, a value beyond double range) is refused naming the key.
     */
    static List<Case> outOfRangeKeys() {
        Map<String, String> special = Map.of("seed", "1e400", "target.seed", "1e400", "source.seed", "1e400",
                "target.sample-seed", "1e400", "source.sample-seed", "1e400", "latent.seed", "1e400",
                "target.mean", "1e400", "source.mean", "1e400");
        List<Case> out = new ArrayList<>();
        for (String key : numericKeys()) {
            String bad = special.getOrDefault(key, "-1");
            out.add(new Case("range: " + key, f -> fails(2, args("--target", f.target(), "--set", key + "=" + bad), key)));
        }
        return out;
    }

    /** The numeric keys of the defaults file, sorted. */
    static List<String> numericKeys() {
        Config defaults = ConfigFactory.parseResources("lipflow-defaults.conf");
        Map<String, ConfigValue> keys = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : defaults.entrySet()) {
            keys.put(e.getKey(), e.getValue());
        }
        return keys.entrySet().stream().filter(e -> e.getValue().valueType() == ConfigValueType.NUMBER).map(Map.Entry::getKey)
                .toList();
    }

    /** The file cases whose reading differs on Spark (its executors parse CSV and read Parquet): run on both engines. */
    static final List<String> ON_SPARK = List.of("file: NaN", "file: 1e39 beyond float range", "file: a Java float suffix (1f)",
            "file: semicolon-delimited", "file: a truncated Parquet file", "file: a source with NaN", "valid: UTF-8 BOM",
            "valid: CRLF", "valid: quoted fields");

    static Stream<Case> sparkCases() {
        return cases().filter(c -> ON_SPARK.contains(c.name()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputIsOneLineWithItsExitCodeAndLeavesNothing(Case c) throws IOException {
        check(c);
    }

    @Tag("spark")
    @ParameterizedTest(name = "{0} on Spark")
    @MethodSource("sparkCases")
    void theSparkEngineReadsTheSameFilesTheSameWay(Case c) throws IOException {
        SparkTestSession.get("local[2]");
        check(c, "--engine", "spark", "--partitions", "2");
    }

    void check(Case c, String... engine) throws IOException {
        Fixture f = new Fixture(Files.createDirectories(dir.resolve("case")));
        Expect e = c.setup().apply(f);
        // flow.steps by --set, so a case's own --set flow.steps (or --steps) takes over
        List<String> a = new ArrayList<>(List.of("run", "--quiet", "--set", "flow.steps=3", "--format", "csv", "--set",
                "output.plots=false", "--set", "output.discriminator=false"));
        a.addAll(Arrays.asList(engine));
        if (!e.args().contains("--out")) {
            a.addAll(List.of("--out", f.out().toString()));
        }
        a.addAll(e.args());
        Path out = e.args().contains("--out") ? Path.of(e.args().get(e.args().indexOf("--out") + 1)) : f.out();
        boolean existed = Files.exists(out);
        List<String> before = existed ? listing(out) : null;
        CliTest.Result r = CliTest.lipflow(a.toArray(String[]::new));
        assertEquals(e.exit(), r.code(), c.name() + ": " + r.err());
        if (e.exit() == 0) {
            assertTrue(Files.exists(out.resolve("particles.csv")), c.name() + ": particles written");
            return;
        }
        List<String> lines = r.err().lines().filter(l -> !l.startsWith("lipflow: engine ") && !l.startsWith("lipflow: warning") && !l.startsWith("lipflow: resuming ")).toList();
        assertEquals(1, lines.size(), c.name() + ": one line: " + r.err());
        String line = lines.get(0);
        assertTrue(line.startsWith("lipflow: error: "), line);
        for (String m : e.message()) {
            assertTrue(line.contains(m), c.name() + ": the message names '" + m + "': " + line);
        }
        if (existed) {
            assertEquals(before, listing(out), c.name() + ": an existing output is left as it was");
        } else if (Files.isDirectory(out.getParent())) {
            CliTest.assertNothingWritten(out);
        }
    }

    /** Each file under {@code dir} with its size and modification time. */
    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            List<String> all = new ArrayList<>();
            for (Path p : s.sorted().toList()) {
                all.add(dir.relativize(p) + " " + Files.size(p) + " " + Files.getLastModifiedTime(p));
            }
            return all;
        }
    }

    @Test
    void theSuiteHasAtLeastFortyCases() {
        assertTrue(cases().count() >= 40, "cases: " + cases().count());
    }

    /** The README's bad-input table names every case of this suite (the table lists what the user sees). */
    @Test
    void everyCaseIsListedInTheReadmeTable() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int from = readme.indexOf("<!-- bad-input-suite -->"), to = readme.indexOf("<!-- /bad-input-suite -->");
        assertTrue(from >= 0 && to > from, "README marks the suite's table");
        String table = readme.substring(from, to);
        List<String> names = cases().map(Case::name).toList();
        List<String> missing = names.stream().filter(n -> !table.contains("`" + n + "`")).toList();
        assertEquals(List.of(), missing, "cases missing from the README's bad-input table");
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("`((?:file|valid|label|dimension|config|cli|output|range|resume): [^`]+)`").matcher(table);
        List<String> stale = new ArrayList<>();
        while (m.find()) {
            if (!names.contains(m.group(1))) {
                stale.add(m.group(1));
            }
        }
        assertEquals(List.of(), stale, "README rows that name no case of the suite");
    }
}
