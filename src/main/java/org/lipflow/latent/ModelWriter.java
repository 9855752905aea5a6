package org.lipflow.latent;

import org.lipflow.io.Json;
import org.lipflow.io.OutputDirectory;
import org.lipflow.util.Versions;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a model directory atomically through {@link OutputDirectory} (commit by rename, the
 * {@code --overwrite} rules of {@code run}): the model's own files, then manifest.json (which
 * marks the directory as a lipflow output, so a later {@code --overwrite} may replace it).
 */
public final class ModelWriter {
    private ModelWriter() {
    }

    /** Writes a model's files (latent.json included) into a local directory. */
    @FunctionalInterface
    public interface Contents {
        void writeTo(Path dir) throws IOException;
    }

    /**
     * @param dir        the model directory (local path or Hadoop URI)
     * @param inputs     the training data's paths: a directory holding one is never replaced
     * @param descriptor the model's descriptor, summarised in the manifest
     * @param provenance extra manifest entries (training data URI, config, timings)
     * @return the committed directory
     */
    public static String write(String dir, boolean overwrite, List<String> inputs, PrintWriter log, ModelDescriptor descriptor,
                               Map<String, Object> provenance, Contents contents) throws IOException {
        try (OutputDirectory out = new OutputDirectory(dir, overwrite, inputs, log)) {
            contents.writeTo(out.local());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("command", "autoencoder");
            m.put("type", descriptor.type());
            m.put("columns", descriptor.columns().size());
            m.put("latent_dimension", descriptor.latentDimension());
            m.put("training_rows", descriptor.trainingRows());
            m.put("data_fingerprint", descriptor.dataFingerprint());
            m.put("versions", Versions.all());
            m.putAll(provenance);
            m.put("finished", Instant.now().toString());
            Files.writeString(out.local().resolve(OutputDirectory.MANIFEST), Json.write(m) + "\n", StandardCharsets.UTF_8);
            out.commit();
            return out.target();
        }
    }

    /** Writes a PCA model's directory. */
    public static String write(PcaModel model, String dir, boolean overwrite, List<String> inputs, PrintWriter log,
                               Map<String, Object> provenance) throws IOException {
        Map<String, Object> p = new LinkedHashMap<>(provenance);
        p.put("explained_variance", java.util.Arrays.stream(model.explainedVariance()).boxed().toList());
        return write(dir, overwrite, inputs, log, model.descriptor(), p, model::save);
    }
}
