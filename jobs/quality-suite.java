// The driver of jobs/quality-suite (run it through that script: it builds the jar and sets the JVM options).
// Every `run` and `eval` goes through org.lipflow.cli.Main.execute inside this one JVM, with the same
// arguments the command line would get, so the figures are the CLI's without a JVM start per run.
//
// Targets (N targets, held-out rows from the same distribution, label columns dropped):
//   mixture      4 Gaussians at (0,0),(0,4),(4,0),(4,4), sigma 0.5: N = 200, held-out 1,000 (another seed)
//   student-t    2-D product of Student-t with nu = 3 (finite variance): N = 200, held-out 1,000
//   swiss-roll   3-D Swiss roll: N = 200, held-out 1,000
//   sierpinski   Sierpinski carpet in [0,4]^2: N = 200, held-out 1,000
//   wine         Debian python3-sklearn's wine_data.csv (178 x 13), standardised: N = 120, held-out 58
//   iris         python3-sklearn's iris.csv (150 x 4), standardised: N = 100, held-out 50
//   fashion-latent (--fashion) 200 Fashion-MNIST images in an autoencoder's latent space, scored in
//                pixel space against 2,000 test images (slow: fits the autoencoder once)
// Settings: "defaults" (no --set), "reference" (the reference algorithm's per-data-set configuration),
// and any number of `--setting NAME[@TARGET] --set k=v ...` groups.

import org.lipflow.cli.Main;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

final class QualitySuite {

    static final String SKLEARN = "/usr/lib/python3/dist-packages/sklearn/datasets/data";
    static final String FASHION = "/usr/share/datasets/fashion-mnist";
    static final String PIXEL = "0.00392156862745098";
    static final List<String> ALL = List.of("mixture", "student-t", "swiss-roll", "sierpinski", "wine", "iris");

    /** One suite target: its training rows (the flow's target), held-out rows, and per-target run arguments. */
    record Target(String name, String train, String heldOut, int n, int heldOutRows, int dimension, List<String> runArgs,
                  List<String> evalArgs, List<String> reference, String referenceNote) {
    }

    /** A named list of --set overrides; `only` restricts it to one target ("" = every target). */
    record Setting(String name, String only, List<String> sets) {
        boolean appliesTo(Target t) {
            return only.isEmpty() || only.equals(t.name());
        }

        List<String> setsFor(Target t) {
            return name.equals("reference") && only.isEmpty() ? t.reference() : sets;
        }
    }

    record Score(long seed, int exit, String error, double energy, double mmd2, double slicedW1, Double nnRatio, double msPerStep) {
    }

    static final class Bad extends RuntimeException {
        final int code;

        Bad(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    public static void main(String[] args) throws Exception {
        try {
            System.exit(new QualitySuite().run(args));
        } catch (Bad e) {
            System.err.println("quality-suite: error: " + e.getMessage());
            System.exit(e.code);
        }
    }

    Path out = Path.of("out/quality-suite");
    Path json;
    int seeds = 3;
    int steps = 1000;
    List<String> targetNames = new ArrayList<>(ALL);
    boolean fashion;
    boolean withDefaults = true;
    boolean withReference = true;
    String sklearn = SKLEARN;
    final List<Setting> settings = new ArrayList<>();
    final StringBuilder log = new StringBuilder();

    int run(String[] args) throws Exception {
        parse(args);
        List<Setting> all = new ArrayList<>();
        if (withDefaults) {
            all.add(new Setting("defaults", "", List.of()));
        }
        if (withReference) {
            all.add(new Setting("reference", "", List.of()));
        }
        all.addAll(settings);
        if (all.isEmpty()) {
            throw new Bad(2, "no settings to run (--no-defaults and --no-reference without --setting)");
        }
        Files.createDirectories(out);
        List<Target> targets = new ArrayList<>();
        for (String name : targetNames) {
            targets.add(prepare(name));
        }
        for (Setting s : all) {
            if (!s.only().isEmpty() && targets.stream().noneMatch(t -> t.name().equals(s.only()))) {
                throw new Bad(2, "--setting " + s.name() + "@" + s.only() + ": no such target in this run (targets: "
                        + String.join(",", targetNames) + ")");
            }
        }
        String started = java.time.Instant.now().toString();
        System.err.printf(Locale.ROOT, "# %s  %d cores  loadavg %s  steps %d  seeds %d%n", started,
                Runtime.getRuntime().availableProcessors(), loadavg(), steps, seeds);
        Map<String, Map<String, List<Score>>> scores = new LinkedHashMap<>();
        for (Target t : targets) {
            Map<String, List<Score>> perSetting = new LinkedHashMap<>();
            for (Setting s : all) {
                if (!s.appliesTo(t)) {
                    continue;
                }
                List<Score> list = new ArrayList<>();
                for (int k = 1; k <= seeds; k++) {
                    Score sc = runOne(t, s, k);
                    list.add(sc);
                    System.err.printf(Locale.ROOT, "%-14s %-22s seed %d  %s%n", t.name(), label(s), k, sc.exit() == 0
                            ? String.format(Locale.ROOT, "energy %.5f  mmd2 %.5f  sw1 %.4f  nn %s  %.2f ms/step", sc.energy(),
                            sc.mmd2(), sc.slicedW1(), sc.nnRatio() == null ? "-" : String.format(Locale.ROOT, "%.3f", sc.nnRatio()),
                            sc.msPerStep()) : "exit " + sc.exit() + ": " + sc.error());
                }
                perSetting.put(label(s), list);
            }
            scores.put(t.name(), perSetting);
        }
        String table = table(targets, all, scores);
        System.out.println(table);
        writeJson(targets, all, scores, started);
        System.out.println("JSON: " + json.toAbsolutePath());
        return 0;
    }

    static String label(Setting s) {
        return s.only().isEmpty() ? s.name() : s.name() + "@" + s.only();
    }

    void parse(String[] args) {
        Setting current = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--json" -> json = Path.of(value(args, ++i, a));
                case "--seeds" -> seeds = positive(value(args, ++i, a), a);
                case "--steps" -> steps = positive(value(args, ++i, a), a);
                case "--targets" -> {
                    targetNames = new ArrayList<>(Arrays.asList(value(args, ++i, a).split(",")));
                    for (String t : targetNames) {
                        if (!ALL.contains(t) && !t.equals("fashion-latent")) {
                            throw new Bad(2, "--targets: unknown target '" + t + "' (known: " + String.join(",", ALL) + ",fashion-latent)");
                        }
                    }
                }
                case "--fashion" -> fashion = true;
                case "--sklearn-data" -> sklearn = value(args, ++i, a);
                case "--no-defaults" -> withDefaults = false;
                case "--no-reference" -> withReference = false;
                case "--setting" -> {
                    String v = value(args, ++i, a);
                    int at = v.indexOf('@');
                    String name = at < 0 ? v : v.substring(0, at);
                    if (!name.matches("[A-Za-z0-9._+=-]+") || name.equals("defaults") || name.equals("reference")) {
                        throw new Bad(2, "--setting: name '" + name + "' must be letters, digits, . _ + = - and not defaults or reference");
                    }
                    current = new Setting(name, at < 0 ? "" : v.substring(at + 1), new ArrayList<>());
                    for (Setting s : settings) {
                        if (label(s).equals(label(current))) {
                            throw new Bad(2, "--setting: '" + label(current) + "' given twice");
                        }
                    }
                    settings.add(current);
                }
                case "--set" -> {
                    String v = value(args, ++i, a);
                    if (current == null) {
                        throw new Bad(2, "--set " + v + ": comes before any --setting NAME (each --set belongs to the --setting before it)");
                    }
                    if (!v.contains("=")) {
                        throw new Bad(2, "--set " + v + ": must be KEY=VALUE");
                    }
                    current.sets().add(v);
                }
                case "-h", "--help" -> {
                    System.out.println("usage: jobs/quality-suite [--out DIR] [--json FILE] [--seeds K] [--steps S] [--targets a,b,..] "
                            + "[--fashion] [--no-defaults] [--no-reference] [--setting NAME[@TARGET] --set KEY=VALUE ...]...");
                    System.exit(0);
                }
                default -> throw new Bad(2, "unknown argument '" + a + "' (see --help)");
            }
        }
        if (fashion && !targetNames.contains("fashion-latent")) {
            targetNames.add("fashion-latent");
        }
        if (json == null) {
            json = out.resolve("quality-suite.json");
        }
    }

    static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new Bad(2, flag + " needs a value");
        }
        return args[i];
    }

    static int positive(String v, String flag) {
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new Bad(2, flag + " must be an integer >= 1, got '" + v + "'");
    }

    // ---------------------------------------------------------------------------------------------
    // targets

    Target prepare(String name) throws IOException {
        Path dir = out.resolve("data");
        Files.createDirectories(dir);
        // The reference settings: the reference algorithm's per-data-set configuration (see the README's
        // "Quality suite"): Frobenius "spectral" normalisation, weights rescaled to the bound, Adam restarted
        // every outer step, its lr_phi (discriminator.learning-rate), lr_P (flow.dt), L, solver and sigma_P.
        // The reference flows in data units: no standardisation.
        List<String> quirks = List.of("data.standardize=false", "discriminator.norm=frobenius", "discriminator.constraint=rescale",
                "discriminator.reset-optimizer=true", "discriminator.hidden=[32,32,32]", "discriminator.steps=3");
        return switch (name) {
            case "mixture" -> synthetic(name, "mixture4", List.of(), 200, reference(quirks, "kl", "dv", 1.0, 0.001, 0.5, "euler", 0.5),
                    "configs/Mixture_of_gaussians (lr_phi 0.001, lr_P 0.5, sigma_P 0.5); its L is null (no bound), "
                            + "which empties a mode and ends in NaN: L = 1 as in conf/examples/gaussian-mixture.conf");
            case "student-t" -> synthetic(name, "student-t", List.of("--nu", "3"), 200,
                    reference(quirks, "kl", "dv", 1.0, 0.05, 1.0, "euler", 0.5),
                    "no reference config; the reference's Student-t figures use Learning_gaussian's values "
                            + "(L 1, lr_phi 0.05, lr_P 1.0, sigma_P 0.5)");
            case "swiss-roll" -> synthetic(name, "swiss-roll", List.of(), 200, reference(quirks, "kl", "lt", 1.0, 0.001, 0.5, "heun", 3.0),
                    "configs/3D_Swiss_roll (LT formulation, L 1, lr_phi 0.001, lr_P 0.5, Heun, sigma_P 3)");
            case "sierpinski" -> synthetic(name, "sierpinski", List.of(), 200, reference(quirks, "kl", "dv", 1.0, 0.005, 0.2, "euler", 1.0),
                    "no reference config; conf/examples/sierpinski.conf's values (lr_phi 0.005, lr_P 0.2, L 1, sigma 1)");
            case "wine" -> table(name, "wine_data.csv", 120, reference(quirks, "kl", "dv", 1.0, 0.001, 0.5, "euler", 1.0));
            case "iris" -> table(name, "iris.csv", 100, reference(quirks, "kl", "dv", 1.0, 0.001, 0.5, "euler", 1.0));
            case "fashion-latent" -> fashionLatent(quirks);
            default -> throw new Bad(2, "unknown target " + name);
        };
    }

    /** The reference settings; the source is N(0, sigma_P^2 I) as the reference draws it for its own data sets. */
    static List<String> reference(List<String> quirks, String f, String formulation, double l, double lr, double dt, String integrator,
                                  double sigmaP) {
        List<String> r = new ArrayList<>(quirks);
        r.addAll(List.of("divergence.f=" + f, "divergence.formulation=" + formulation, "divergence.lipschitz=" + l,
                "discriminator.learning-rate=" + lr, "flow.dt=" + dt, "flow.integrator=" + integrator,
                "source.mean=0", "source.std=" + sigmaP));
        return r;
    }

    Target synthetic(String name, String generator, List<String> extra, int n, List<String> reference, String note) throws IOException {
        Path train = out.resolve("data").resolve(name + "-train.csv");
        Path held = out.resolve("data").resolve(name + "-heldout.csv");
        generate(generator, extra, n, 0, train);
        generate(generator, extra, 1000, 1, held);
        int d = generator.equals("swiss-roll") ? 3 : 2;
        return new Target(name, train.toString(), held.toString(), n, 1000, d, List.of("--target", train.toString()),
                List.of(), reference, note);
    }

    void generate(String generator, List<String> extra, int n, int seed, Path file) {
        List<String> a = new ArrayList<>(List.of("datasets", "--name", generator, "--n", String.valueOf(n), "--seed",
                String.valueOf(seed), "--out", file.toString(), "--overwrite"));
        a.addAll(extra);
        StringWriter err = new StringWriter();
        int rc = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), a.toArray(String[]::new));
        if (rc != 0) {
            throw new Bad(1, "lipflow datasets " + generator + " failed (exit " + rc + "): " + err.toString().strip());
        }
    }

    /**
     * A scikit-learn table (first line: rows, columns, class names; then features and the class): a fixed
     * shuffle, the first n rows the targets and the rest held out, the label dropped, every feature
     * standardised with the targets' mean and standard deviation (applied to both parts).
     */
    Target table(String name, String file, int n, List<String> reference) throws IOException {
        Path src = Path.of(sklearn, file);
        if (!Files.isReadable(src)) {
            throw new Bad(2, src + " is missing: the " + name + " target needs the Debian package python3-sklearn "
                    + "(apt-get install python3-sklearn)");
        }
        List<String> lines = Files.readAllLines(src);
        List<double[]> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split(",");
            double[] r = new double[cells.length - 1];
            for (int j = 0; j < r.length; j++) {
                try {
                    r[j] = Double.parseDouble(cells[j]);
                } catch (NumberFormatException e) {
                    throw new Bad(2, src + ": line " + (i + 1) + ", column " + (j + 1) + ": not a number: '" + cells[j] + "'");
                }
            }
            rows.add(r);
        }
        int d = rows.get(0).length;
        java.util.Collections.shuffle(rows, new Random(42));
        List<double[]> train = rows.subList(0, n), held = rows.subList(n, rows.size());
        double[] mean = new double[d], std = new double[d];
        for (double[] r : train) {
            for (int j = 0; j < d; j++) {
                mean[j] += r[j] / n;
            }
        }
        for (double[] r : train) {
            for (int j = 0; j < d; j++) {
                std[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / (n - 1);
            }
        }
        for (int j = 0; j < d; j++) {
            std[j] = Math.sqrt(std[j]);
        }
        Path trainFile = out.resolve("data").resolve(name + "-train.csv");
        Path heldFile = out.resolve("data").resolve(name + "-heldout.csv");
        writeStandardised(trainFile, train, mean, std);
        writeStandardised(heldFile, held, mean, std);
        return new Target(name, trainFile.toString(), heldFile.toString(), n, held.size(), d, List.of("--target", trainFile.toString()),
                List.of(), reference, "the reference's settings for user data (\"custom\": L 1, lr_phi 0.001, lr_P 0.5, sigma_P 1)");
    }

    static void writeStandardised(Path file, List<double[]> rows, double[] mean, double[] std) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < mean.length; j++) {
            sb.append(j == 0 ? "" : ",").append("x").append(j);
        }
        sb.append('\n');
        for (double[] r : rows) {
            for (int j = 0; j < r.length; j++) {
                sb.append(j == 0 ? "" : ",").append((float) ((r[j] - mean[j]) / std[j]));
            }
            sb.append('\n');
        }
        Files.writeString(file, sb.toString());
    }

    /**
     * Fashion-MNIST in latent space: the autoencoder of conf/examples/fashion-mnist-autoencoder.conf
     * (fitted once under OUT/data/fashion-ae), the run of conf/examples/fashion-mnist-latent.conf (200
     * targets, 20 per class, 600 conditional particles), scored in pixel space against 2,000 test images.
     */
    Target fashionLatent(List<String> quirks) {
        String train = FASHION + "/train-images-idx3-ubyte.gz", test = FASHION + "/t10k-images-idx3-ubyte.gz";
        if (!Files.isReadable(Path.of(test)) || !Files.isReadable(Path.of(train))) {
            throw new Bad(2, FASHION + " is missing: the fashion-latent target needs the Debian package dataset-fashion-mnist "
                    + "(apt-get install dataset-fashion-mnist)");
        }
        Path ae = out.resolve("data").resolve("fashion-ae");
        if (!Files.exists(ae.resolve("latent.json"))) {
            StringWriter err = new StringWriter();
            int rc = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "autoencoder", "--conf",
                    home().resolve("conf/examples/fashion-mnist-autoencoder.conf").toString(), "--out", ae.toString(), "--overwrite", "--quiet");
            if (rc != 0) {
                throw new Bad(1, "lipflow autoencoder failed (exit " + rc + "): " + err.toString().strip());
            }
        }
        List<String> reference = new ArrayList<>(quirks);
        // the reference's MNIST configuration flows at L = 1 with lr_phi 0.001 and lr_P 0.5 in its latent space
        reference.addAll(List.of("divergence.lipschitz=1.0", "discriminator.learning-rate=0.001", "flow.dt=0.5"));
        return new Target("fashion-latent", train, test, 200, 2000, 784,
                List.of("--conf", home().resolve("conf/examples/fashion-mnist-latent.conf").toString(), "--set", "latent.model=\"" + ae + "\""),
                List.of("--reference-scale", PIXEL, "--max-rows", "2000", "--train-scale", PIXEL, "--train-per-class", "20",
                        "--train-sample-seed", "0"),
                reference, "the reference's MNIST values (L 1, lr_phi 0.001, lr_P 0.5) with its optimizer quirks");
    }

    // ---------------------------------------------------------------------------------------------
    // runs

    Score runOne(Target t, Setting s, long seed) throws IOException {
        Path dir = out.resolve("runs").resolve(t.name()).resolve(label(s)).resolve("seed" + seed);
        Files.createDirectories(dir.getParent());
        List<String> a = new ArrayList<>(List.of("run"));
        a.addAll(t.runArgs());
        if (!t.name().equals("fashion-latent")) {
            a.addAll(List.of("--particles", String.valueOf(t.n())));
        }
        a.addAll(List.of("--steps", String.valueOf(steps), "--seed", String.valueOf(seed), "--out", dir.toString(), "--format", "csv",
                "--overwrite", "--quiet", "--engine", "inprocess",
                "--set", "source.seed=" + (100 + seed), "--set", "output.plots=false", "--set", "output.discriminator=false",
                "--set", "checkpoint.interval=0"));
        for (String kv : s.setsFor(t)) {
            a.add("--set");
            a.add(kv);
        }
        StringWriter err = new StringWriter();
        int rc = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), a.toArray(String[]::new));
        if (rc != 0) {
            String msg = err.toString().strip().lines().reduce((x, y) -> y).orElse("");
            return new Score(seed, rc, msg, Double.NaN, Double.NaN, Double.NaN, null, Double.NaN);
        }
        List<String> e = new ArrayList<>(List.of("eval", "--generated", dir.resolve("particles.csv").toString(), "--reference",
                t.heldOut(), "--train", t.train(), "--seed", "0"));
        e.addAll(t.evalArgs());
        StringWriter evalOut = new StringWriter(), evalErr = new StringWriter();
        int erc = Main.execute(new PrintWriter(evalOut, true), new PrintWriter(evalErr, true), e.toArray(String[]::new));
        if (erc != 0) {
            throw new Bad(1, "lipflow eval failed on " + dir + " (exit " + erc + "): " + evalErr.toString().strip());
        }
        String j = evalOut.toString();
        String nn = field(j, "nn_ratio");
        return new Score(seed, 0, null, num(j, "energy_distance"), num(j, "mmd2"), num(j, "sliced_w1"),
                nn == null || nn.equals("null") ? null : Double.parseDouble(nn), medianMillis(dir.resolve("metrics.jsonl")));
    }

    static String field(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":([^,}]+)").matcher(json);
        return m.find() ? m.group(1).strip() : null;
    }

    static double num(String json, String key) {
        String v = field(json, key);
        return v == null || v.equals("null") ? Double.NaN : Double.parseDouble(v);
    }

    static double medianMillis(Path metrics) throws IOException {
        List<Double> ms = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            double v = num(line, "millis");
            if (!Double.isNaN(v)) {
                ms.add(v);
            }
        }
        return median(ms);
    }

    static double median(List<Double> v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** The repository (jobs/quality-suite passes it), for the example configurations. */
    static Path home() {
        return Path.of(System.getProperty("lipflow.home", "."));
    }

    static String loadavg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    // ---------------------------------------------------------------------------------------------
    // summary

    /** Mean and sample standard deviation over the seeds that finished; failures counted. */
    record Summary(int runs, int failed, double energy, double energySd, double mmd2, double mmd2Sd, double slicedW1, double slicedW1Sd,
                   Double nnRatio, double msPerStep) {
        static Summary of(List<Score> list) {
            List<Score> ok = list.stream().filter(s -> s.exit() == 0).toList();
            double[] e = ok.stream().mapToDouble(Score::energy).toArray();
            double[] m = ok.stream().mapToDouble(Score::mmd2).toArray();
            double[] w = ok.stream().mapToDouble(Score::slicedW1).toArray();
            double[] nn = ok.stream().filter(s -> s.nnRatio() != null).mapToDouble(Score::nnRatio).toArray();
            return new Summary(list.size(), list.size() - ok.size(), mean(e), sd(e), mean(m), sd(m), mean(w), sd(w),
                    nn.length == 0 ? null : mean(nn), median(ok.stream().map(Score::msPerStep).toList()));
        }
    }

    static double mean(double[] v) {
        return v.length == 0 ? Double.NaN : Arrays.stream(v).sum() / v.length;
    }

    static double sd(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = mean(v), s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    /** The best setting of a target: the lowest mean energy distance among settings with no failed seed. */
    static String best(Map<String, List<Score>> perSetting) {
        String best = null;
        double b = Double.POSITIVE_INFINITY;
        for (var e : perSetting.entrySet()) {
            Summary s = Summary.of(e.getValue());
            if (s.failed() == 0 && s.energy() < b) {
                b = s.energy();
                best = e.getKey();
            }
        }
        return best;
    }

    String table(List<Target> targets, List<Setting> all, Map<String, Map<String, List<Score>>> scores) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Quality suite: %d steps, seeds 1..%d (flow seed s, source seed 100 + s); "
                + "mean ± sd over seeds; ms/step: median (under load)%n%n", steps, seeds));
        sb.append("| target | setting | energy distance | MMD² | sliced W1 | NN ratio | ms/step | energy / best |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (Target t : targets) {
            Map<String, List<Score>> per = scores.get(t.name());
            String best = best(per);
            double b = best == null ? Double.NaN : Summary.of(per.get(best)).energy();
            for (var e : per.entrySet()) {
                Summary s = Summary.of(e.getValue());
                String fail = s.failed() == 0 ? "" : String.format(Locale.ROOT, " (%d/%d failed: exit %s)", s.failed(), s.runs(),
                        e.getValue().stream().filter(x -> x.exit() != 0).map(x -> String.valueOf(x.exit())).distinct()
                                .reduce((x, y) -> x + "," + y).orElse(""));
                sb.append(String.format(Locale.ROOT, "| %s | %s%s%s | %s | %s | %s | %s | %s | %s |%n",
                        t.name(), e.getKey(), e.getKey().equals(best) ? " (best)" : "", fail,
                        pm(s.energy(), s.energySd(), 4), pm(s.mmd2(), s.mmd2Sd(), 4), pm(s.slicedW1(), s.slicedW1Sd(), 3),
                        s.nnRatio() == null ? "–" : String.format(Locale.ROOT, "%.2f", s.nnRatio()),
                        Double.isNaN(s.msPerStep()) ? "–" : String.format(Locale.ROOT, "%.2f", s.msPerStep()),
                        Double.isNaN(s.energy()) || Double.isNaN(b) ? "–" : String.format(Locale.ROOT, "%.2f", s.energy() / b)));
            }
        }
        sb.append("\nSettings (besides the suite's own: --particles N, --steps, --seed, source.seed, csv output, no plots):\n");
        for (Setting s : all) {
            if (s.name().equals("reference") && s.only().isEmpty()) {
                for (Target t : targets) {
                    sb.append("* reference@").append(t.name()).append(": ").append(String.join(" ", t.reference()))
                            .append("  — ").append(t.referenceNote()).append('\n');
                }
            } else {
                sb.append("* ").append(label(s)).append(": ").append(s.sets().isEmpty() ? "(lipflow's defaults)" : String.join(" ", s.sets()))
                        .append('\n');
            }
        }
        return sb.toString();
    }

    static String pm(double m, double sd, int digits) {
        if (Double.isNaN(m)) {
            return "–";
        }
        String f = "%." + digits + "f";
        return Double.isNaN(sd) ? String.format(Locale.ROOT, f, m) : String.format(Locale.ROOT, f + " ± " + f, m, sd);
    }

    void writeJson(List<Target> targets, List<Setting> all, Map<String, Map<String, List<Score>>> scores, String started)
            throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("started", started);
        root.put("finished", java.time.Instant.now().toString());
        root.put("git_revision", System.getenv().getOrDefault("LIPFLOW_GIT_REVISION", "unknown"));
        root.put("steps", steps);
        root.put("seeds", seeds);
        List<Object> ts = new ArrayList<>();
        for (Target t : targets) {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("name", t.name());
            tm.put("train", t.train());
            tm.put("held_out", t.heldOut());
            tm.put("n", t.n());
            tm.put("held_out_rows", t.heldOutRows());
            tm.put("dimension", t.dimension());
            tm.put("best", best(scores.get(t.name())));
            List<Object> rs = new ArrayList<>();
            for (Setting s : all) {
                if (!s.appliesTo(t)) {
                    continue;
                }
                Map<String, Object> sm = new LinkedHashMap<>();
                sm.put("setting", label(s));
                sm.put("sets", s.setsFor(t));
                Summary sum = Summary.of(scores.get(t.name()).get(label(s)));
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("runs", sum.runs());
                summary.put("failed", sum.failed());
                summary.put("energy_distance_mean", sum.energy());
                summary.put("energy_distance_sd", sum.energySd());
                summary.put("mmd2_mean", sum.mmd2());
                summary.put("mmd2_sd", sum.mmd2Sd());
                summary.put("sliced_w1_mean", sum.slicedW1());
                summary.put("sliced_w1_sd", sum.slicedW1Sd());
                summary.put("nn_ratio_mean", sum.nnRatio());
                summary.put("ms_per_step_median", sum.msPerStep());
                sm.put("summary", summary);
                List<Object> per = new ArrayList<>();
                for (Score sc : scores.get(t.name()).get(label(s))) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("seed", sc.seed());
                    m.put("exit", sc.exit());
                    m.put("error", sc.error());
                    m.put("energy_distance", sc.energy());
                    m.put("mmd2", sc.mmd2());
                    m.put("sliced_w1", sc.slicedW1());
                    m.put("nn_ratio", sc.nnRatio());
                    m.put("ms_per_step_median", sc.msPerStep());
                    per.add(m);
                }
                sm.put("seeds", per);
                rs.add(sm);
            }
            tm.put("results", rs);
            ts.add(tm);
        }
        root.put("targets", ts);
        Path tmp = json.resolveSibling("." + json.getFileName() + ".tmp");
        Files.createDirectories(json.toAbsolutePath().getParent());
        Files.writeString(tmp, org.lipflow.io.Json.write(root) + "\n");
        Files.move(tmp, json, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
