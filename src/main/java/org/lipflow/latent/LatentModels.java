package org.lipflow.latent;

import org.lipflow.io.FileSystems;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a model directory: reads its {@code latent.json} and loads the model its type names. */
public final class LatentModels {
    private LatentModels() {
    }

    /**
     * Loads the model in {@code dir} (local path or any Hadoop URI). A missing directory, a
     * directory without latent.json or a bad descriptor is a one-line IllegalArgumentException.
     */
    public static LatentModel load(String dir) throws IOException {
        ModelDescriptor descriptor = descriptor(dir);
        return switch (descriptor.type()) {
            case "pca" -> PcaModel.load(dir, descriptor);
            case "dense", "conv" -> AutoencoderModel.load(dir, descriptor);
            default -> throw new IllegalArgumentException("latent.model " + dir + ": models of type '" + descriptor.type()
                    + "' cannot be loaded (types: " + String.join(", ", ModelDescriptor.TYPES) + ")");
        };
    }

    /** The descriptor of the model in {@code dir}. */
    public static ModelDescriptor descriptor(String dir) throws IOException {
        if (FileSystems.isLocal(dir) && !Files.isDirectory(Path.of(dir))) {
            throw new IllegalArgumentException("latent.model " + dir + ": " + (Files.exists(Path.of(dir))
                    ? "not a directory" : "model directory not found"));
        }
        String file = descriptorFile(dir);
        String json;
        try (InputStream in = FileSystems.open(file)) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("latent.model " + dir + ": no readable " + ModelDescriptor.FILE
                    + " (not a lipflow model directory): " + e.getMessage());
        }
        return ModelDescriptor.parse(json, file);
    }

    /** The URI of {@code dir}'s latent.json. */
    public static String descriptorFile(String dir) {
        return dir.replaceAll("/+$", "") + "/" + ModelDescriptor.FILE;
    }
}
