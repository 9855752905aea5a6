package org.lipflow.cli;

import org.lipflow.data.SyntheticData;
import org.lipflow.data.TwoBatch;
import org.lipflow.io.IdColumn;
import org.lipflow.flow.Block;
import org.lipflow.io.OutputDirectory;
import org.lipflow.io.Table;
import org.lipflow.io.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code lipflow datasets}: write one of the paper's synthetic data sets as CSV or Parquet. */
@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = "Generate a synthetic data set: gaussian, mixture4, student-t, swiss-roll, sierpinski; or two-batch "
                + "(a directory of two labelled batches with a known shift: the data-integration example).")
final class DatasetsCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Option(names = "--name", required = true, description = "gaussian | mixture4 | student-t | swiss-roll | sierpinski | two-batch")
    String name;

    @Option(names = "--n", required = true, description = "number of samples")
    int n;

    @Option(names = "--seed", defaultValue = "0", description = "seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, description = "output file (.csv or .parquet)")
    String out;

    @Option(names = "--dimension", defaultValue = "2", description = "gaussian / student-t dimension (default ${DEFAULT-VALUE})")
    int dimension;

    @Option(names = "--mean", defaultValue = "0", description = "gaussian / student-t mean (default ${DEFAULT-VALUE})")
    double mean;

    @Option(names = "--std", defaultValue = "NaN", description = "gaussian std (default 1) or mixture4 mode std (default 0.5)")
    double std;

    @Option(names = "--nu", defaultValue = "0.5", description = "student-t degrees of freedom (default ${DEFAULT-VALUE})")
    double nu;

    @Option(names = "--labels", description = "mixture4: add a label column with the mode")
    boolean labels;

    @Option(names = "--overwrite", description = "replace an existing file")
    boolean overwrite;

    @Option(names = "--shift", defaultValue = "3", description = "two-batch: the batch effect's size (default ${DEFAULT-VALUE})")
    double shift;

    @Option(names = "--class-effect", defaultValue = "2.5", description = "two-batch: the class difference's size "
            + "(default ${DEFAULT-VALUE})")
    double classEffect;

    @Option(names = "--noise", defaultValue = "1", description = "two-batch: per-feature noise std (default ${DEFAULT-VALUE})")
    double noise;

    @Option(names = "--format", defaultValue = "csv", description = "two-batch: csv or parquet (default ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--quiet", description = "no \"wrote ...\" line on stderr (errors stay)")
    boolean quiet;

    /** The informational line: stderr, or nowhere with --quiet. */
    private void info(String line) {
        if (!quiet) {
            command.commandLine().getErr().println(line);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (name.equalsIgnoreCase("two-batch")) {
            return twoBatch();
        }
        double s = Double.isNaN(std) ? (name.equalsIgnoreCase("mixture4") ? 0.5 : 1.0) : std;
        SyntheticData.Spec spec;
        try {
            spec = new SyntheticData.Spec(name, n, seed, dimension, mean, s, nu, labels);
        } catch (SyntheticData.InvalidSpec e) {
            String flag = "--" + (e.field().equals("synthetic") ? "name" : e.field());
            throw new IllegalArgumentException(e.field().equals("synthetic") ? flag + ": " + e.rule() : flag + " " + e.rule());
        }
        Path target = Path.of(out).toAbsolutePath();
        if (Files.exists(target) && !overwrite) {
            throw new IllegalArgumentException("output " + target + " already exists (use --overwrite)");
        }
        Block b = SyntheticData.generate(spec);
        String format = out.toLowerCase(java.util.Locale.ROOT).endsWith(".parquet") ? "parquet" : "csv";
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + java.util.UUID.randomUUID());
        try {
            Tables.write(tmp.toString(), new Table(SyntheticData.columns(spec), b, b.labels == null ? null : "label"), format);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            OutputDirectory.deleteRecursively(tmp);
            Files.deleteIfExists(tmp.resolveSibling("." + tmp.getFileName() + ".crc"));
        }
        info("lipflow: wrote " + b.rows + " samples of " + spec.name() + " (d = " + b.dimension + ") to " + target);
        return 0;
    }

    /**
     * two-batch: a directory (--out) with reference.FMT and shifted.FMT (--n labelled rows each, an
     * id column of sample names, gene columns, a label column) and shifted-truth.FMT (the shifted
     * batch without its batch effect), written atomically.
     */
    private int twoBatch() throws Exception {
        String fmt = format.toLowerCase(java.util.Locale.ROOT);
        if (!fmt.equals("csv") && !fmt.equals("parquet")) {
            throw new IllegalArgumentException("--format must be csv or parquet, got '" + format + "'");
        }
        TwoBatch data = new TwoBatch(dimension, n, shift, classEffect, noise, seed);
        Path target = Path.of(out).toAbsolutePath();
        if (Files.exists(target) && !overwrite) {
            throw new IllegalArgumentException("output " + target + " already exists (use --overwrite)");
        }
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + java.util.UUID.randomUUID());
        try {
            Files.createDirectories(tmp);
            String[] columns = data.columns();
            Tables.write(tmp.resolve("reference." + fmt).toString(),
                    new Table(columns, data.batch(0), "label", null, new IdColumn("id", data.ids(0))), fmt);
            Tables.write(tmp.resolve("shifted." + fmt).toString(),
                    new Table(columns, data.batch(1), "label", null, new IdColumn("id", data.ids(1))), fmt);
            Tables.write(tmp.resolve("shifted-truth." + fmt).toString(),
                    new Table(columns, data.unshifted(1), "label", null, new IdColumn("id", data.ids(1))), fmt);
            try (var crc = Files.list(tmp)) {
                for (Path p : crc.filter(p -> p.getFileName().toString().endsWith(".crc")).toList()) {
                    Files.delete(p);
                }
            }
            if (Files.exists(target)) { // only a previous two-batch directory is replaced
                try (var entries = Files.list(target)) {
                    List<String> unknown = entries.map(p -> p.getFileName().toString())
                            .filter(f -> !f.matches("(reference|shifted|shifted-truth)\\.(csv|parquet)")).toList();
                    if (!unknown.isEmpty()) {
                        throw new IllegalArgumentException("output " + target + " is not a two-batch directory (it holds "
                                + unknown.get(0) + "); --overwrite replaces only one");
                    }
                }
                OutputDirectory.deleteRecursively(target);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            OutputDirectory.deleteRecursively(tmp);
        }
        info("lipflow: wrote two batches of " + n + " samples (d = " + dimension
                + ", shift " + shift + ") to " + target);
        return 0;
    }
}
