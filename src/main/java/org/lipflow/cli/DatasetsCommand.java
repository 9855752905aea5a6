package org.lipflow.cli;

import org.lipflow.data.SyntheticData;
import org.lipflow.flow.Block;
import org.lipflow.io.OutputDirectory;
import org.lipflow.io.Table;
import org.lipflow.io.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;

/** {@code lipflow datasets}: write one of the paper's synthetic data sets as CSV or Parquet. */
@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = "Generate a synthetic data set: gaussian, mixture4, student-t, swiss-roll, sierpinski.")
final class DatasetsCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Option(names = "--name", required = true, description = "gaussian | mixture4 | student-t | swiss-roll | sierpinski")
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

    @Override
    public Integer call() throws Exception {
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
        command.commandLine().getErr().println("lipflow: wrote " + b.rows + " samples of " + spec.name() + " (d = " + b.dimension + ") to " + target);
        return 0;
    }
}
