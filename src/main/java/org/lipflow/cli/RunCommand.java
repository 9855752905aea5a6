package org.lipflow.cli;

import com.typesafe.config.Config;
import org.lipflow.config.LipflowConfig;
import org.lipflow.config.RunSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code lipflow run}: transport particles toward the target and write the outputs. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a generative particle flow. Flags override the configuration file, --set overrides any key.")
final class RunCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Parameters(arity = "0..1", paramLabel = "CONF", description = "configuration file (same as --conf)")
    String positionalConf;

    @Option(names = "--conf", paramLabel = "FILE", description = "HOCON configuration file")
    String conf;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override one configuration key (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--target", paramLabel = "T", description = "target samples (CSV or Parquet): target.path")
    String target;

    @Option(names = "--source", paramLabel = "S", description = "initial particles (CSV or Parquet): source.path")
    String source;

    @Option(names = "--particles", paramLabel = "M", description = "number of generated particles: source.n")
    Integer particles;

    @Option(names = "--steps", paramLabel = "n", description = "outer steps: flow.steps")
    Integer steps;

    @Option(names = "--seed", paramLabel = "s", description = "seed of the flow: seed")
    Long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory: output.dir")
    String out;

    @Option(names = "--format", paramLabel = "parquet|csv", description = "particles file format: output.format")
    String format;

    @Option(names = "--overwrite", description = "replace an existing output directory: output.overwrite")
    boolean overwrite;

    @Option(names = "--engine", paramLabel = "inprocess|spark|auto", description = "engine: engine.type")
    String engine;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master URL: engine.master (default local[*])")
    String master;

    @Option(names = "--partitions", paramLabel = "N", description = "particle partitions of the Spark engine: engine.partitions")
    Integer partitions;

    @Option(names = "--quiet", description = "no progress line and no informational lines (engine, checkpoints, where it wrote); "
            + "warnings and errors stay: output.progress = false, output.quiet = true")
    boolean quiet;

    @Option(names = "--resume", description = "continue from the newest checkpoint of this run (--steps is the total); "
            + "none yet: start from step 0: checkpoint.resume = true")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        String file = configFile(conf, positionalConf);
        List<String> overrides = new ArrayList<>();
        if (target != null) {
            overrides.add("target.path=" + quote(target));
        }
        if (source != null) {
            overrides.add("source.path=" + quote(source));
        }
        if (particles != null) {
            overrides.add("source.n=" + particles);
        }
        if (steps != null) {
            overrides.add("flow.steps=" + steps);
        }
        if (seed != null) {
            overrides.add("seed=" + seed);
        }
        if (out != null) {
            overrides.add("output.dir=" + quote(out));
        }
        if (format != null) {
            overrides.add("output.format=" + quote(format));
        }
        if (overwrite) {
            overrides.add("output.overwrite=true");
        }
        if (engine != null) {
            overrides.add("engine.type=" + quote(engine));
        }
        if (master != null) {
            overrides.add("engine.master=" + quote(master));
        }
        if (partitions != null) {
            overrides.add("engine.partitions=" + partitions);
        }
        if (quiet) {
            overrides.add("output.progress=false");
            overrides.add("output.quiet=true");
        }
        if (resume) {
            overrides.add("checkpoint.resume=true");
        }
        // the README's order: file, then flags, then --set; a flag and a --set must not disagree
        LipflowConfig.checkAgree(overrides, sets);
        overrides.addAll(sets);
        Config c = LipflowConfig.load(file, overrides);
        RunSpec spec = LipflowConfig.toRunSpec(c);
        new RunJob(spec, LipflowConfig.sourceFollowsTarget(c), command.commandLine().getErr(), c.getBoolean("output.quiet")).run();
        return 0;
    }

    /** The configuration file given as --conf or as the first argument (once, or twice the same). */
    static String configFile(String conf, String positional) {
        if (conf != null && positional != null && !conf.equals(positional)) {
            throw new IllegalArgumentException("give the configuration file once (--conf or positional), not both");
        }
        return conf != null ? conf : positional;
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
