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
        return fit(data, List.of(dataUri), k, outDir, overwrite, log);
    }

    /**
     * Fits k components to the union of several data sets (their rows in {@code data}, in the order
     * of {@code dataUris}); the fingerprint lists each set's, joined by " + ".
     */
    public static String fit(Table data, List<String> dataUris, int k, String outDir, boolean overwrite, PrintWriter log)
            throws IOException {
        List<String> f = new java.util.ArrayList<>();
        for (String u : dataUris) {
            f.add(fingerprint(u));
        }
        Instant started = Instant.now();
        PcaModel model = PcaModel.fit(data, k, String.join(" + ", f));
        return ModelWriter.write(model, outDir, overwrite, inputs(dataUris), log, provenance(dataUris, "inprocess", started));
    }

    /** Fits k components to blocks read by Spark (see {@link SparkPca}) and writes {@code outDir}. */
    public static String fitOnSpark(JavaRDD<Block> blocks, String[] columns, String dataUri, int k, String outDir,
                                    boolean overwrite, PrintWriter log) throws IOException {
        return fitOnSpark(blocks, columns, List.of(dataUri), k, outDir, overwrite, log);
    }

    /** As {@link #fitOnSpark(JavaRDD, String[], String, int, String, boolean, PrintWriter)}, the blocks the union of several sets. */
    public static String fitOnSpark(JavaRDD<Block> blocks, String[] columns, List<String> dataUris, int k, String outDir,
                                    boolean overwrite, PrintWriter log) throws IOException {
        Instant started = Instant.now();
        PcaModel model = SparkPca.fit(blocks, List.of(columns), k, String.join(" + ", dataUris.stream()
                .map(u -> "not computed: read by Spark on the executors (" + u + ")").toList()));
        return ModelWriter.write(model, outDir, overwrite, inputs(dataUris), log, provenance(dataUris, "spark", started));
    }

    private static String fingerprint(String dataUri) throws IOException {
        return isFile(dataUri) ? "sha256:" + FileSystems.sha256(dataUri) : dataUri;
    }

    private static boolean isFile(String dataUri) {
        return !dataUri.startsWith("synthetic:");
    }

    private static List<String> inputs(List<String> dataUris) {
        return dataUris.stream().filter(PcaStage::isFile).toList();
    }

    private static Map<String, Object> provenance(List<String> dataUris, String engine, Instant started) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", dataUris.size() == 1 ? dataUris.get(0) : dataUris);
        m.put("engine", engine);
        m.put("started", started.toString());
        return m;
    }
}
