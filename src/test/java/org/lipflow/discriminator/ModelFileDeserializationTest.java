package org.lipflow.discriminator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.latent.AutoencoderNetworks;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No model file is Java-deserialized: DL4J's ModelSerializer would read a zip's preprocessor.bin
 * with ObjectInputStream (running the readObject of whatever class it names); lipflow's loaders
 * refuse such a zip with one line before DL4J sees it.
 */
class ModelFileDeserializationTest {
    @TempDir
    Path dir;

    /** Stands in for a gadget: records that Java deserialization ran. */
    static final class Planted implements Serializable {
        static volatile boolean deserialized;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            deserialized = true;
        }
    }

    /** {@code zip} with one more entry, preprocessor.bin, holding a serialized {@link Planted}. */
    private static byte[] withPreprocessor(byte[] zip) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip)); ZipOutputStream z = new ZipOutputStream(out)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                z.putNextEntry(new ZipEntry(e.getName()));
                in.transferTo(z);
                z.closeEntry();
            }
            z.putNextEntry(new ZipEntry("preprocessor.bin"));
            ByteArrayOutputStream object = new ByteArrayOutputStream();
            try (ObjectOutputStream o = new ObjectOutputStream(object)) {
                o.writeObject(new Planted());
            }
            z.write(object.toByteArray());
            z.closeEntry();
        }
        return out.toByteArray();
    }

    @Test
    void aModelZipWithAJavaSerializedEntryIsRefusedWithoutDeserializingIt() throws Exception {
        MlpLayout layout = new MlpLayout(2, new int[]{8}, 1, Activation.RELU);
        File good = dir.resolve("d.zip").toFile();
        Dl4jModels.save(layout, MlpKernelTest.randomParams(layout, 1), good);
        Dl4jModels.load(good); // what lipflow writes loads
        File bad = dir.resolve("evil.zip").toFile();
        Files.write(bad.toPath(), withPreprocessor(Files.readAllBytes(good.toPath())));
        Planted.deserialized = false;

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dl4jModels.load(bad));
        assertTrue(e.getMessage().startsWith(bad + ": the model file holds 'preprocessor.bin'"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        e = assertThrows(IllegalArgumentException.class,
                () -> AutoencoderNetworks.restore(Files.readAllBytes(bad.toPath()), "encoder.zip"));
        assertTrue(e.getMessage().startsWith("encoder.zip: the model file holds 'preprocessor.bin'"), e.getMessage());
        assertFalse(Planted.deserialized, "no Java deserialization ran");
    }
}
