package org.lipflow.cli;

import org.lipflow.flow.Block;
import org.lipflow.flow.DivergenceEstimator;
import org.lipflow.flow.FlowOptions;
import org.lipflow.io.Json;
import org.lipflow.io.ReadOptions;
import org.lipflow.io.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.LinkedHashMap;
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

    @Option(names = "--f", defaultValue = "kl", description = "kl | alpha (default ${DEFAULT-VALUE})")
    String f;

    @Option(names = "--alpha", defaultValue = "2", description = "alpha > 1 for --f alpha (default ${DEFAULT-VALUE})")
    double alpha;

    @Option(names = "--lipschitz", defaultValue = "1", description = "Lipschitz bound L > 0 (default ${DEFAULT-VALUE})")
    double lipschitz;

    @Option(names = "--seed", defaultValue = "0", description = "seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--steps", defaultValue = "1000", description = "Adam steps (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--learning-rate", defaultValue = "0.005", description = "Adam step size (default ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--hidden", defaultValue = "32,32,32", split = ",", description = "hidden widths (default ${DEFAULT-VALUE})")
    int[] hidden;

    @Option(names = "--batch-size", defaultValue = "0", description = "minibatch rows; 0 = full batch (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--threads", defaultValue = "0", description = "worker threads; 0 = all cores")
    int threads;

    @Override
    public Integer call() {
        Block bp = Tables.read(p, ReadOptions.defaults()).block();
        Block bq = Tables.read(q, ReadOptions.defaults()).block();
        if (bp.dimension != bq.dimension) {
            throw new IllegalArgumentException("dimension mismatch: " + p + " has " + bp.dimension + " feature columns, "
                    + q + " has " + bq.dimension);
        }
        FlowOptions d = FlowOptions.defaults();
        FlowOptions o = new FlowOptions(seed, 1, d.dt(), d.integrator(), f, alpha, f.equalsIgnoreCase("kl") ? "dv" : "lt",
                lipschitz, hidden, d.activation(), d.norm(), false, learningRate, steps, batchSize, false,
                d.beta1(), d.beta2(), d.epsilon());
        long t0 = System.nanoTime();
        DivergenceEstimator.Estimate e = DivergenceEstimator.estimate(o, unlabelled(bp), unlabelled(bq),
                threads == 0 ? Runtime.getRuntime().availableProcessors() : threads);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("divergence", e.divergence());
        out.put("f", o.f());
        if (o.f().equals("alpha")) {
            out.put("alpha", alpha);
        }
        out.put("lipschitz", lipschitz);
        out.put("steps", steps);
        out.put("learning_rate", learningRate);
        out.put("hidden", Arrays.stream(hidden).boxed().toList());
        out.put("p_rows", bp.rows);
        out.put("q_rows", bq.rows);
        out.put("dimension", bp.dimension);
        out.put("seed", seed);
        out.put("millis", (System.nanoTime() - t0) / 1_000_000);
        command.commandLine().getOut().println(Json.write(out));
        return 0;
    }

    private static Block unlabelled(Block b) {
        return b.labels == null ? b : new Block(b.rows, b.dimension, b.x, null, null);
    }
}
