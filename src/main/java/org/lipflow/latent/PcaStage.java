package org.lipflow.latent;

import org.apache.spark.api.java.JavaRDD;
import org.lipflow.flow.Block;
import org.lipflow.io.FileSystems;
import org.lipflow.io.Table;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code autoencoder} command's {@code latent.type = pca} branch: fit PCA to a data set and
 * write the model directory atomically, with the data's URI, SHA-256 and row count as provenance.
 */
public final class PcaStage {
    private PcaStage() {
    }

    /**
     * Fits k components to a table read in this JVM and writes {@code outDir}.
     *
     * @param dataUri the file the table was read from (hashed for the descriptor's fingerprint), or a
     *                description of generated data (recorded as is)
     * @return the committed model directory
     */
    public static String fit(Table data, String dataUri, int k, String outDir, boolean overwrite, PrintWriter log)
            throws IOException {
        String fingerprint = fingerprint(dataUri);
        Instant started = Instant.now();
        PcaModel model = PcaModel.fit(data, k, fingerprint);
        return ModelWriter.write(model, outDir, overwrite, inputs(dataUri), log, provenance(dataUri, "inprocess", started));
    }

    /** Fits k components to blocks read by Spark (see {@link SparkPca}) and writes {@code outDir}. */
    public static String fitOnSpark(JavaRDD<Block> blocks, String[] columns, String dataUri, int k, String outDir,
                                    boolean overwrite, PrintWriter log) throws IOException {
        Instant started = Instant.now();
        PcaModel model = SparkPca.fit(blocks, List.of(columns), k,
                "not computed: read by Spark on the executors (" + dataUri + ")");
        return ModelWriter.write(model, outDir, overwrite, inputs(dataUri), log, provenance(dataUri, "spark", started));
    }

    private static String fingerprint(String dataUri) throws IOException {
        return isFile(dataUri) ? "sha256:" + FileSystems.sha256(dataUri) : dataUri;
    }

    private static boolean isFile(String dataUri) {
        return !dataUri.startsWith("synthetic:");
    }

    private static List<String> inputs(String dataUri) {
        return isFile(dataUri) ? List.of(dataUri) : List.of();
    }

    private static Map<String, Object> provenance(String dataUri, String engine, Instant started) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", dataUri);
        m.put("engine", engine);
        m.put("started", started.toString());
        return m;
    }
}
