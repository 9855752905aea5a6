package org.lipflow.cli;

import org.lipflow.discriminator.MlpKernel;
import org.lipflow.discriminator.MlpLayout;
import org.lipflow.discriminator.RowOps;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The machine's fp32 GEMM rate (what the peer's bench.py measures with torch.mm) with ND4J's
 * BLAS, next to lipflow's own kernel loop on the same product, and the flop count of an outer step
 * that turns a step time into GFLOP/s.
 */
final class GemmRate {
    private GemmRate() {
    }

    /**
     * The dense-layer work of one outer step (GEMMs only; bias adds, activations, Adam and the power
     * iteration are left out), counted from the kernel's passes. With F = Σ_l 2·in_l·out_l (one
     * row's forward pass) and F₀ = 2·d·h₁ (its first layer): a training row runs forward (F), the
     * weight gradients (F) and the deltas below every layer but the first (F − F₀); a moved row runs
     * forward (F) and the deltas down to the input (F). Per step: k·(M + N)·(3F − F₀) + M·2F — the
     * model of the peer's bench.py (flops_per_step), so the two GFLOP/s compare.
     */
    static double flopsPerStep(MlpLayout layout, long m, long n, int discriminatorSteps) {
        double f = 0;
        for (int l = 0; l < layout.layers(); l++) {
            f += 2.0 * layout.in(l) * layout.out(l);
        }
        double f0 = 2.0 * layout.in(0) * layout.out(0);
        return discriminatorSteps * (m + n) * (3 * f - f0) + m * 2 * f;
    }

    /** GFLOP/s of an n×n×n product: ND4J (median of 5 after one warm-up) and the kernel loop (1 thread). */
    static Map<String, Object> measure(int n, int threads) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n), b = Nd4j.rand(DataType.FLOAT, n, n), c = Nd4j.create(DataType.FLOAT, n, n);
        double flops = 2.0 * n * n * n;
        double[] t = new double[5];
        a.mmuli(b, c);
        for (int i = 0; i < t.length; i++) {
            long t0 = System.nanoTime();
            a.mmuli(b, c);
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(t);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", n);
        m.put("nd4j_gflops", flops / t[t.length / 2] / 1e9);
        m.put("nd4j_threads", System.getenv().getOrDefault("OMP_NUM_THREADS", "default"));
        m.put("kernel_gflops", flops / kernelSeconds(n) / 1e9);
        m.put("kernel", RowOps.BEST.name());
        return m;
    }

    /** Median seconds of the kernel's tile loop over an n×n input times an n×n matrix, 128 rows per call. */
    private static double kernelSeconds(int n) {
        SplittableRandom r = new SplittableRandom(0);
        float[] in = new float[n * n], w = new float[n * n], out = new float[n * n];
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) r.nextDouble();
            w[i] = (float) r.nextDouble();
        }
        double[] t = new double[7];
        for (int rep = -3; rep < t.length; rep++) { // three untimed rounds compile the loop
            long t0 = System.nanoTime();
            for (int row = 0; row < n; row += MlpKernel.TILE) {
                int rows = Math.min(MlpKernel.TILE, n - row);
                RowOps.BEST.tileTimesMatrix(in, row * n, n, rows, w, 0, n, null, 0, out, row * n);
            }
            if (rep >= 0) {
                t[rep] = (System.nanoTime() - t0) / 1e9;
            }
        }
        Arrays.sort(t);
        return t[t.length / 2];
    }
}
