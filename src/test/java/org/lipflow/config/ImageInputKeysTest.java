package org.lipflow.config;

import org.junit.jupiter.api.Test;
import org.lipflow.io.ReadOptions;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The input keys of images: labels-path, per-class, sample-seed, scale and format = idx. */
class ImageInputKeysTest {
    @Test
    void theKeysReachTheReadOptions() {
        RunSpec spec = LipflowConfig.toRunSpec(LipflowConfig.load("conf/examples/gaussian.conf", List.of("target.path=t.idx",
                "target.labels-path=l.bin", "target.per-class=20", "target.sample-seed=5", "target.scale=0.00392156862745098",
                "source.format=idx")));
        ReadOptions t = spec.target().read();
        assertEquals("l.bin", t.labelsPath());
        assertEquals(20, t.perClass());
        assertEquals(5, t.sampleSeed());
        assertEquals(1 / 255.0, t.scale(), 1e-17);
        assertEquals("idx", t.formatOf(spec.target().path()));
        assertEquals("idx", spec.source().read().format());
        assertEquals(0, spec.source().read().perClass());
        assertEquals(1.0, spec.source().read().scale());
    }

    @Test
    void invalidValuesNameTheKey() {
        for (String[] c : new String[][]{
                {"target.per-class=-1", "target.per-class must be >= 0 (0 = every row), got -1"},
                {"source.scale=0", "source.scale must be > 0 and finite (1 = none), got 0.0"},
                {"target.format=json", "target.format must be csv, parquet, idx or auto, got 'json'"},
                {"target.per-class=x", "config key 'target.per-class' must be an integer, got 'x'"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LipflowConfig.toRunSpec(LipflowConfig.load("conf/examples/gaussian.conf", List.of(c[0]))));
            assertEquals(c[1], e.getMessage(), c[0]);
        }
    }
}
