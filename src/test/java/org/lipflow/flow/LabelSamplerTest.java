package org.lipflow.flow;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelSamplerTest {

    static Block unlabelled(long firstId, int rows) {
        long[] ids = new long[rows];
        for (int i = 0; i < rows; i++) {
            ids[i] = firstId + i;
        }
        return new Block(rows, 1, new float[rows], null, ids);
    }

    static int serializedBytes(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.size();
    }

    @Test
    void drawnClassFrequenciesMatchTheTargetsWithinHalfAPercent() {
        LabelSampler s = LabelSampler.of(new long[]{500, 300, 0, 200}, 7);
        assertEquals(4, s.classes());
        int n = 200_000;
        int[] counts = new int[4];
        for (long id = 0; id < n; id++) {
            counts[s.label(id)]++;
        }
        // binomial standard deviation of a frequency: sqrt(0.25 / n) ≈ 0.0011, so 0.005 is > 4 sigma
        assertEquals(0.5, counts[0] / (double) n, 0.005);
        assertEquals(0.3, counts[1] / (double) n, 0.005);
        assertEquals(0, counts[2], "a class without target rows is never drawn");
        assertEquals(0.2, counts[3] / (double) n, 0.005);
    }

    @Test
    void aParticleGetsTheSameLabelWhateverThePartitioning() {
        LabelSampler s = LabelSampler.of(LabelSampler.counts(new int[]{0, 1, 1, 2, 2, 2, 3}), 3);
        int[] whole = s.attach(unlabelled(0, 1000)).labels;
        int[] parts = new int[1000];
        int[][] cuts = {{0, 1}, {1, 333}, {333, 999}, {999, 1000}};
        for (int[] c : cuts) {
            int[] l = s.attach(unlabelled(c[0], c[1] - c[0])).labels;
            System.arraycopy(l, 0, parts, c[0], l.length);
        }
        assertArrayEquals(whole, parts);
        for (int id = 0; id < 1000; id++) {
            assertEquals(s.label(id), whole[id]);
        }
    }

    @Test
    void itShipsTheClassCountsNotTheTarget() throws IOException {
        int rows = 1_000_000;
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = i % 10;
        }
        LabelSampler s = LabelSampler.of(LabelSampler.counts(labels), 0);
        int bytes = serializedBytes(s);
        // K + 1 = 11 longs and the stream key: a few hundred bytes, against 4 MB of target labels
        assertTrue(bytes < 400, bytes + " bytes serialised");
    }

    @Test
    void givenLabelsAreCheckedAndAnUnconditionalFlowDropsThem() {
        LabelSampler s = LabelSampler.of(new long[]{2, 2}, 0);
        Block ok = new Block(2, 1, new float[2], new int[]{0, 1}, new long[]{0, 1});
        assertSame(ok, s.attach(ok));
        Block bad = new Block(2, 1, new float[2], new int[]{0, 2}, new long[]{10, 11});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.attach(bad));
        assertEquals("source label 2 (particle 11) is not a class of the target, which has labels 0..1", e.getMessage());
        assertNull(LabelSampler.unconditional().attach(ok).labels);
        assertEquals(1, LabelSampler.of(null, 0).classes());
    }
}
