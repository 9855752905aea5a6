package org.lipflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.engine.spark.SparkTestSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code run} on an IDX images target: class-balanced subset, scale, image grids, and refused bad files. */
class ImageRunTest {
    @TempDir
    Path dir;

    /** Three 2x2 images with labels 7, 0, 7 (as IdxFilesTest writes them). */
    Path images() throws IOException {
        byte[] images = {0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, (byte) 255};
        byte[] labels = {0, 0, 8, 1, 0, 0, 0, 3, 7, 0, 7};
        Files.write(dir.resolve("tiny-labels-idx1-ubyte"), labels);
        return Files.write(dir.resolve("tiny-images-idx3-ubyte"), images);
    }

    @Test
    void anIdxTargetRunsWithPerClassScaleAndWritesImageGrids() throws IOException {
        Path out = dir.resolve("out");
        CliTest.Result r = CliTest.lipflow("run", "--quiet", "--steps", "2", "--particles", "20", "--out", out.toString(),
                "--format", "csv", "--target", images().toString(), "--set", "target.per-class=1", "--set",
                "target.scale=0.00392156862745098", "--set", "output.snapshots=2", "--set", "output.discriminator=false");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("target-images.png")));
        assertTrue(Files.exists(out.resolve("particles-images.png")));
        String manifest = Files.readString(out.resolve("manifest.json"));
        assertTrue(java.util.regex.Pattern.compile("\"target\":\\s*\\{[^}]*\"rows\":\\s*2[,}\\s]").matcher(manifest).find(),
                "two target rows (one per class): " + manifest);
        assertEquals("p1,p2,p3,p4,label", Files.readAllLines(out.resolve("particles.csv")).get(0));
        assertTrue(manifest.contains("\"labels_file\":{") && manifest.contains("tiny-labels-idx1-ubyte"), manifest);
    }

    /** A dense model of images (its own shape is [d]) still draws reconstructions.png, in the data's image shape. */
    @Test
    void aDenseAutoencoderOfImagesDrawsItsReconstructions() throws IOException {
        Path model = dir.resolve("model");
        CliTest.Result r = CliTest.lipflow("autoencoder", "--quiet", "--data", images().toString(), "--out", model.toString(),
                "--set", "target.scale=0.00392156862745098", "--set", "latent.dimension=2", "--set", "latent.hidden=[4]",
                "--set", "latent.epochs=2");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(model.resolve("latent.json")).contains("\"shape\":[4]"), "a dense model's own shape");
        assertTrue(Files.size(model.resolve("reconstructions.png")) > 100, "reconstructions.png of the 2x2 images");
    }

    /** On the Spark engine IDX files (and subset or scaled files) are read on the driver; a source is cut into slices. */
    @Test
    @org.junit.jupiter.api.Tag("spark")
    void onTheSparkEngineIdxTargetAndSourceAreReadOnTheDriver() throws IOException {
        SparkTestSession.get("local[2]");
        Path out = dir.resolve("spark");
        Path images = images();
        CliTest.Result r = CliTest.lipflow("run", "--engine", "spark", "--partitions", "2", "--quiet", "--steps", "2", "--out",
                out.toString(), "--format", "csv", "--target", images.toString(), "--source", images.toString(), "--set",
                "target.per-class=1", "--set", "target.scale=0.00392156862745098", "--set", "source.scale=0.00392156862745098",
                "--set", "output.snapshots=2", "--set", "output.discriminator=false");
        assertEquals(0, r.code(), r.err());
        org.lipflow.io.Table particles = org.lipflow.io.Tables.read(out.resolve("particles.csv").toString(),
                org.lipflow.io.ReadOptions.defaults());
        assertEquals(List.of("p1", "p2", "p3", "p4"), List.of(particles.columns()));
        assertEquals(3, particles.block().rows, "the source's three images");
        assertEquals(3, particles.block().labels.length);
        assertTrue(Files.exists(out.resolve("target-images.png")));
        assertTrue(Files.exists(out.resolve("particles-images.png")));
    }

    @Test
    void aLabelsFileOfAnotherCountIsRefusedInOneLineWithoutOutput() throws IOException {
        Path images = images();
        Files.write(dir.resolve("tiny-labels-idx1-ubyte"), new byte[]{0, 0, 8, 1, 0, 0, 0, 2, 1, 2});
        Path out = dir.resolve("bad");
        CliTest.Result r = CliTest.lipflow("run", "--quiet", "--steps", "2", "--out", out.toString(), "--target", images.toString());
        assertEquals(2, r.code(), r.err());
        // the labels file beside the images is what target.labels-path defaults to: the error names that key
        assertEquals("lipflow: error: target.labels-path = " + dir.resolve("tiny-labels-idx1-ubyte") + ": 2 labels for the 3 images of "
                        + images,
                r.err().strip());
        assertFalse(Files.exists(out));
    }
}
