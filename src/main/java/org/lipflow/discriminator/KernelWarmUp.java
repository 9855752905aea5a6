package org.lipflow.discriminator;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Runs the kernel's passes on made-up rows on a background thread while a run starts up, so that
 * C2 has compiled them before the flow needs them. Until then the Vector API loops run
 * interpreted, boxing every vector: the first ~100 steps of a run at M = 200 took ~1.5 s
 * (a warm step: ~1 ms), which `bench` hides with its untimed warm-up and a short `run` pays in
 * full. The thread touches nothing but its own arrays, so results cannot change.
 */
public final class KernelWarmUp {
    /** The longest the thread runs. */
    static final long MAX_NANOS = 1_500_000_000L;
    /** Passes after which the loops are compiled (C2's thresholds are ~10⁴ loop iterations). */
    static final int PASSES = 3000;

    private KernelWarmUp() {
    }

    /**
     * Starts a daemon thread that exercises a kernel of {@code layout}; returns it, or null when the
     * JVM runs with {@code -Dlipflow.kernel-warm-up=false} (jobs/run-overhead measures without it).
     */
    public static Thread start(MlpLayout layout) {
        return org.lipflow.util.WarmUpThread.start("lipflow-kernel-warm-up", "lipflow.kernel-warm-up",
                () -> exercise(layout, PASSES, System.nanoTime() + MAX_NANOS));
    }

    /** {@code passes} rounds of a training and a move pass over two tiles of rows, or until {@code deadline}. */
    static void exercise(MlpLayout layout, int passes, long deadline) {
        MlpKernel k = new MlpKernel(layout);
        int rows = 2 * MlpKernel.TILE, d = layout.inputs(), outputs = layout.outputs();
        SplittableRandom random = new SplittableRandom(0);
        float[] params = new float[layout.parameterCount()];
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) (random.nextDouble(-1, 1) * 0.1);
        }
        float[] x = new float[rows * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble(-1, 1);
        }
        int[] labels = outputs > 1 ? random.ints(rows, 0, outputs).toArray() : null;
        float[] grad = new float[params.length], phi = new float[rows], dx = new float[rows * d];
        double[] shiftSum = new double[2];
        for (int p = 0; p < passes && System.nanoTime() < deadline; p++) {
            Arrays.fill(grad, 0f);
            k.accumulateGradient(params, x, labels, 0, rows, null, 1f / rows, grad, phi);
            k.accumulateExpWeightedGradient(params, x, labels, 0, rows, grad, shiftSum);
            k.inputGradient(params, x, labels, 0, rows, dx, 0, null);
        }
    }
}
