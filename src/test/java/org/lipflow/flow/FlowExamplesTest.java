package org.lipflow.flow;

import com.typesafe.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lipflow.config.LipflowConfig;
import org.lipflow.config.RunSpec;
import org.lipflow.data.SyntheticData;
import org.lipflow.engine.FlowProblem;
import org.lipflow.engine.FlowResult;
import org.lipflow.engine.InProcessEngine;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The paper's examples, from the shipped configurations in conf/examples. {@link #run} builds the problem
 * in data units (no data.standardize), so the figures quoted here are the data-unit flow's; the mixture's
 * were measured at its Adam step 0.005 (lipflow's default; before, the example pinned 0.001), with the
 * 0.001 figures in brackets where they are quoted.
 */
public class FlowExamplesTest {

    record Run(FlowResult result, List<StepMetrics> metrics, Block target) {
    }

    static Run run(String conf, String... overrides) {
        Config c = LipflowConfig.load(conf, List.of(overrides));
        RunSpec spec = LipflowConfig.toRunSpec(c);
        Block target = SyntheticData.generate(spec.target().synthetic());
        SyntheticData.Spec s = spec.source().synthetic();
        Block source = SyntheticData.generate(new SyntheticData.Spec(s.name(), s.n(), s.seed(), target.dimension, s.mean(),
                s.std(), s.nu(), false));
        if (target.labels != null) {
            int[] labels = new int[source.rows];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = i % 4;
            }
            source = new Block(source.rows, source.dimension, source.x, labels, null);
        }
        List<StepMetrics> metrics = new ArrayList<>();
        FlowResult r = new InProcessEngine(2).run(FlowProblem.of(spec.options(), target, source),
                metrics::add);
        return new Run(r, metrics, target);
    }

    public static int nearestMode(float x, float y) {
        int best = 0;
        double bestD = Double.MAX_VALUE;
        for (int k = 0; k < 4; k++) {
            double dx = x - SyntheticData.MIXTURE4_MODES[k][0], dy = y - SyntheticData.MIXTURE4_MODES[k][1];
            if (dx * dx + dy * dy < bestD) {
                bestD = dx * dx + dy * dy;
                best = k;
            }
        }
        return best;
    }

    static double distanceToMode(float x, float y, int k) {
        return Math.hypot(x - SyntheticData.MIXTURE4_MODES[k][0], y - SyntheticData.MIXTURE4_MODES[k][1]);
    }

    /**
     * Each mode holds 25% ± 7% of the particles (50 ± 14 of 200) and fewer than 5% (of 200: at most 9) are
     * beyond 3σ of every mode. A run whose particles stay in the source (all of N(0, 0.5²) lies in the mode at
     * the origin) or that empties a mode fails.
     */
    public static void assertEveryModeFilled(Block p, String what) {
        int[] counts = new int[4];
        int far = 0;
        for (int i = 0; i < p.rows; i++) {
            int k = nearestMode(p.x[2 * i], p.x[2 * i + 1]);
            counts[k]++;
            if (distanceToMode(p.x[2 * i], p.x[2 * i + 1], k) > 3 * 0.5) {
                far++;
            }
        }
        for (int k = 0; k < 4; k++) {
            assertEquals(0.25, counts[k] / (double) p.rows, 0.07, what + ": mode " + k + " weight");
        }
        assertTrue(far < 0.05 * p.rows, what + ": " + far + " particles farther than 3 sigma from every mode");
    }

    /** Measured: 50 / 51 / 51 / 48 particles, 4 of 200 beyond 3σ (at 0.001: 50 / 50 / 49 / 51, 5). */
    @Test
    void gaussianMixtureFillsEveryModeWithAQuarterOfTheParticles() {
        assertEveryModeFilled(run("conf/examples/gaussian-mixture.conf").result().particles().collect(), "kl");
    }

    /**
     * The example with only divergence.f changed: the same 500 steps, Δt and learning rate as KL. Measured
     * (particles per mode; beyond 3σ): reverse-kl 51 / 51 / 50 / 48, 5; js 61 / 48 / 48 / 43, 3 (the largest
     * deviation, 0.055 against the bound 0.07; at 0.001: 52 / 51 / 48 / 49); hellinger 56 / 51 / 48 / 45, 5;
     * chi2 51 / 50 / 49 / 50, 5.
     */
    @ParameterizedTest
    @ValueSource(strings = {"reverse-kl", "js", "hellinger", "chi2"})
    void everyDivergenceFillsEveryModeOfTheMixture(String f) {
        assertEveryModeFilled(run("conf/examples/gaussian-mixture.conf", "divergence.f=" + f).result().particles().collect(), f);
    }

    @Test
    void gaussianConvergesWhileTheDivergenceDecreasesAndTheKineticEnergyVanishes() {
        Run run = run("conf/examples/gaussian.conf");
        Block p = run.result().particles().collect();
        for (int k = 0; k < 2; k++) {
            double mean = 0, sq = 0;
            for (int i = 0; i < p.rows; i++) {
                mean += p.x[2 * i + k] / p.rows;
            }
            for (int i = 0; i < p.rows; i++) {
                sq += Math.pow(p.x[2 * i + k] - mean, 2) / p.rows;
            }
            assertEquals(0.0, mean, 0.2, "mean of coordinate " + k);
            assertEquals(1.0, Math.sqrt(sq), 0.2, "std of coordinate " + k);
        }
        List<StepMetrics> m = run.metrics();
        double early = m.subList(0, 10).stream().mapToDouble(StepMetrics::divergence).average().orElseThrow();
        double late = m.subList(m.size() - 50, m.size()).stream().mapToDouble(StepMetrics::divergence).average().orElseThrow();
        double keMax = m.stream().mapToDouble(StepMetrics::kineticEnergy).max().orElseThrow();
        double keLate = m.subList(m.size() - 50, m.size()).stream().mapToDouble(StepMetrics::kineticEnergy).average().orElseThrow();
        assertTrue(late < 0.05 * early, "divergence " + early + " -> " + late);
        assertTrue(keLate < 1e-3 * keMax, "kinetic energy " + keMax + " -> " + keLate);
        for (StepMetrics s : m) {
            assertTrue(s.maxSpeed() <= 1.0 * (1 + 1e-3), "speed bounded by L at step " + s.step() + ": " + s.maxSpeed());
        }
    }

    @Test
    void heavyTailedStudentTStaysFiniteWithAlphaTwoAndWithLogSumExpKl() {
        for (String conf : new String[]{"conf/examples/student-t-alpha.conf", "conf/examples/student-t-kl.conf"}) {
            Run run = run(conf, "flow.steps=300");
            assertTrue(run.result().particles().collect().finite(), conf);
            double maxAbs = 0;
            for (float v : run.target().x) {
                maxAbs = Math.max(maxAbs, Math.abs(v));
            }
            assertTrue(maxAbs > 1e3, "the target is heavy-tailed: max |x| = " + maxAbs);
        }
    }

    @Test
    void sameSeedGivesBitIdenticalParticlesWhateverTheThreadCount() {
        String[] o = {"flow.steps=40", "source.n=5000"};
        Config c = LipflowConfig.load("conf/examples/gaussian-mixture.conf", List.of(o));
        RunSpec spec = LipflowConfig.toRunSpec(c);
        Block target = SyntheticData.generate(spec.target().synthetic());
        SyntheticData.Spec s = spec.source().synthetic();
        Block source = SyntheticData.generate(new SyntheticData.Spec(s.name(), s.n(), s.seed(), 2, s.mean(), s.std(), s.nu(), false));
        Block one = new InProcessEngine(1).run(FlowProblem.of(spec.options(), target, source), FlowListener.NONE).particles().collect();
        Block two = new InProcessEngine(2).run(FlowProblem.of(spec.options(), target, source), FlowListener.NONE).particles().collect();
        assertArrayEquals(one.x, two.x);
        FlowOptions other = spec.options().toBuilder().seed(1).build();
        Block three = new InProcessEngine(2).run(FlowProblem.of(other, target, source), FlowListener.NONE).particles().collect();
        assertTrue(!java.util.Arrays.equals(one.x, three.x), "another seed gives another flow");
    }

    /** Measured: 193 of 200 within 1.5 of their own label's mode (bound: more than 170; at 0.001: 198). */
    @Test
    void conditionalParticlesReachTheModeOfTheirOwnLabel() {
        Run run = run("conf/examples/gaussian-mixture.conf", "target.labels=true", "flow.steps=600");
        Block p = run.result().particles().collect();
        int near = 0;
        for (int i = 0; i < p.rows; i++) {
            if (distanceToMode(p.x[2 * i], p.x[2 * i + 1], p.labels[i]) < 1.5) {
                near++;
            }
        }
        assertTrue(near > 0.85 * p.rows, near + " of " + p.rows + " particles near the mode of their label");
    }

    /**
     * Weights only, within 0.08 of 0.25. Measured: batch 64 49 / 51 / 52 / 48 (largest deviation 0.010);
     * Heun (each-stage re-training) after 300 steps 59 / 51 / 47 / 43 (0.045; at 0.001: 0.015).
     */
    @Test
    void minibatchTrainingAndHeunAlsoFillTheModes() {
        for (String[] o : new String[][]{{"discriminator.batch-size=64"}, {"flow.integrator=heun", "flow.steps=300"}}) {
            Block p = run("conf/examples/gaussian-mixture.conf", o).result().particles().collect();
            int[] counts = new int[4];
            for (int i = 0; i < p.rows; i++) {
                counts[nearestMode(p.x[2 * i], p.x[2 * i + 1])]++;
            }
            for (int k = 0; k < 4; k++) {
                assertEquals(0.25, counts[k] / (double) p.rows, 0.08, String.join(",", o) + " mode " + k);
            }
        }
    }
}
