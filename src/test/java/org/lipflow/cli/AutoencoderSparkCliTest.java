package org.lipflow.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.engine.spark.SparkTestSession;
import org.lipflow.flow.Block;
import org.lipflow.latent.AutoencoderModel;
import org.lipflow.latent.AutoencoderModelTest;
import org.lipflow.latent.ModelDescriptor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lipflow autoencoder --engine spark}: a CSV read by Spark, trained with DL4J Spark, written as a model directory. */
@Tag("spark")
class AutoencoderSparkCliTest {
    @TempDir
    Path dir;

    @Test
    void theSparkEngineWritesAModelDirectoryOfImagesThatLoads() throws IOException {
        SparkTestSession.get("local[2]");
        Block b = AutoencoderModelTest.blobs(120, 3);
        Path data = AutoencoderCliTest.csv(dir.resolve("images.csv"), b), out = dir.resolve("model");
        CliTest.Result r = AutoencoderCliTest.autoencoder(data, out, "--engine", "spark", "--master", "local[2]",
                "--set", "latent.type=conv", "--set", "latent.channels=[4, 8]", "--set", "engine.partitions=2");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(out.resolve("reconstructions.png")));
        assertTrue(Files.isRegularFile(out.resolve("loss.png")));
        ModelDescriptor d = ModelDescriptor.parse(Files.readString(out.resolve("latent.json")), out.toString());
        assertEquals(120, d.trainingRows());
        assertEquals(2, d.losses().size());
        assertTrue(d.dataFingerprint().startsWith("not hashed"), d.dataFingerprint());
        AutoencoderModel m = AutoencoderModel.load(out.toString(), d);
        assertEquals(64, m.decode(m.encode(b)).dimension);
    }
}
