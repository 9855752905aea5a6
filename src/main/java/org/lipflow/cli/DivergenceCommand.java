package org.lipflow.cli;

import org.lipflow.config.LipflowConfig;
import org.lipflow.divergence.Family;
import org.lipflow.flow.Block;
import org.lipflow.flow.DivergenceEstimator;
import org.lipflow.flow.FlowOptions;
import org.lipflow.flow.Minibatch;
import org.lipflow.io.Json;
import org.lipflow.io.ReadOptions;
import org.lipflow.io.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code lipflow divergence}: estimate D_f^L(P‖Q) between two samples; prints one JSON object. */
@Command(name = "divergence", mixinStandardHelpOptions = true,
        description = "Estimate the (f, Gamma_L)-divergence D(P||Q) of two samples by training a Lipschitz discriminator.")
final class DivergenceCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Option(names = "--p", required = true, paramLabel = "P", description = "sample of P (CSV or Parquet)")
    String p;

    @Option(names = "--q", required = true, paramLabel = "Q", description = "sample of Q (CSV or Parquet)")
    String q;

    @Option(names = "--f", description = "kl | alpha | reverse-kl | js | hellinger | chi2: divergence.f (default kl)")
    String f;

    @Option(names = "--alpha", description = "alpha > 1 for --f alpha: divergence.alpha (default 2)")
    Double alpha;

    @Option(names = "--lipschitz", description = "Lipschitz bound L > 0: divergence.lipschitz (default 1)")
    Double lipschitz;

    @Option(names = "--seed", description = "seed (default 0)")
    Long seed;

    @Option(names = "--steps", description = "Adam steps: estimate.steps (default 1000)")
    Integer steps;

    @Option(names = "--learning-rate", description = "Adam step size: estimate.learning-rate (default 0.005)")
    Double learningRate;

    @Option(names = "--hidden", split = ",", description = "hidden widths: discriminator.hidden (default 32,32,32)")
    int[] hidden;

    @Option(names = "--batch-size", paramLabel = "b|auto", description = "minibatch rows; 0 = full batch; auto = "
            + "min(M, max(2N, 256)) as in run: discriminator.batch-size (default 0)")
    String batchSize;

    @Option(names = "--threads", defaultValue = "0", description = "worker threads; 0 = all cores")
    int threads;

    /** The flags as configuration overrides: defaults come from lipflow-defaults.conf, like every command's. */
    List<String> overrides() {
        List<String> o = new ArrayList<>();
        if (f != null) {
            o.add("divergence.f=" + RunCommand.quote(f));
        }
        if (alpha != null) {
            o.add("divergence.alpha=" + alpha);
        }
        if (lipschitz != null) {
            o.add("divergence.lipschitz=" + lipschitz);
        }
        if (seed != null) {
            o.add("seed=" + seed);
        }
        if (steps != null) {
            o.add("estimate.steps=" + steps);
        }
        if (learningRate != null) {
            o.add("estimate.learning-rate=" + learningRate);
        }
        if (hidden != null) {
            o.add("discriminator.hidden=" + Arrays.toString(hidden));
        }
        if (batchSize != null) {
            // a number stays a number; auto (or anything else) goes in as text for the key's own check
            o.add("discriminator.batch-size=" + (batchSize.matches("-?\\d+") ? batchSize : RunCommand.quote(batchSize)));
        }
        return o;
    }

    @Override
    public Integer call() throws java.io.IOException {
        FlowOptions o = LipflowConfig.estimateOptions(LipflowConfig.load(null, overrides()));
        new InputFiles().file("--p", p).file("--q", q).check();
        // bad-input errors of a file name its option: --p P.csv line 3, column x2: not a number 'abc'
        Block bp = new InputFiles().file("--p", p).read(() -> Tables.read(p, ReadOptions.defaults())).block();
        Block bq = new InputFiles().file("--q", q).read(() -> Tables.read(q, ReadOptions.defaults())).block();
        if (bp.dimension != bq.dimension) {
            throw new IllegalArgumentException("dimension mismatch: " + InputFiles.named("--p", p) + " has " + bp.dimension
                    + " feature columns, " + InputFiles.named("--q", q) + " has " + bq.dimension);
        }
        long t0 = System.nanoTime();
        DivergenceEstimator.Estimate e = DivergenceEstimator.estimate(o, unlabelled(bp), unlabelled(bq),
                threads == 0 ? Runtime.getRuntime().availableProcessors() : threads);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("divergence", e.divergence());
        out.put("f", o.divergence().f().configName());
        if (o.divergence().f() == Family.ALPHA) {
            out.put("alpha", o.divergence().alpha());
        }
        out.put("lipschitz", o.divergence().lipschitz());
        out.put("steps", o.training().steps());
        out.put("learning_rate", o.training().learningRate());
        out.put("hidden", o.discriminator().hidden());
        // the minibatch the estimate trained on: 0 = full batch; auto resolved against these samples
        long b = Minibatch.resolve(o.training().batchSize(), bp.rows, bq.rows);
        out.put("batch_size", b >= bp.rows && b >= bq.rows ? 0 : b); // a batch as large as both samples is the full batch
        out.put("p_rows", bp.rows);
        out.put("q_rows", bq.rows);
        out.put("dimension", bp.dimension);
        out.put("seed", o.seed());
        out.put("millis", (System.nanoTime() - t0) / 1_000_000);
        command.commandLine().getOut().println(Json.write(out));
        return 0;
    }

    private static Block unlabelled(Block b) {
        return b.labels == null ? b : new Block(b.rows, b.dimension, b.x, null, null);
    }
}
