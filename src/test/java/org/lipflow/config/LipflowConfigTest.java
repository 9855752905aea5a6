package org.lipflow.config;

import com.typesafe.config.Config;
import org.junit.jupiter.api.Test;
import org.lipflow.discriminator.Activation;
import org.lipflow.discriminator.LayerNorm;
import org.lipflow.discriminator.LipschitzConstraint;
import org.lipflow.divergence.Family;
import org.lipflow.divergence.Formulation;
import org.lipflow.flow.FlowOptions;
import org.lipflow.flow.Integrator;

import java.io.File;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LipflowConfigTest {

    @Test
    void defaultsAreTheReferenceHyperParameters() {
        FlowOptions expected = new FlowOptions(0, new FlowOptions.Integration(500, 0.5, Integrator.EULER),
                new FlowOptions.Divergence(Family.KL, 2.0, Formulation.DV, 1.0),
                new FlowOptions.Network(List.of(32, 32, 32), Activation.RELU, LayerNorm.SPECTRAL, LipschitzConstraint.Mode.PROJECT),
                new FlowOptions.Training(3, 5e-3, 0, false, 0.9, 0.999, 1e-8)); // 0.005: chosen with jobs/quality-suite
        assertEquals(expected, LipflowConfig.flowOptions(LipflowConfig.load(null, List.of())));
        assertEquals(expected, LipflowConfig.defaultFlowOptions());
        assertEquals(expected.hashCode(), LipflowConfig.defaultFlowOptions().hashCode());
    }

    @Test
    void aFractionForAnIntegerKeyIsRejectedNotTruncated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LipflowConfig.flowOptions(LipflowConfig.load(null, List.of("flow.steps=200.5"))));
        assertEquals("config key 'flow.steps' must be an integer, got '200.5'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LipflowConfig.flowOptions(LipflowConfig.load(null, List.of("discriminator.steps=\"3.5\""))));
        assertEquals("config key 'discriminator.steps' must be an integer, got '3.5'", e.getMessage());
        assertEquals(200, LipflowConfig.flowOptions(LipflowConfig.load(null, List.of("flow.steps=200.0"))).flow().steps());
    }

    @Test
    void theDivergenceCommandTakesItsTrainingFromTheEstimateKeys() {
        FlowOptions o = LipflowConfig.estimateOptions(LipflowConfig.load(null, List.of()));
        assertEquals(1000, o.training().steps());
        assertEquals(0.005, o.training().learningRate());
        assertEquals(LipflowConfig.defaultFlowOptions().divergence(), o.divergence());
        FlowOptions set = LipflowConfig.estimateOptions(LipflowConfig.load(null, List.of("estimate.steps=7")));
        assertEquals(7, set.training().steps());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LipflowConfig.estimateOptions(LipflowConfig.load(null, List.of("estimate.steps=0"))));
        assertEquals("estimate.steps must be >= 1, got 0", e.getMessage());
    }

    @Test
    void optionsAreValuesWhoseTextListsEveryValue() {
        FlowOptions a = LipflowConfig.defaultFlowOptions();
        FlowOptions same = a.toBuilder().hidden(32, 32, 32).build(); // another list instance, equal values
        assertEquals(a, same);
        assertEquals(a.hashCode(), same.hashCode());
        assertNotEquals(a, a.toBuilder().hidden(32, 32).build());
        assertNotEquals(a, a.toBuilder().constraint(LipschitzConstraint.Mode.RESCALE).build());
        assertNotEquals(a, a.toBuilder().seed(1).build());
        String s = a.toString();
        for (String v : new String[]{"seed=0", "steps=500", "dt=0.5", "integrator=EULER", "f=KL", "alpha=2.0", "formulation=DV",
                "lipschitz=1.0", "hidden=[32, 32, 32]", "activation=RELU", "norm=SPECTRAL", "constraint=PROJECT", "steps=3",
                "learningRate=0.005", "batchSize=0", "resetOptimizer=false", "beta1=0.9", "beta2=0.999", "epsilon=1.0E-8"}) {
            assertTrue(s.contains(v), v + " in " + s);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.toBuilder().lipschitz(-1).build());
        assertEquals("divergence.lipschitz must be > 0 and finite, got -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.toBuilder().batchSize(-2).build());
        assertTrue(e.getMessage().startsWith("discriminator.batch-size must be >= 0"), e.getMessage());
    }

    @Test
    void everyShippedExampleIsValid() {
        File[] examples = new File("conf/examples").listFiles((d, n) -> n.endsWith(".conf"));
        assertTrue(examples != null && examples.length >= 6, "examples present");
        for (File f : examples) {
            Config c = LipflowConfig.load(f.getPath(), List.of());
            RunSpec spec = LipflowConfig.toRunSpec(c);
            if (f.getName().startsWith("fashion-mnist")) {
                // the images of the Debian package dataset-fashion-mnist, 20 or 600 per class
                assertEquals("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz", spec.target().path(), f.toString());
                assertTrue(spec.target().read().perClass() > 0, f + " draws a class-balanced subset");
                LatentConfig.autoencoder(c); // every example is also valid input of `autoencoder --conf`
            } else if (f.getName().equals("batch-integration.conf")) {
                // the two batches jobs/batch-integration generates; PCA fitted on both (autoencoder --conf)
                assertTrue(spec.target().path().endsWith("reference.csv") && spec.source().path().endsWith("shifted.csv"), f.toString());
                assertEquals(List.of(spec.target().path(), spec.source().path()), LatentConfig.data(c));
                assertTrue(spec.source().read().idRequired(), "source.id-column set explicitly");
            } else {
                assertTrue(spec.target().synthetic() != null, f + " generates its target");
            }
        }
    }

    @Test
    void overridesApplyInOrderAndUnknownKeysAreRejected() {
        Config c = LipflowConfig.load("conf/examples/gaussian.conf", List.of("flow.steps=7", "flow.steps=9", "discriminator.hidden=[8,8]"));
        FlowOptions o = LipflowConfig.flowOptions(c);
        assertEquals(9, o.flow().steps());
        assertEquals(List.of(8, 8), o.discriminator().hidden());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LipflowConfig.load(null, List.of("discriminator.hiden=[8]")));
        assertTrue(e.getMessage().contains("unknown config key 'discriminator.hiden'"), e.getMessage());
    }

    @Test
    void invalidValuesNameTheKeyTheValueAndTheRule() {
        for (String[] c : new String[][]{
                {"divergence.lipschitz=-1", "divergence.lipschitz must be > 0 and finite, got -1.0"},
                {"discriminator.steps=0", "discriminator.steps must be >= 1, got 0"},
                {"discriminator.activation=sigmoid", "discriminator.activation must be one of relu, leaky-relu, elu, tanh, got 'sigmoid'"},
                {"flow.integrator=rk5", "flow.integrator must be one of euler, forward-euler, heun, ab2, ab3, rk4, got 'rk5'"},
                {"flow.integrator-retrain=sometimes", "flow.integrator-retrain must be one of each-stage, reuse, got 'sometimes'"},
                {"divergence.f=jsd", "divergence.f must be one of kl | alpha | reverse-kl | js | hellinger | chi2, got 'jsd'"},
                {"flow.stop.kinetic-energy=-1", "flow.stop.kinetic-energy must be >= 0 and finite (0 = off), got -1.0"},
                {"flow.stop.window=0", "flow.stop.window must be >= 1, got 0"},
                {"discriminator.hidden=[32,x]", "config key 'discriminator.hidden' must be a list of integers"},
                {"target.synthetic=\"\"", "target: set target.path"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LipflowConfig.toRunSpec(LipflowConfig.load("conf/examples/gaussian.conf", List.of(c[0]))));
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
    }
}
