package org.lipflow.latent;

import org.junit.jupiter.api.Test;
import org.lipflow.testing.Jacobi;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.flow.Block;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PCA against an eigendecomposition computed here independently (cyclic Jacobi rotations on the
 * covariance, in double), tall and wide; round trips; save and load; bad dimensions.
 */
class PcaModelTest {
    @TempDir
    Path dir;

    /** n rows of d columns: a rank-r signal with decaying scales plus isotropic noise, and column offsets. */
    static Block data(int n, int d, int r, double noise, long seed) {
        Random g = new Random(seed);
        double[][] basis = new double[r][d];
        for (double[] b : basis) {
            for (int i = 0; i < d; i++) {
                b[i] = g.nextGaussian();
            }
        }
        float[] x = new float[n * d];
        for (int row = 0; row < n; row++) {
            for (int j = 0; j < r; j++) {
                double c = g.nextGaussian() * (3.0 * (r - j));
                for (int i = 0; i < d; i++) {
                    x[row * d + i] += (float) (c * basis[j][i]);
                }
            }
            for (int i = 0; i < d; i++) {
                x[row * d + i] += (float) (noise * g.nextGaussian() + 0.5 * i);
            }
        }
        return new Block(n, d, x, null, null);
    }

    static List<String> columns(int d) {
        return IntStream.rangeClosed(1, d).mapToObj(i -> "x" + i).toList();
    }

    /** The sample covariance, in double. */
    static double[][] covariance(Block b) {
        int n = b.rows, d = b.dimension;
        double[] mean = new double[d];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < d; c++) {
                mean[c] += b.x[r * d + c] / (double) n;
            }
        }
        double[][] s = new double[d][d];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < d; i++) {
                double xi = b.x[r * d + i] - mean[i];
                for (int j = 0; j < d; j++) {
                    s[i][j] += xi * (b.x[r * d + j] - mean[j]) / (n - 1);
                }
            }
        }
        return s;
    }

    /** Max |P_model − P_ref| over the entries of the projectors onto the two k-dimensional subspaces (sign-invariant). */
    static double projectorDistance(double[] modelComponents, double[][] reference, int d, int k) {
        double worst = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double pm = 0, pr = 0;
                for (int c = 0; c < k; c++) {
                    pm += modelComponents[i * k + c] * modelComponents[j * k + c];
                    pr += reference[i][c] * reference[j][c];
                }
                worst = Math.max(worst, Math.abs(pm - pr));
            }
        }
        return worst;
    }

    @Test
    void tallPcaAgreesWithAJacobiEigendecompositionOfTheCovariance() {
        Block b = data(300, 12, 4, 0.3, 1);
        PcaModel m = PcaModel.fit(b, columns(12), 4, "test");
        Jacobi.Eigen ref = Jacobi.symmetric(covariance(b));
        double[] values = ref.values();
        double[] explained = m.explainedVariance();
        for (int j = 0; j < 4; j++) {
            assertEquals(values[j], explained[j], 1e-9 * values[0], "variance of component " + j);
        }
        assertTrue(projectorDistance(m.components(), ref.vectors(), 12, 4) < 1e-9, "same subspace");
    }

    @Test
    void widePcaUsesTheGramMatrixAndReconstructsLikeADirectCovarianceSolve() {
        int n = 30, d = 200, k = 5;
        Block b = data(n, d, 6, 0.1, 2);
        PcaModel m = PcaModel.fit(b, columns(d), k, "test");
        Jacobi.Eigen ref = Jacobi.symmetric(covariance(b));
        double[] values = ref.values();
        double[][] v = ref.vectors();
        for (int j = 0; j < k; j++) {
            assertEquals(values[j], m.explainedVariance()[j], 1e-7 * values[0], "variance of component " + j);
        }
        assertTrue(projectorDistance(m.components(), v, d, k) < 1e-7, "same subspace");
        // reconstructions: the model's decode(encode(x)) against μ + (x − μ)VVᵀ with the reference V
        Block back = m.decode(m.encode(b));
        double[] mean = m.descriptor().dataShift();
        double worst = 0, scale = 0;
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < d; i++) {
                double rec = mean[i];
                for (int c = 0; c < k; c++) {
                    double proj = 0;
                    for (int t = 0; t < d; t++) {
                        proj += (b.x[r * d + t] - mean[t]) * v[t][c];
                    }
                    rec += proj * v[i][c];
                }
                worst = Math.max(worst, Math.abs(rec - back.x[r * d + i]));
                scale = Math.max(scale, Math.abs(b.x[r * d + i]));
            }
        }
        assertTrue(worst < 1e-4 * scale, "reconstructions differ by " + worst + " (data scale " + scale + ")");
    }

    @Test
    void dataInTheSubspaceRoundTripsAndTrainingCodesAreStandardised() {
        Block b = data(80, 10, 3, 0.0, 3);
        PcaModel m = PcaModel.fit(b, columns(10), 3, "test");
        Block z = m.encode(b);
        assertEquals(3, z.dimension);
        for (int j = 0; j < 3; j++) {
            double s = 0, s2 = 0;
            for (int r = 0; r < z.rows; r++) {
                s += z.x[r * 3 + j];
                s2 += z.x[r * 3 + j] * (double) z.x[r * 3 + j];
            }
            double mean = s / z.rows;
            assertEquals(0, mean, 1e-5, "code mean " + j);
            assertEquals(1, Math.sqrt((s2 - z.rows * mean * mean) / (z.rows - 1)), 1e-4, "code std " + j);
        }
        Block back = m.decode(z);
        float scale = 0;
        for (float v : b.x) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < b.x.length; i++) {
            assertEquals(b.x[i], back.x[i], 1e-5 * scale, "entry " + i);
        }
    }

    @Test
    void labelsAndIdsPassThroughEncodeAndDecode() {
        Block b = data(20, 4, 2, 0.1, 4);
        Block labelled = new Block(20, 4, b.x, IntStream.range(0, 20).map(i -> i % 3).toArray(),
                IntStream.range(0, 20).mapToLong(i -> 100 + i).toArray());
        PcaModel m = PcaModel.fit(b, columns(4), 2, "test");
        Block z = m.encode(labelled);
        assertArrayEquals(labelled.labels, z.labels);
        assertArrayEquals(labelled.ids, m.decode(z).ids);
    }

    @Test
    void aLatentDimensionOutsideOneToMinRowsColumnsOrAboveTheRankIsAOneLineError() {
        Block b = data(6, 10, 3, 0.0, 5);
        for (int k : new int[]{0, -1, 7}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PcaModel.fit(b, columns(10), k, "t"));
            assertEquals("latent.dimension must be between 1 and min(rows, columns) = 6 for PCA of 6 rows x 10 columns, got " + k,
                    e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PcaModel.fit(b, columns(10), 4, "t"));
        assertTrue(e.getMessage().startsWith("latent.dimension = 4 exceeds the rank 3 of the centred data"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aSavedModelLoadsThroughItsDirectoryAndEncodesAlike() throws IOException {
        Block b = data(50, 6, 2, 0.2, 6);
        PcaModel m = PcaModel.fit(b, columns(6), 2, "sha256:abc");
        String out = dir.resolve("model").toString();
        ModelWriter.write(m, out, false, List.of(), new PrintWriter(new StringWriter()), Map.of("data", "test"));
        assertTrue(Files.readString(dir.resolve("model/latent.json")).contains("\"type\":\"pca\""));
        assertTrue(Files.readString(dir.resolve("model/manifest.json")).contains("\"command\":\"autoencoder\""));
        LatentModel loaded = LatentModels.load(out);
        assertEquals(m.descriptor(), loaded.descriptor());
        assertArrayEquals(m.encode(b).x, loaded.encode(b).x);
        Block z = m.encode(b);
        assertArrayEquals(m.decode(z).x, loaded.decode(z).x);
        // a second write needs --overwrite, and with it replaces the model
        assertThrows(IllegalArgumentException.class,
                () -> ModelWriter.write(m, out, false, List.of(), null, Map.of()));
        ModelWriter.write(m, out, true, List.of(), null, Map.of());
    }

    @Test
    void aMissingOrIncompleteModelDirectoryIsAOneLineError() throws IOException {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> LatentModels.load(dir.resolve("none").toString()));
        assertEquals("latent.model " + dir.resolve("none") + ": model directory not found", missing.getMessage());
        Files.createDirectories(dir.resolve("empty"));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> LatentModels.load(dir.resolve("empty").toString()));
        assertTrue(empty.getMessage().contains("no readable latent.json"), empty.getMessage());

        PcaModel m = PcaModel.fit(data(20, 4, 2, 0.1, 7), columns(4), 2, "t");
        String out = dir.resolve("m").toString();
        ModelWriter.write(m, out, false, List.of(), null, Map.of());
        Path bin = dir.resolve("m").resolve(PcaModel.FILE);
        byte[] bytes = Files.readAllBytes(bin);
        Files.write(bin, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        IllegalArgumentException truncated = assertThrows(IllegalArgumentException.class, () -> LatentModels.load(out));
        assertEquals(out + "/pca.bin: truncated (expected 4 x 2 components)", truncated.getMessage());

        Path json = dir.resolve("m").resolve(ModelDescriptor.FILE);
        Files.writeString(json, Files.readString(json).replace("\"type\":\"pca\"", "\"type\":\"dense\""));
        IllegalArgumentException dense = assertThrows(IllegalArgumentException.class, () -> LatentModels.load(out));
        assertTrue(dense.getMessage().contains("encoder.zip: file not found"), "a dense descriptor loads an autoencoder: "
                + dense.getMessage());
    }

    @Test
    void thePcaStageFitsAFileAndRecordsItsHashAndUri() throws IOException {
        Block b = data(40, 5, 2, 0.1, 10);
        StringBuilder csv = new StringBuilder("x1,x2,x3,x4,x5\n");
        for (int r = 0; r < b.rows; r++) {
            for (int c = 0; c < 5; c++) {
                csv.append(c == 0 ? "" : ",").append(b.x[r * 5 + c]);
            }
            csv.append('\n');
        }
        Path file = Files.writeString(dir.resolve("data.csv"), csv);
        org.lipflow.io.Table t = org.lipflow.io.Tables.read(file.toString(), org.lipflow.io.ReadOptions.defaults());
        String out = PcaStage.fit(t, file.toString(), 2, dir.resolve("pca").toString(), false, null);
        ModelDescriptor d = LatentModels.load(out).descriptor();
        assertEquals("sha256:" + org.lipflow.io.FileSystems.sha256(file.toString()), d.dataFingerprint());
        assertEquals(40, d.trainingRows());
        assertEquals(List.of("x1", "x2", "x3", "x4", "x5"), d.columns());
        assertTrue(Files.readString(dir.resolve("pca/manifest.json")).contains("\"data\":\"" + file + "\""));
    }

    @Test
    void fittingInChunksOfRowsOrColumnsGivesTheSameModel() {
        for (int[] shape : new int[][]{{100, 7}, {9, 40}}) {
            Block b = data(shape[0], shape[1], 3, 0.2, 11);
            PcaModel whole = PcaModel.fit(b, columns(shape[1]), 3, "t");
            PcaModel chunked = PcaModel.fit(b, columns(shape[1]), 3, "t", 50); // 7 rows or 5 columns per chunk, the last one short
            assertArrayEquals(whole.explainedVariance(), chunked.explainedVariance(), 1e-9 * whole.explainedVariance()[0]);
            assertArrayEquals(whole.components(), chunked.components(), 1e-9);
        }
    }
}
