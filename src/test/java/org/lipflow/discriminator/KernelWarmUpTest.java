package org.lipflow.discriminator;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up warm-up of the kernel: a daemon thread that ends by itself and leaves other kernels' results alone. */
class KernelWarmUpTest {
    static final MlpLayout LAYOUT = new MlpLayout(3, new int[]{32, 32, 32}, 4, Activation.RELU);

    static float[] phi(MlpLayout layout) {
        float[] params = new float[layout.parameterCount()];
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) Math.sin(i);
        }
        float[] x = new float[10 * layout.inputs()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.cos(i);
        }
        float[] phi = new float[10];
        new MlpKernel(layout).values(params, x, new int[]{0, 1, 2, 3, 0, 1, 2, 3, 0, 1}, 0, 10, phi);
        return phi;
    }

    @Test
    void theThreadIsADaemonThatEndsWithinItsTimeLimit() throws InterruptedException {
        float[] before = phi(LAYOUT);
        Thread t = KernelWarmUp.start(LAYOUT);
        assertNotNull(t);
        assertTrue(t.isDaemon());
        t.join(KernelWarmUp.MAX_NANOS / 1_000_000 + 10_000);
        assertTrue(!t.isAlive(), "still running after its time limit");
        assertArrayEquals(before, phi(LAYOUT), 0f);
    }

    @Test
    void aPassCoversConditionalNetworks() {
        KernelWarmUp.exercise(LAYOUT, 2, System.nanoTime() + 10_000_000_000L); // labels drawn for 4 outputs: no exception
    }
}
