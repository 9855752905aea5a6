package org.lipflow.flow;

import org.junit.jupiter.api.Test;
import org.lipflow.config.LipflowConfig;
import org.lipflow.data.SyntheticData;
import org.lipflow.discriminator.Activation;
import org.lipflow.discriminator.MlpKernel;
import org.lipflow.discriminator.MlpLayout;
import org.lipflow.util.ChunkPool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How passes are cut into chunks, and that wide networks' smaller chunks change nothing but speed. */
class RowChunksTest {
    static final MlpLayout REFERENCE = new MlpLayout(2, new int[] {32, 32, 32}, 1, Activation.RELU);
    static final MlpLayout PIXEL = new MlpLayout(784, new int[] {512, 256, 128}, 1, Activation.RELU);

    @Test
    void theReferenceNetworkKeepsItsChunksAndItsParallelThreshold() {
        RowChunks c = RowChunks.of(REFERENCE);
        for (int rows : new int[] {1, 200, 2048, 5000, 1_000_000}) {
            assertEquals(FlowKernel.CHUNK, c.rows(rows), "rows " + rows);
        }
        assertEquals(489, c.count(1_000_000));
        assertTrue(c.parallel(1024));
        assertFalse(c.parallel(1023), "below 1,024 rows a reference pass stays on the calling thread, as before");
        assertTrue(c.parallel(16 * 1024, true));
        assertFalse(c.parallel(16 * 1024 - 1, true), "shared workers take a reference pass from 16,384 rows");
        // d = 50 has 1.7x the reference's work per row: not wide, unchanged
        assertEquals(FlowKernel.CHUNK, RowChunks.of(new MlpLayout(50, new int[] {32, 32, 32}, 1, Activation.RELU)).rows(600));
    }

    @Test
    void aPixelNetworkSplitsEvenSmallPassesInTwoTileAlignedChunks() {
        RowChunks c = RowChunks.of(PIXEL);
        assertEquals(128, c.rows(200));
        assertEquals(2, c.count(200));
        assertEquals(384, c.rows(600)); // 300 rounded up to whole 128-row tiles
        assertEquals(2, c.count(600));
        assertEquals(FlowKernel.CHUNK, c.rows(10_000), "large passes keep the largest chunks");
        assertEquals(5, c.count(10_000));
        assertTrue(c.parallel(4), "four pixel rows are worth more than a reference pass of 1,024");
        assertFalse(c.parallel(3));
        assertTrue(c.parallel(63, true), "63 pixel rows are worth more than 16 reference passes of 1,024");
        assertFalse(c.parallel(62, true));
    }

    @Test
    void theMemoryEstimateBoundsEveryLayoutsChunkCount() {
        MlpLayout huge = new MlpLayout(4096, new int[] {2048, 1024}, 1, Activation.RELU); // 10.5 M parameters
        for (MlpLayout l : new MlpLayout[] {REFERENCE, PIXEL, huge}) {
            RowChunks c = RowChunks.of(l);
            for (int rows : new int[] {1, 127, 128, 129, 600, 2048, 4097, 100_000}) {
                assertTrue(c.count(rows) <= RowChunks.maxCount(rows, l.parameterCount()),
                        l + " at " + rows + " rows: " + c.count(rows) + " chunks");
                assertTrue(c.rows(rows) % MlpKernel.TILE == 0 && c.rows(rows) <= FlowKernel.CHUNK);
            }
        }
    }

    /** Two outer steps (train, then move) of a wide network from the same state, with the given threads. */
    static float[][] step(int threads, Integrator integrator) {
        return step(threads, integrator, 64, 256, 128);
    }

    static float[][] step(int threads, Integrator integrator, int d, int... hidden) {
        FlowOptions o = LipflowConfig.defaultFlowOptions().toBuilder().seed(3).hidden(hidden)
                .integrator(integrator).build();
        Block target = SyntheticData.generate(new SyntheticData.Spec("gaussian", 300, 1, d, 0, 1, 1, false));
        Block source = SyntheticData.generate(new SyntheticData.Spec("gaussian", 300, 2, d, 1, 0.5, 1, false));
        MlpLayout layout = o.layout(d, 1);
        assertTrue(RowChunks.of(layout).count(300) > 1, "the test needs several chunks per pass");
        Block p = ShardFlow.prepare(o, new Block(source.rows, d, source.x.clone(), null, null), 0, 0);
        DiscriminatorState s = DiscriminatorState.initial(layout, o);
        try (ChunkPool pool = new ChunkPool(threads)) {
            FlowKernel kernel = new FlowKernel(o, layout, target, pool);
            for (int n = 1; n <= 2; n++) {
                kernel.train(s, p, n, 0, 0);
                kernel.move(s, p, n, 0);
            }
        }
        return new float[][] {p.x, s.params};
    }

    @Test
    void smallerChunksGiveTheSameBitsOnOneThreadAndOnTwo() {
        for (Integrator i : new Integrator[] {Integrator.EULER, Integrator.HEUN}) {
            float[][] one = step(1, i), two = step(2, i);
            assertArrayEquals(one[0], two[0], i.name() + ": particles");
            assertArrayEquals(one[1], two[1], i.name() + ": discriminator");
        }
    }

    /** 330 k parameters in 4 chunks: the gradient's chunk sums are merged in parameter slices on the pool, with the same bits. */
    @Test
    void aReductionInParameterSlicesGivesTheSameBitsOnOneThreadAndOnTwo() {
        MlpLayout l = LipflowConfig.defaultFlowOptions().toBuilder().hidden(512, 512).build().layout(128, 1);
        assertTrue((long) l.parameterCount() * 2 * RowChunks.of(l).count(300) >= 1 << 20, "the test needs the sliced reduction");
        float[][] one = step(1, Integrator.EULER, 128, 512, 512), two = step(2, Integrator.EULER, 128, 512, 512);
        assertArrayEquals(one[0], two[0], "particles");
        assertArrayEquals(one[1], two[1], "discriminator");
    }

    /**
     * The move reads W_lᵀ transposed once per pass: each particle moves by −Δt times the input
     * gradient a fresh kernel (transposing for itself) computes at the same weights. Stale
     * transposes (last Adam step's weights) would differ by ~lr.
     */
    @Test
    void theMoveUsesTheWeightsItWasGiven() {
        FlowOptions o = LipflowConfig.defaultFlowOptions().toBuilder().seed(5).hidden(256, 128).build();
        int d = 64, m = 300;
        Block target = SyntheticData.generate(new SyntheticData.Spec("gaussian", m, 1, d, 0, 1, 1, false));
        Block source = SyntheticData.generate(new SyntheticData.Spec("gaussian", m, 2, d, 1, 0.5, 1, false));
        MlpLayout layout = o.layout(d, 1);
        Block p = ShardFlow.prepare(o, new Block(source.rows, d, source.x.clone(), null, null), 0, 0);
        DiscriminatorState s = DiscriminatorState.initial(layout, o);
        try (ChunkPool pool = new ChunkPool(2)) {
            FlowKernel kernel = new FlowKernel(o, layout, target, pool);
            kernel.train(s, p, 1, 0, 0);
            float[] before = p.x.clone();
            float[] v = new float[m * d];
            new MlpKernel(layout).inputGradient(s.params, before, null, 0, m, v, 0, null);
            kernel.move(s, p, 1, 0);
            float dt = (float) o.flow().dt();
            double worst = 0;
            for (int i = 0; i < before.length; i++) {
                worst = Math.max(worst, Math.abs(p.x[i] - (before[i] - dt * v[i])));
            }
            assertTrue(worst < 1e-6, "largest deviation from x − Δt∇φ(x): " + worst);
        }
    }
}
