package org.lipflow.engine.spark;

import org.junit.jupiter.api.Test;
import org.lipflow.data.SyntheticData;
import org.lipflow.engine.TargetSamples;
import org.lipflow.flow.Block;
import org.lipflow.flow.LabelSampler;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The function that labels each partition's particles ships the class counts, not the target (no Spark needed). */
class AttachLabelsTest {

    @Test
    void theLabelFunctionSentWithEveryTaskIsSmallWhateverTheTargetSize() throws IOException {
        Block target = SyntheticData.generate(new SyntheticData.Spec("mixture4", 200_000, 0, 2, 0, 0.5, 0.5, true));
        AttachLabels f = new AttachLabels(LabelSampler.of(TargetSamples.of(target).classCounts(), 0));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(f);
        }
        // the target is 200,000 x 2 floats and labels (2.4 MB); the function holds K + 1 = 5 longs
        assertTrue(bytes.size() < 600, bytes.size() + " bytes serialised");
    }
}
