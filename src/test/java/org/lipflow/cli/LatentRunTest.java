package org.lipflow.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.engine.spark.SparkTestSession;
import org.lipflow.flow.Block;
import org.lipflow.io.ReadOptions;
import org.lipflow.io.Table;
import org.lipflow.io.Tables;
import org.lipflow.latent.LatentModel;
import org.lipflow.latent.LatentModels;
import org.lipflow.latent.ModelWriter;
import org.lipflow.latent.PcaModel;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code run --set latent.model=DIR}: a flow in the 3-D PCA latent space of 50-D data that lie on a
 * 3-D affine subspace plus noise. The target's first latent coordinate is bimodal (two clusters,
 * optionally labelled), which the N(0, I) source is not, so matching it shows the flow moved.
 */
class LatentRunTest {
    static final int D = 50, N = 300;
    static final double NOISE = 0.05;

    @TempDir
    Path dir;

    /** The generating subspace: an orthonormal basis (3 × D) and the offset. */
    final double[][] basis = new double[3][D];
    final double[] offset = new double[D];

    /** Writes the target CSV (columns g1..g50, a label column when labelled) and returns its path. */
    Path target(boolean labelled) throws IOException {
        Random g = new Random(11);
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < D; i++) {
                basis[j][i] = g.nextGaussian();
            }
            for (int p = 0; p < j; p++) { // Gram-Schmidt
                double dot = 0;
                for (int i = 0; i < D; i++) {
                    dot += basis[j][i] * basis[p][i];
                }
                for (int i = 0; i < D; i++) {
                    basis[j][i] -= dot * basis[p][i];
                }
            }
            double norm = Math.sqrt(Arrays.stream(basis[j]).map(v -> v * v).sum());
            for (int i = 0; i < D; i++) {
                basis[j][i] /= norm;
            }
        }
        for (int i = 0; i < D; i++) {
            offset[i] = 1 + 0.1 * i;
        }
        StringBuilder s = new StringBuilder(String.join(",", columns(D)) + (labelled ? ",label" : "") + "\n");
        for (int r = 0; r < N; r++) {
            int cls = r % 2;
            double[] c = {(cls == 0 ? -3 : 3) + 0.3 * g.nextGaussian(), 2 * g.nextGaussian(), g.nextGaussian()};
            for (int i = 0; i < D; i++) {
                double x = offset[i] + NOISE * g.nextGaussian();
                for (int j = 0; j < 3; j++) {
                    x += c[j] * basis[j][i];
                }
                s.append(i == 0 ? "" : ",").append((float) x);
            }
            s.append(labelled ? "," + cls : "").append('\n');
        }
        return Files.writeString(dir.resolve(labelled ? "target-labelled.csv" : "target.csv"), s);
    }

    static List<String> columns(int d) {
        return IntStream.rangeClosed(1, d).mapToObj(i -> "g" + i).toList();
    }

    /** Fits PCA with k = 3 on the target and writes its model directory. */
    Path model(Path target) throws IOException {
        Table t = Tables.read(target.toString(), ReadOptions.defaults());
        Path m = dir.resolve("model");
        ModelWriter.write(PcaModel.fit(t, 3, "test"), m.toString(), false, List.of(target.toString()), null, Map.of());
        return m;
    }

    static CliTest.Result lipflow(Path target, Path model, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("run", "--quiet", "--target", target.toString(), "--out", out.toString(),
                "--format", "csv", "--particles", "300", "--set", "output.plots=false", "--set", "output.discriminator=false",
                "--set", "latent.model=" + model));
        a.addAll(Arrays.asList(extra));
        return CliTest.lipflow(a.toArray(String[]::new));
    }

    /** Checks both outputs, the manifest, that the decoded particles lie near the subspace, and returns the latent particles. */
    Block checkOutputs(Path out, Path model, boolean labelled) throws IOException {
        // Spark writes each file as a directory of parts; Tables reads both forms
        Table latent = Tables.read(out.resolve("latent-particles.csv").toString(), ReadOptions.defaults());
        assertEquals(List.of("z1", "z2", "z3"), List.of(latent.columns()));
        assertEquals(labelled ? "label" : null, latent.labelColumn());
        assertEquals(300, latent.block().rows);
        Table data = Tables.read(out.resolve("particles.csv").toString(), ReadOptions.defaults());
        assertEquals(columns(D), List.of(data.columns()));
        assertEquals(labelled ? "label" : null, data.labelColumn());
        assertEquals(300, data.block().rows);
        String manifest = Files.readString(out.resolve("manifest.json"));
        assertTrue(manifest.contains("\"latent\":{\"model\":\"" + model + "\",\"descriptor_sha256\":\""), manifest);
        assertTrue(manifest.contains("\"latent_particles_file\":\"latent-particles.csv\""), manifest);

        Block z = latent.block();
        Block x = data.block();
        if (labelled) {
            assertEquals(Arrays.toString(z.labels), Arrays.toString(x.labels), "decoding keeps each particle's label");
        }
        LatentModel m = LatentModels.load(model.toString());
        Block decoded = m.decode(z);
        double residual = 0;
        for (int r = 0; r < x.rows; r++) {
            double[] e = new double[D];
            for (int i = 0; i < D; i++) {
                assertEquals(decoded.x[r * D + i], x.x[r * D + i], 1e-3, "particles.csv row " + r + " = decode(latent row)");
                e[i] = x.x[r * D + i] - offset[i];
            }
            for (double[] b : basis) {
                double dot = 0;
                for (int i = 0; i < D; i++) {
                    dot += e[i] * b[i];
                }
                for (int i = 0; i < D; i++) {
                    e[i] -= dot * b[i];
                }
            }
            residual += Math.sqrt(Arrays.stream(e).map(v -> v * v).sum()) / x.rows;
        }
        // the data themselves lie NOISE * sqrt(47) ≈ 0.34 off the subspace; decoded particles only by PCA's estimation error
        assertTrue(residual < 0.1, "mean distance of decoded particles from the data subspace: " + residual);
        return z;
    }

    static double[] meanStd(Block b, int col, int label) {
        double s = 0, s2 = 0;
        int n = 0;
        for (int r = 0; r < b.rows; r++) {
            if (label < 0 || b.labels[r] == label) {
                double v = b.x[r * b.dimension + col];
                s += v;
                s2 += v * v;
                n++;
            }
        }
        double mean = s / n;
        return new double[]{mean, Math.sqrt(s2 / n - mean * mean)};
    }

    @Test
    void aLatentFlowInProcessMatchesTheTargetsCodesAndWritesBothParticleFiles() throws IOException {
        Path target = target(false);
        Path model = model(target);
        Path out = dir.resolve("run");
        CliTest.Result r = lipflow(target, model, out, "--steps", "200");
        assertEquals(0, r.code(), r.err());
        Block z = checkOutputs(out, model, false);
        // target codes: z1 = ±0.995 (two clusters of std ≈ 0.1), z2 and z3 ≈ N(0, 1); the N(0, 1) source has 38% of |z1| < 0.5
        long central = IntStream.range(0, z.rows).filter(i -> Math.abs(z.x[i * 3]) < 0.5).count();
        assertTrue(central < 0.1 * z.rows, central + " of " + z.rows + " particles between the two clusters");
        for (int j = 1; j < 3; j++) {
            double[] ms = meanStd(z, j, -1);
            assertEquals(0, ms[0], 0.25, "mean of z" + (j + 1));
            assertEquals(1, ms[1], 0.25, "std of z" + (j + 1));
        }
    }

    @Test
    void aModelOfOtherColumnsIsAOneLineErrorWithExitCode2AndNoOutput() throws IOException {
        Path target = target(false);
        Path model = model(target);
        Path other = Files.writeString(dir.resolve("other.csv"), "a,b\n1,2\n3,4\n5,6\n");
        Path out = dir.resolve("run");
        CliTest.Result r = lipflow(other, model, out);
        assertEquals(2, r.code(), r.err());
        assertEquals("lipflow: error: latent.model " + model + " was fitted on 50 feature columns (g1, g2, ..., g50), target.path = " + other
                + " has 2 (a, b)", r.err().strip());
        assertFalse(Files.exists(out));

        CliTest.Result missing = lipflow(target, dir.resolve("no-model"), out);
        assertEquals(2, missing.code(), missing.err());
        assertEquals("lipflow: error: latent.model = " + dir.resolve("no-model") + ": directory not found", missing.err().strip());
        assertFalse(Files.exists(out));

        CliTest.Result otherK = lipflow(target, model, out, "--set", "latent.dimension=2");
        assertEquals(2, otherK.code(), otherK.err());
        assertEquals("lipflow: error: latent.dimension = 2 does not match the model in " + model + " (k = 3); a run takes k from "
                + "its model: leave latent.dimension unset or equal to it", otherK.err().strip());
        CliTest.Result zero = lipflow(target, model, out, "--set", "latent.dimension=0");
        assertEquals(2, zero.code(), zero.err());
        assertEquals("lipflow: error: latent.dimension must be >= 1, got 0", zero.err().strip());
        assertFalse(Files.exists(out));
        assertEquals(0, lipflow(target, model, out, "--set", "latent.dimension=3", "--steps", "2").code(), "k given and equal");
    }

    /** The largest distance from a latent particle to its nearest encoded source row. */
    static double farthestFromSource(Block particles, Block encodedSource) {
        int k = particles.dimension;
        double worst = 0;
        for (int p = 0; p < particles.rows; p++) {
            double best = Double.MAX_VALUE;
            for (int r = 0; r < encodedSource.rows; r++) {
                double d2 = 0;
                for (int j = 0; j < k; j++) {
                    double e = particles.x[p * k + j] - encodedSource.x[r * k + j];
                    d2 += e * e;
                }
                best = Math.min(best, d2);
            }
            worst = Math.max(worst, Math.sqrt(best));
        }
        return worst;
    }

    @Test
    void aSourceFileIsEncodedAndAMismatchingOneIsAOneLineError() throws IOException {
        Path target = target(false);
        Path model = model(target);
        Path out = dir.resolve("run");
        // one step from the encoded source: every particle within L·dt = 0.5 of its start
        CliTest.Result r = CliTest.lipflow("run", "--quiet", "--target", target.toString(), "--source", target.toString(),
                "--out", out.toString(), "--format", "csv", "--steps", "1", "--set", "output.plots=false",
                "--set", "latent.model=" + model);
        assertEquals(0, r.code(), r.err());
        Block z = Tables.read(out.resolve("latent-particles.csv").toString(), ReadOptions.defaults()).block();
        Block encoded = LatentModels.load(model.toString()).encode(Tables.read(target.toString(), ReadOptions.defaults()).block());
        for (int p = 0; p < z.rows; p++) {
            double d2 = 0;
            for (int j = 0; j < 3; j++) {
                d2 += Math.pow(z.x[p * 3 + j] - encoded.x[p * 3 + j], 2);
            }
            assertTrue(Math.sqrt(d2) <= 0.5 + 1e-4, "particle " + p + " moved " + Math.sqrt(d2) + " from its encoded source row");
        }
        String header = String.join(",", columns(D)).replace("g7,", "h7,");
        Path other = Files.writeString(dir.resolve("other-source.csv"), header + "\n" + Files.readAllLines(target).get(1) + "\n");
        Path out2 = dir.resolve("run2");
        CliTest.Result bad = CliTest.lipflow("run", "--quiet", "--target", target.toString(), "--source", other.toString(),
                "--out", out2.toString(), "--set", "latent.model=" + model);
        assertEquals(2, bad.code(), bad.err());
        assertEquals("lipflow: error: latent.model " + model + " expects feature column 7 to be 'g7', source.path = " + other
                + " has 'h7'", bad.err().strip());
        assertFalse(Files.exists(out2));
    }

    @Test
    @Tag("spark")
    void onSparkACoPartitionedTargetAndASourceFileAreEncodedOnTheExecutors() throws IOException {
        SparkTestSession.get("local[2]");
        Path target = target(true);
        Path model = model(target);
        Path out = dir.resolve("spark-source");
        // 300 x 50 floats = 60 kB > 0.05 MB: the target is co-partitioned, so its shards are encoded by the executors
        CliTest.Result r = CliTest.lipflow("run", "--quiet", "--target", target.toString(), "--source", target.toString(),
                "--out", out.toString(), "--format", "csv", "--steps", "1", "--engine", "spark", "--partitions", "2",
                "--set", "engine.broadcast-limit-mb=0.05", "--set", "output.plots=false",
                "--set", "output.discriminator=false", "--set", "latent.model=" + model);
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(out.resolve("manifest.json")).contains("\"co_partitioned\":true"));
        Table latent = Tables.read(out.resolve("latent-particles.csv").toString(), ReadOptions.defaults());
        assertEquals(300, latent.block().rows);
        assertEquals("label", latent.labelColumn());
        Block encoded = LatentModels.load(model.toString()).encode(Tables.read(target.toString(), ReadOptions.defaults()).block());
        double farthest = farthestFromSource(latent.block(), encoded);
        assertTrue(farthest <= 0.5 + 1e-4, "a particle is " + farthest + " from every encoded source row after one step");
    }

    @Test
    @Tag("spark")
    void aConditionalLatentFlowOnSparkKeepsClassesApartAndDecodesOnTheExecutors() throws IOException {
        SparkTestSession.get("local[2]");
        Path target = target(true);
        Path model = model(target);
        Path out = dir.resolve("spark-run");
        CliTest.Result r = lipflow(target, model, out, "--steps", "100", "--engine", "spark", "--partitions", "2");
        assertEquals(0, r.code(), r.err());
        Block z = checkOutputs(out, model, true);
        // class 0 is the cluster at z1 ≈ −0.995, class 1 the one at +0.995
        assertTrue(meanStd(z, 0, 0)[0] < -0.7, "class 0 mean of z1: " + meanStd(z, 0, 0)[0]);
        assertTrue(meanStd(z, 0, 1)[0] > 0.7, "class 1 mean of z1: " + meanStd(z, 0, 1)[0]);
    }
}
