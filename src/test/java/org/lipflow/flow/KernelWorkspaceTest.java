package org.lipflow.flow;

import org.junit.jupiter.api.Test;
import org.lipflow.config.LipflowConfig;
import org.lipflow.data.SyntheticData;
import org.lipflow.discriminator.Activation;
import org.lipflow.discriminator.MlpLayout;
import org.lipflow.util.ChunkPool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kernel workspaces belong to threads ({@link FlowKernel}): kernels of different shapes that
 * take turns on one thread each get a workspace of their own shape, and compute what they
 * compute alone.
 */
class KernelWorkspaceTest {
    private static final Block TARGET = SyntheticData.generate(new SyntheticData.Spec("mixture4", 200, 0, 2, 0, 0.5, 0.5, false));

    private static Block particles() {
        return SyntheticData.generate(new SyntheticData.Spec("gaussian", 3000, 100, 2, 0, 0.5, 0.5, false));
    }

    /** Three steps of train-then-move of one kernel; with a partner, each call alternates with the partner's. */
    private static float[][] run(FlowOptions[] options, boolean alternate) {
        float[][] out = new float[options.length][];
        try (ChunkPool pool = new ChunkPool(1)) {
            FlowKernel[] k = new FlowKernel[options.length];
            DiscriminatorState[] s = new DiscriminatorState[options.length];
            Block[] p = new Block[options.length];
            for (int i = 0; i < options.length; i++) {
                MlpLayout layout = options[i].layout(2, 1);
                k[i] = new FlowKernel(options[i], layout, TARGET, pool);
                s[i] = DiscriminatorState.initial(layout, options[i]);
                p[i] = particles();
            }
            if (alternate) {
                for (int step = 1; step <= 3; step++) {
                    for (int i = 0; i < options.length; i++) {
                        k[i].train(s[i], p[i], step, 0, 0);
                    }
                    for (int i = 0; i < options.length; i++) {
                        k[i].move(s[i], p[i], step, 0);
                    }
                }
            } else {
                for (int i = 0; i < options.length; i++) {
                    for (int step = 1; step <= 3; step++) {
                        k[i].train(s[i], p[i], step, 0, 0);
                        k[i].move(s[i], p[i], step, 0);
                    }
                }
            }
            for (int i = 0; i < options.length; i++) {
                out[i] = p[i].x;
            }
        }
        return out;
    }

    @Test
    void kernelsOfTwoShapesTakingTurnsOnOneThreadComputeWhatEachComputesAlone() {
        FlowOptions wide = LipflowConfig.defaultFlowOptions().toBuilder().steps(3).build();
        FlowOptions narrow = wide.toBuilder().hidden(16).build();
        FlowOptions[] both = {wide, narrow};
        float[][] alone = run(both, false);
        float[][] turns = run(both, true);
        assertArrayEquals(alone[0], turns[0], "[32, 32, 32] between calls of a [16] kernel");
        assertArrayEquals(alone[1], turns[1], "[16] between calls of a [32, 32, 32] kernel");
        assertFalse(java.util.Arrays.equals(alone[0], alone[1]), "the two shapes move the particles differently");
    }

    @Test
    void layoutsOfOneShapeShareAWorkspaceAndOthersDoNot() {
        MlpLayout a = new MlpLayout(2, new int[]{32, 32}, 1, Activation.RELU);
        assertTrue(a.sameShape(new MlpLayout(2, new int[]{32, 32}, 1, Activation.RELU)));
        assertFalse(a.sameShape(new MlpLayout(2, new int[]{32, 16}, 1, Activation.RELU)));
        assertFalse(a.sameShape(new MlpLayout(3, new int[]{32, 32}, 1, Activation.RELU)));
        assertFalse(a.sameShape(new MlpLayout(2, new int[]{32, 32}, 4, Activation.RELU)));
        assertFalse(a.sameShape(new MlpLayout(2, new int[]{32, 32}, 1, Activation.TANH)));
        assertFalse(a.sameShape(null));
    }
}
