package org.lipflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.eval.SampleDistances;
import org.lipflow.flow.Block;
import org.lipflow.io.ReadOptions;
import org.lipflow.io.Table;
import org.lipflow.io.Tables;
import org.lipflow.latent.LatentModel;
import org.lipflow.latent.LatentModels;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data-integration example end to end through the command line, small: two labelled batches
 * with a known shift ({@code datasets --name two-batch}), PCA fitted on their union
 * ({@code autoencoder --data A --data B}), and a conditional latent flow that transports the shifted
 * batch (the source, with sample-name ids) onto the reference.
 */
class DataIntegrationTest {
    static final int D = 400, N = 200, K = 10;

    @TempDir
    Path dir;

    @Test
    void theShiftedBatchIsTransportedOntoTheReferenceClassByClassWithItsIdsCarried() throws Exception {
        Path data = dir.resolve("data"), model = dir.resolve("pca"), out = dir.resolve("run");
        CliTest.Result g = CliTest.lipflow("datasets", "--name", "two-batch", "--n", "" + N, "--dimension", "" + D,
                "--seed", "3", "--out", data.toString());
        assertEquals(0, g.code(), g.err());
        Path ref = data.resolve("reference.csv"), shifted = data.resolve("shifted.csv");
        CliTest.Result a = CliTest.lipflow("autoencoder", "--quiet", "--data", ref.toString(), "--data", shifted.toString(),
                "--out", model.toString(), "--set", "latent.type=pca", "--set", "latent.dimension=" + K);
        assertEquals(0, a.code(), a.err());
        String descriptor = Files.readString(model.resolve("latent.json"));
        assertEquals(2, descriptor.split("sha256:", -1).length - 1, "both data sets' fingerprints in latent.json: " + descriptor);
        assertTrue(descriptor.contains("\"training_rows\" : " + 2 * N) || descriptor.contains("\"training_rows\":" + 2 * N),
                descriptor);

        CliTest.Result r = CliTest.lipflow("run", "--quiet", "--target", ref.toString(), "--source", shifted.toString(),
                "--out", out.toString(), "--format", "csv", "--steps", "600", "--set", "latent.model=" + model,
                "--set", "source.id-column=id", "--set", "output.snapshots=2");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("integration-before.png")) && Files.exists(out.resolve("integration-after.png")));

        LatentModel m = LatentModels.load(model.toString());
        Table refTable = Tables.read(ref.toString(), ReadOptions.defaults());
        Table before = Tables.read(shifted.toString(), ReadOptions.defaults());
        Table after = Tables.read(out.resolve("latent-particles.csv").toString(), ReadOptions.defaults());
        Table decoded = Tables.read(out.resolve("particles.csv").toString(), ReadOptions.defaults());
        // ids: the source's sample names, in the source's row order, on both outputs
        assertEquals(Arrays.asList(before.ids().values()), Arrays.asList(after.ids().values()));
        assertEquals(Arrays.asList(before.ids().values()), Arrays.asList(decoded.ids().values()));
        assertTrue(after.ids().values()[0].startsWith("shifted-"), after.ids().values()[0]);
        assertEquals(Arrays.toString(before.block().labels), Arrays.toString(after.block().labels), "labels stay with their rows");

        Block zRef = m.encode(refTable.block()), zBefore = m.encode(before.block()), zAfter = after.block();
        double edBefore = ed(zBefore, zRef), edAfter = ed(zAfter, zRef), edSelf = ed(half(zRef, 0), half(zRef, 1));
        // measured: before 0.978, after 0.069, split half 0.104
        assertTrue(edAfter <= 1.5 * edSelf, "transported source vs reference: energy distance " + edAfter
                + " should be within 1.5x the reference's own split-half value " + edSelf);
        assertTrue(edBefore >= 8 * edAfter, "energy distance should drop at least 8x: before " + edBefore + ", after " + edAfter);
        for (int c = 0; c < 2; c++) {
            double[] mr = mean(refTable.block(), c), mb = mean(before.block(), c), ma = mean(decoded.block(), c);
            // measured in data space: class 0 58.7 -> 3.0, class 1 58.0 -> 1.9
            assertTrue(dist(ma, mr) <= 0.1 * dist(mb, mr), "class " + c + ": mean distance to the reference's class mean "
                    + "should shrink 10x: before " + dist(mb, mr) + ", after " + dist(ma, mr));
        }
    }

    @Test
    void dataSetsOfOneModelMustHaveTheSameFeatureColumns() throws Exception {
        Files.writeString(dir.resolve("a.csv"), "id,g1,g2,g3\na,1,2,3\nb,2,3,5\nc,0,1,1\n");
        Files.writeString(dir.resolve("b.csv"), "id,g1,g3,g2\nd,1,2,3\ne,2,3,4\nf,0,1,2\n");
        Path model = dir.resolve("m");
        CliTest.Result r = CliTest.lipflow("autoencoder", "--quiet", "--data", dir.resolve("a.csv").toString(), "--data",
                dir.resolve("b.csv").toString(), "--out", model.toString(), "--set", "latent.type=pca", "--set", "latent.dimension=1");
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("must have the same feature columns") && r.err().contains("feature column 2 'g2'")
                && r.err().contains("has 'g3'"), r.err());
        CliTest.assertNothingWritten(model);
    }

    @Test
    @org.junit.jupiter.api.Tag("spark")
    void onSparkPcaIsFittedOnTheUnionOfTheDataSetsReadByTheExecutors() throws Exception {
        org.lipflow.engine.spark.SparkTestSession.get("local[2]");
        Path data = dir.resolve("data"), inProcess = dir.resolve("pca-here"), spark = dir.resolve("pca-spark");
        assertEquals(0, CliTest.lipflow("datasets", "--name", "two-batch", "--n", "60", "--dimension", "20", "--out",
                data.toString()).code());
        String a = data.resolve("reference.csv").toString(), b = data.resolve("shifted.csv").toString();
        CliTest.Result r = CliTest.lipflow("autoencoder", "--quiet", "--data", a, "--data", b, "--out", spark.toString(),
                "--engine", "spark", "--set", "engine.partitions=2", "--set", "latent.type=pca", "--set", "latent.dimension=3");
        assertEquals(0, r.code(), r.err());
        r = CliTest.lipflow("autoencoder", "--quiet", "--data", a, "--data", b, "--out", inProcess.toString(),
                "--set", "latent.type=pca", "--set", "latent.dimension=3");
        assertEquals(0, r.code(), r.err());
        org.lipflow.latent.ModelDescriptor onSpark = LatentModels.descriptor(spark.toString()),
                here = LatentModels.descriptor(inProcess.toString());
        assertEquals(120, onSpark.trainingRows());
        assertTrue(onSpark.dataFingerprint().contains("reference.csv") && onSpark.dataFingerprint().contains("shifted.csv"),
                onSpark.dataFingerprint());
        for (int k = 0; k < 3; k++) {
            assertEquals(here.latentStd()[k], onSpark.latentStd()[k], 1e-6 * here.latentStd()[k], "component " + k + "'s std");
        }
    }

    static double ed(Block a, Block b) {
        return SampleDistances.compare(a, b, 0).energyDistance();
    }

    /** Every other row, from row {@code which} (the batches are ordered by class: alternate rows keep both classes). */
    static Block half(Block b, int which) {
        int n = b.rows / 2, d = b.dimension;
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(b.x, (2 * i + which) * d, x, i * d, d);
        }
        return new Block(n, d, x, null, null);
    }

    static double[] mean(Block b, int label) {
        double[] m = new double[b.dimension];
        int n = 0;
        for (int r = 0; r < b.rows; r++) {
            if (b.labels[r] == label) {
                n++;
                for (int k = 0; k < b.dimension; k++) {
                    m[k] += b.x[r * b.dimension + k];
                }
            }
        }
        for (int k = 0; k < m.length; k++) {
            m[k] /= n;
        }
        return m;
    }

    static double dist(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += (a[k] - b[k]) * (a[k] - b[k]);
        }
        return Math.sqrt(s);
    }
}
