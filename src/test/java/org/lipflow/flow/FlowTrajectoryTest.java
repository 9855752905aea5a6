package org.lipflow.flow;

import org.junit.jupiter.api.Test;
import org.lipflow.discriminator.Activation;
import org.lipflow.discriminator.MlpKernel;
import org.lipflow.discriminator.MlpLayout;
import org.lipflow.util.Rng;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Replaying stored velocity fields: the Euler steps, and the merged times of a strided trajectory. */
class FlowTrajectoryTest {
    static final MlpLayout LAYOUT = new MlpLayout(2, new int[]{8, 8}, 1, Activation.RELU);

    static List<float[]> fields(int n) {
        List<float[]> f = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            float[] p = new float[LAYOUT.parameterCount()];
            long s = Rng.stream(j, Rng.INIT);
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) (0.5 * Rng.gaussian(s, i));
            }
            f.add(p);
        }
        return f;
    }

    static Block points(int rows) {
        float[] x = new float[rows * 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Rng.gaussian(Rng.stream(9, Rng.SOURCE), i);
        }
        return new Block(rows, 2, x, null, null);
    }

    @Test
    void strideKeepsEveryNthFieldAndMergesTheTimes() {
        FlowTrajectory t = FlowTrajectory.of(LAYOUT, fields(7), 0.5, 3);
        assertEquals(3, t.fields());
        assertArrayEquals(new int[]{1, 4, 7}, new int[]{t.step(0), t.step(1), t.step(2)});
        assertArrayEquals(new double[]{1.5, 1.5, 0.5}, new double[]{t.time(0), t.time(1), t.time(2)}, 1e-12);
        FlowTrajectory twice = FlowTrajectory.of(LAYOUT, fields(7), 0.5, 1).coarsened(3);
        assertArrayEquals(t.params(1), twice.params(1));
        assertEquals(3.5, total(FlowTrajectory.of(LAYOUT, fields(7), 0.5, 5)), 1e-12, "the total time is kept");
        assertThrows(IllegalArgumentException.class, () -> t.coarsened(0));
    }

    private static double total(FlowTrajectory t) {
        double s = 0;
        for (int j = 0; j < t.fields(); j++) {
            s += t.time(j);
        }
        return s;
    }

    @Test
    void transportIsForwardEulerThroughTheFieldsInOrder() {
        List<float[]> f = fields(4);
        Block b = points(3000); // more than one chunk
        Block expected = b.copy();
        MlpKernel k = new MlpKernel(LAYOUT);
        float[] v = new float[expected.x.length];
        for (float[] theta : f) {
            k.inputGradient(theta, expected.x, null, 0, expected.rows, v, 0, null);
            for (int i = 0; i < v.length; i++) {
                expected.x[i] -= 0.5f * v[i];
            }
        }
        FlowTrajectory.of(LAYOUT, f, 0.5, 1).transport(b);
        assertArrayEquals(expected.x, b.x, 1e-5f);
    }

    @Test
    void aConditionalFlowNeedsLabelsOfItsClasses() {
        MlpLayout two = new MlpLayout(2, new int[]{4}, 2, Activation.RELU);
        List<float[]> f = List.of(new float[two.parameterCount()]);
        FlowTrajectory t = FlowTrajectory.of(two, f, 0.5, 1);
        assertThrows(IllegalArgumentException.class, () -> t.transport(points(3)));
        Block bad = new Block(1, 2, new float[2], new int[]{2}, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.transport(bad));
        assertEquals("label 2 (row 1) is not a class of the flow, which has labels 0..1", e.getMessage());
    }
}
