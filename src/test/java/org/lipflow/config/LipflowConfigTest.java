package org.lipflow.config;

import com.typesafe.config.Config;
import org.junit.jupiter.api.Test;
import org.lipflow.flow.FlowOptions;

import java.io.File;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LipflowConfigTest {

    @Test
    void defaultsAreTheReferenceHyperParameters() {
        FlowOptions o = LipflowConfig.flowOptions(LipflowConfig.load(null, List.of()));
        assertEquals(FlowOptions.defaults().withSteps(500), o);
    }

    @Test
    void everyShippedExampleIsValid() {
        File[] examples = new File("conf/examples").listFiles((d, n) -> n.endsWith(".conf"));
        assertTrue(examples != null && examples.length >= 6, "examples present");
        for (File f : examples) {
            Config c = LipflowConfig.load(f.getPath(), List.of());
            RunSpec spec = LipflowConfig.toRunSpec(c);
            assertTrue(spec.target().synthetic() != null, f + " generates its target");
        }
    }

    @Test
    void overridesApplyInOrderAndUnknownKeysAreRejected() {
        Config c = LipflowConfig.load("conf/examples/gaussian.conf", List.of("flow.steps=7", "flow.steps=9", "discriminator.hidden=[8,8]"));
        FlowOptions o = LipflowConfig.flowOptions(c);
        assertEquals(9, o.steps());
        assertEquals(2, o.hidden().length);
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
                {"flow.integrator=rk4", "flow.integrator must be euler or heun, got 'rk4'"},
                {"discriminator.hidden=[32,x]", "config key 'discriminator.hidden' must be a list of integers"},
                {"target.synthetic=\"\"", "target: set target.path"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LipflowConfig.toRunSpec(LipflowConfig.load("conf/examples/gaussian.conf", List.of(c[0]))));
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
    }
}
