package org.lipflow.ml;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.junit.jupiter.api.Test;
import org.lipflow.config.LipflowConfig;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spark ML's param tests for ParticleFlow: defaults, setters, validation, copies; the key table they come from. */
class ParticleFlowParamsTest {

    @Test
    void defaultsAreTheFlowOptionsOfTheDefaultsFile() {
        assertEquals(LipflowConfig.defaultFlowOptions(), new ParticleFlow().flowOptions());
        ParticleFlow f = new ParticleFlow();
        assertEquals(500, f.getOrDefault(f.getParam("flowSteps")));
        assertEquals(0.5, f.getOrDefault(f.getParam("flowDt")));
        assertEquals(100L, f.getOrDefault(f.getParam("sourceSeed")));
        assertArrayEquals(new int[]{32, 32, 32}, (int[]) f.getOrDefault(f.getParam("discriminatorHidden")));
        assertEquals("features", f.getOrDefault(f.featuresCol()));
        assertEquals(1, f.getOrDefault(f.trajectoryStride()));
    }

    @Test
    void everyKeyOfTheFlowSectionsIsAParamNamedByItsCamelCaseWithItsCommentAsDoc() {
        Config defaults = LipflowConfig.defaults().resolve();
        ParticleFlow f = new ParticleFlow();
        int keys = 0;
        for (Map.Entry<String, ConfigValue> e : defaults.entrySet()) {
            String section = e.getKey().split("\\.")[0];
            if (ConfigParams.SECTIONS.contains(section)) {
                Param<?> p = f.configParam(e.getKey());
                assertEquals(ConfigParams.paramName(e.getKey()), p.name());
                assertTrue(p.doc().endsWith("(config key " + e.getKey() + ")"), p.doc());
                keys++;
            }
        }
        assertTrue(keys >= 20, keys + " keys");
        assertEquals("discriminatorLearningRate", ConfigParams.paramName("discriminator.learning-rate"));
        assertEquals("flowBlowupFactor", ConfigParams.paramName("flow.blowup-factor"));
        assertTrue(f.configParam("divergence.lipschitz").doc().startsWith("L > 0"), f.configParam("divergence.lipschitz").doc());
    }

    @Test
    void paramTypesFollowTheConverter() {
        ParticleFlow f = new ParticleFlow();
        assertInstanceOf(IntParam.class, f.getParam("flowSteps"));
        assertInstanceOf(DoubleParam.class, f.getParam("flowDt"));
        assertInstanceOf(DoubleParam.class, f.getParam("flowBlowupFactor"), "an integer default that the converter reads as a number");
        assertInstanceOf(DoubleParam.class, f.getParam("engineBroadcastLimitMb"));
        assertInstanceOf(IntParam.class, f.getParam("enginePartitions"));
        assertInstanceOf(LongParam.class, f.getParam("seed"));
        assertInstanceOf(IntArrayParam.class, f.getParam("discriminatorHidden"));
    }

    @Test
    void settersReachTheFlowOptions() {
        ParticleFlow f = new ParticleFlow().setFlowSteps(7).setDivergenceLipschitz(2).setConfig("discriminator.hidden",
                java.util.List.of(8, 4)).setParam("divergenceF", "alpha").setSeed(3);
        var o = f.flowOptions();
        assertEquals(7, o.flow().steps());
        assertEquals(2.0, o.divergence().lipschitz());
        assertEquals(java.util.List.of(8, 4), o.discriminator().hidden());
        assertEquals(3, o.seed());
        assertEquals(org.lipflow.divergence.Family.ALPHA, o.divergence().f());
    }

    @Test
    void invalidValuesFailWhenSetNamingParamKeyValueAndRule() {
        ParticleFlow f = new ParticleFlow();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.setDivergenceLipschitz(-1));
        assertEquals("param divergenceLipschitz (config key divergence.lipschitz) given invalid value -1.0: "
                + "divergence.lipschitz must be > 0 and finite, got -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> f.setParam("flowSteps", 0));
        assertTrue(e.getMessage().startsWith("param flowSteps (config key flow.steps) given invalid value 0: "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> f.setParam("flowSteps", 2.5));
        assertTrue(e.getMessage().contains("flowSteps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> f.setParam("divergenceF", "wasserstein"));
        assertTrue(e.getMessage().startsWith("param divergenceF (config key divergence.f) given invalid value 'wasserstein': "),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> f.setParam("sourceSynthetic", "nothing"));
        assertTrue(e.getMessage().contains("sourceSynthetic"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> f.setTrajectoryStride(0));
        assertEquals("param trajectoryStride given invalid value 0: must be >= 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> f.setConfig("output.dir", "x"));
        assertTrue(e.getMessage().contains("output.dir"), e.getMessage());
        assertEquals(500, f.getOrDefault(f.getParam("flowSteps")), "a rejected value leaves the param as it was");
        for (String line : new String[]{e.getMessage()}) {
            assertEquals(1, line.lines().count());
        }
    }

    @Test
    void everyIntegratorOfRunIsAcceptedAndAnotherFailsWithRunsRule() {
        for (String name : org.lipflow.flow.Integrator.NAMES) {
            ParticleFlow f = new ParticleFlow().setConfig("flow.integrator", name);
            assertEquals(org.lipflow.flow.Integrator.parse(name), f.flowOptions().flow().integrator(), name);
        }
        IllegalArgumentException run = assertThrows(IllegalArgumentException.class, () -> org.lipflow.flow.Integrator.parse("leapfrog"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ParticleFlow().setConfig("flow.integrator", "leapfrog"));
        assertEquals("param flowIntegrator (config key flow.integrator) given invalid value 'leapfrog': " + run.getMessage(),
                e.getMessage());
        assertEquals("flow.integrator must be one of euler, forward-euler, heun, ab2, ab3, rk4, got 'leapfrog'", run.getMessage());
    }

    @Test
    void copyKeepsValuesAndTakesExtras() {
        ParticleFlow f = new ParticleFlow().setFlowSteps(9);
        org.apache.spark.ml.param.ParamMap extra = org.apache.spark.ml.param.ParamMap.empty();
        extra.put(f.getParam("flowDt"), 0.25);
        ParticleFlow c = f.copy(extra);
        assertEquals(f.uid(), c.uid());
        assertEquals(9, c.getOrDefault(c.getParam("flowSteps")));
        assertEquals(0.25, c.getOrDefault(c.getParam("flowDt")));
        assertEquals(0.5, f.getOrDefault(f.getParam("flowDt")));
    }
}
