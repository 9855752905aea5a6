package org.lipflow.cli;

import com.typesafe.config.Config;
import org.lipflow.config.LipflowConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code lipflow autoencoder}: fit the latent stage's model on a data set and write its model directory. */
@Command(name = "autoencoder", mixinStandardHelpOptions = true,
        description = "Fit the latent stage (latent.type = pca, dense or conv) on a data set and write a model directory for "
                + "run --set latent.model=DIR. Flags override the configuration file, --set overrides any key.")
final class AutoencoderCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Parameters(arity = "0..1", paramLabel = "CONF", description = "configuration file (same as --conf)")
    String positionalConf;

    @Option(names = "--conf", paramLabel = "FILE", description = "HOCON configuration file")
    String conf;

    @Option(names = "--data", paramLabel = "URI", description = "training data (CSV or Parquet, any Hadoop URI): target.path; "
            + "repeat it for several data sets with the same columns, fitted as their union (latent.data)")
    List<String> data = new ArrayList<>();

    @Option(names = "--out", paramLabel = "MODEL_DIR", description = "model directory to write: latent.out (default latent.model)")
    String out;

    @Option(names = "--engine", paramLabel = "inprocess|spark", description = "where to train: engine.type (auto: Spark off local masters)")
    String engine;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master URL: engine.master (default local[*])")
    String master;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override one configuration key (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--overwrite", description = "replace an existing model directory: output.overwrite")
    boolean overwrite;

    @Option(names = "--quiet", description = "no per-epoch lines and no informational lines (engine, where it wrote); "
            + "errors stay: output.progress = false, output.quiet = true")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        String file = RunCommand.configFile(conf, positionalConf);
        List<String> overrides = new ArrayList<>();
        if (data.size() == 1) {
            overrides.add("target.path=" + RunCommand.quote(data.get(0)));
        } else if (data.size() > 1) {
            overrides.add("latent.data=[" + String.join(", ", data.stream().map(RunCommand::quote).toList()) + "]");
        }
        if (out != null) {
            overrides.add("latent.out=" + RunCommand.quote(out));
        }
        if (engine != null) {
            overrides.add("engine.type=" + RunCommand.quote(engine));
        }
        if (master != null) {
            overrides.add("engine.master=" + RunCommand.quote(master));
        }
        if (overwrite) {
            overrides.add("output.overwrite=true");
        }
        if (quiet) {
            overrides.add("output.progress=false");
            overrides.add("output.quiet=true");
        }
        LipflowConfig.checkAgree(overrides, sets);
        overrides.addAll(sets);
        Config c = LipflowConfig.load(file, overrides);
        new AutoencoderJob(c, command.commandLine().getErr()).run();
        return 0;
    }
}
