package org.lipflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.flow.Block;
import org.lipflow.latent.AutoencoderModel;
import org.lipflow.latent.AutoencoderModelTest;
import org.lipflow.latent.ModelDescriptor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lipflow autoencoder}: the model directory it writes, its overwrite rules and its one-line errors. */
class AutoencoderCliTest {
    @TempDir
    Path dir;

    static Path csv(Path file, Block b) throws IOException {
        StringBuilder s = new StringBuilder();
        for (int j = 1; j <= b.dimension; j++) {
            s.append(j > 1 ? "," : "").append("x").append(j);
        }
        s.append('\n');
        for (int r = 0; r < b.rows; r++) {
            for (int j = 0; j < b.dimension; j++) {
                s.append(j > 0 ? "," : "").append(b.x[r * b.dimension + j]);
            }
            s.append('\n');
        }
        Files.writeString(file, s);
        return file;
    }

    static CliTest.Result autoencoder(Path data, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("autoencoder", "--set", "output.progress=false", "--data", data.toString(), "--out", out.toString(),
                "--set", "latent.dimension=2", "--set", "latent.hidden=[16]", "--set", "latent.epochs=2"));
        a.addAll(Arrays.asList(extra));
        return CliTest.lipflow(a.toArray(String[]::new));
    }

    @Test
    void writesAModelDirectoryThatLoadsAndReconstructs() throws IOException {
        Block b = AutoencoderModelTest.manifold(200, 1);
        Path data = csv(dir.resolve("data.csv"), b), out = dir.resolve("model");
        CliTest.Result r = autoencoder(data, out);
        assertEquals(0, r.code(), r.err());
        for (String f : List.of("encoder.zip", "decoder.zip", "latent.json", "manifest.json", "loss.png")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertFalse(Files.exists(out.resolve("reconstructions.png")), "a table has no image grid");
        assertTrue(r.err().contains("wrote " + out) && r.err().contains("final reconstruction loss"), r.err());
        ModelDescriptor d = ModelDescriptor.parse(Files.readString(out.resolve("latent.json")), out.toString());
        assertEquals("dense", d.type());
        assertEquals(2, d.latentDimension());
        assertEquals(2, d.losses().size());
        assertEquals(200, d.trainingRows());
        assertTrue(d.dataFingerprint().startsWith("sha256:"), d.dataFingerprint());
        AutoencoderModel m = AutoencoderModel.load(out.toString(), d);
        assertEquals(20, m.decode(m.encode(b)).dimension);
    }

    @Test
    void aConvModelOfImagesWritesAReconstructionGrid() throws IOException {
        Path data = csv(dir.resolve("images.csv"), AutoencoderModelTest.blobs(100, 2)), out = dir.resolve("model");
        CliTest.Result r = autoencoder(data, out, "--set", "latent.type=conv", "--set", "latent.channels=[4, 8]");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(out.resolve("reconstructions.png")));
        ModelDescriptor d = ModelDescriptor.parse(Files.readString(out.resolve("latent.json")), out.toString());
        assertArrayEquals(new int[]{8, 8, 1}, d.shape());
    }

    @Test
    void anExistingModelDirectoryIsReplacedOnlyWithOverwrite() throws IOException {
        Path data = csv(dir.resolve("data.csv"), AutoencoderModelTest.manifold(100, 3)), out = dir.resolve("model");
        assertEquals(0, autoencoder(data, out).code());
        CliTest.Result again = autoencoder(data, out);
        assertEquals(2, again.code());
        assertEquals("lipflow: error: output " + out + " already exists (use --overwrite or output.overwrite = true)",
                again.err().strip());
        CliTest.Result replaced = autoencoder(data, out, "--overwrite", "--set", "latent.dimension=3");
        assertEquals(0, replaced.code(), replaced.err());
        assertEquals(3, ModelDescriptor.parse(Files.readString(out.resolve("latent.json")), "x").latentDimension());
    }

    /** latent.type = pca through the same command: an exact PCA model directory that run's loader opens. */
    @Test
    void pcaIsFittedByTheSameCommandAndLoadsAsALatentModel() throws IOException {
        Path data = csv(dir.resolve("data.csv"), AutoencoderModelTest.manifold(60, 4)), out = dir.resolve("pca");
        CliTest.Result r = autoencoder(data, out, "--set", "latent.type=pca", "--set", "latent.dimension=3");
        assertEquals(0, r.code(), r.err());
        org.lipflow.latent.LatentModel m = org.lipflow.latent.LatentModels.load(out.toString());
        assertEquals("pca", m.descriptor().type());
        assertEquals(3, m.latentDimension());
        assertEquals(20, m.dataDimension());
        assertTrue(m.descriptor().dataFingerprint().startsWith("sha256:"), m.descriptor().dataFingerprint());
        CliTest.Result tooMany = autoencoder(data, dir.resolve("pca-bad"), "--set", "latent.type=pca", "--set", "latent.dimension=21");
        assertEquals(2, tooMany.code(), tooMany.err());
        CliTest.assertNothingWritten(dir.resolve("pca-bad"));
    }

    @Test
    void badLatentSettingsAreOneLineErrorsWithExitCodeTwoAndNoOutput() throws IOException {
        Path data = csv(dir.resolve("data.csv"), AutoencoderModelTest.manifold(50, 4)), out = dir.resolve("model");
        String[][] cases = {
                {"latent.dimension=0", "latent.dimension must be >= 1, got 0"},
                {"latent.dimension=21", "latent.dimension must be <= the data's 20 columns, got 21"},
                {"latent.type=vae", "latent.type must be dense, conv or pca, got 'vae'"},
                {"latent.epochs=0", "latent.epochs must be >= 1, got 0"},
                {"latent.shape=[4, 4, 1]", "latent.shape [4, 4, 1] must be [d] or [height, width, channels] with a product of the "
                        + "data's 20 columns"},
        };
        for (String[] c : cases) {
            CliTest.Result r = autoencoder(data, out, "--set", c[0]);
            assertEquals(2, r.code(), c[0] + ": " + r.err());
            assertEquals("lipflow: error: " + c[1], r.err().strip(), c[0]);
            CliTest.assertNothingWritten(out);
        }
    }

    @Test
    void withoutAModelDirectoryToWriteItSaysWhichKeysSetIt() throws IOException {
        Path data = csv(dir.resolve("data.csv"), AutoencoderModelTest.manifold(20, 5));
        CliTest.Result r = CliTest.lipflow("autoencoder", "--quiet", "--data", data.toString());
        assertEquals(2, r.code());
        assertEquals("lipflow: error: latent.out: set the model directory to write (--out, latent.out or latent.model)",
                r.err().strip());
    }
}
