package org.lipflow.latent;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelDescriptorTest {
    static ModelDescriptor sample() {
        return new ModelDescriptor(1, "dense", List.of("p1", "p2", "p3", "p4"), new int[]{2, 2, 1}, 2,
                new double[]{0, 0, 0, 0}, new double[]{255, 255, 255, 255}, new double[]{0.5, -1}, new double[]{2, 3},
                List.of(0.5, 0.25), "sha256:abc", 200);
    }

    @Test
    void jsonRoundTripsByValue() {
        ModelDescriptor d = sample();
        ModelDescriptor back = ModelDescriptor.parse(d.toJson(), "m/latent.json");
        assertEquals(d, back);
        assertEquals(d.hashCode(), back.hashCode());
        assertEquals(4, back.columns().size());
        assertEquals(0.25, back.losses().get(1));
    }

    @Test
    void anotherFormatVersionAndBrokenFieldsAreOneLineErrorsNamingTheFile() {
        String other = sample().toJson().replace("\"format_version\":1", "\"format_version\":2");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelDescriptor.parse(other, "m/latent.json"));
        assertEquals("m/latent.json: format version 2, this lipflow reads version 1", e.getMessage());
        String noType = sample().toJson().replace("\"type\":\"dense\",", "");
        e = assertThrows(IllegalArgumentException.class, () -> ModelDescriptor.parse(noType, "m/latent.json"));
        assertTrue(e.getMessage().startsWith("m/latent.json: not a lipflow model descriptor") && !e.getMessage().contains("\n"),
                e.getMessage());
        String badScale = sample().toJson().replace("\"latent_std\":[2.0,3.0]", "\"latent_std\":[2.0,0.0]");
        e = assertThrows(IllegalArgumentException.class, () -> ModelDescriptor.parse(badScale, "m/latent.json"));
        assertEquals("m/latent.json: latent_std must be finite and > 0, got 0.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ModelDescriptor(1, "dense", List.of("a", "b", "c"), new int[]{2, 2}, 2,
                new double[3], new double[]{1, 1, 1}, new double[2], new double[]{1, 1}, List.of(), "", 0));
    }
}
