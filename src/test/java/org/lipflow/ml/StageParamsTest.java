package org.lipflow.ml;

import org.apache.spark.ml.param.Param;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The params the four stages share through {@link LipflowParams}: the same names, defaults and checks on each. */
class StageParamsTest {

    static List<LipflowParams<?>> stages() {
        return List.of(new ParticleFlow("f"), new ParticleFlowModel("m", null, null, new String[0], null, null, null),
                new LatentEncoder("e"), new LatentEncoderModel("l", null));
    }

    @Test
    void everyStageHasTheColumnParamsWithItsDefaultsAndItsUidAsTheirParent() {
        for (LipflowParams<?> s : stages()) {
            boolean flow = s instanceof FlowParams<?>;
            assertEquals("features", s.getOrDefault(s.featuresCol()), s.uid());
            assertArrayEquals(new String[0], s.getOrDefault(s.featureCols()), s.uid());
            assertEquals(flow ? "transported" : "latent", s.getOrDefault(s.outputCol()), s.uid());
            assertEquals(s.uid(), s.featuresCol().parent());
            List<String> names = Arrays.stream(s.params()).map(Param::name).toList();
            assertEquals(flow, names.contains("labelCol"), s.uid());
            assertEquals(flow, names.contains("trajectoryStride"), s.uid());
            assertTrue(names.contains(flow ? "flowSteps" : "latentType"), s.uid() + ": its configuration keys");
            assertEquals(names.size(), names.stream().distinct().count(), "no param twice");
            for (Param<?> p : s.params()) {
                assertTrue(s.hasDefault(p), s.uid() + " " + p.name() + " has a default (Spark ML saves it with the stage)");
            }
        }
    }

    @Test
    void settersChainOnEveryStageAndCheckTheValue() {
        for (LipflowParams<?> s : stages()) {
            assertSame(s, s.setOutputCol("out").setFeatureCols("a", "b").setFeaturesCol("v"));
            assertEquals("out", s.getOrDefault(s.outputCol()));
            assertArrayEquals(new String[]{"a", "b"}, s.getOrDefault(s.featureCols()));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.setOutputCol(" "));
            assertEquals("param outputCol given invalid value ' ': must not be empty", e.getMessage());
        }
        LatentEncoderModel latent = new LatentEncoderModel("l", null).setConfig("latent.dimension", 3);
        assertEquals(3, latent.getOrDefault(latent.configParam("latent.dimension")));
        ParticleFlowModel model = new ParticleFlowModel("m", null, null, new String[0], null, null, null).setConfig("source.std", 2);
        assertEquals(2.0, model.toConfig().getDouble("source.std"), "a model's config params set as the estimator's are");
        assertFalse(Arrays.stream(new LatentEncoder().params()).anyMatch(p -> p.name().equals("flowSteps")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LatentEncoder().setConfig("flow.steps", 5));
        assertTrue(e.getMessage().startsWith("config key 'flow.steps' has no param; keys with params: ["), e.getMessage());
    }
}
