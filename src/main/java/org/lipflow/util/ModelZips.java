package org.lipflow.util;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Checks a DL4J model zip (ModelSerializer's format) before DL4J reads it. DL4J 1.0.0-M2's
 * {@code ModelSerializer.restoreMultiLayerNetwork} reads the entries configuration.json (JSON),
 * coefficients.bin and updaterState.bin (ND4J's binary array format) and, when present,
 * {@code preprocessor.bin} with {@code java.io.ObjectInputStream}: Java deserialization of the
 * file's bytes, which can run code of any class on the class path. lipflow never writes that
 * entry, and refuses a zip that holds it or any entry it does not know, so no model file a user
 * passes is ever Java-deserialized.
 */
public final class ModelZips {
    /** The entries ModelSerializer reads without Java serialization (lipflow writes the first two). */
    public static final Set<String> ALLOWED = Set.of("configuration.json", "coefficients.bin", "updaterState.bin", "noParams.marker");

    private ModelZips() {
    }

    /** Refuses, with a one-line IllegalArgumentException naming {@code origin}, a zip with an entry outside {@link #ALLOWED}. */
    public static void check(byte[] zip, String origin) {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            check(in, origin);
        } catch (IOException e) {
            throw new IllegalArgumentException(origin + ": not a DL4J model file (" + e.getMessage() + ")");
        }
    }

    /** As {@link #check(byte[], String)} for a file. */
    public static void check(Path file) throws IOException {
        try (InputStream s = Files.newInputStream(file); ZipInputStream in = new ZipInputStream(s)) {
            check(in, file.toString());
        }
    }

    private static void check(ZipInputStream in, String origin) throws IOException {
        int entries = 0;
        for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
            entries++;
            if (!ALLOWED.contains(e.getName())) {
                throw new IllegalArgumentException(origin + ": the model file holds '" + e.getName() + "', which lipflow does not "
                        + "read (DL4J would Java-deserialize preprocessor.bin; a model zip may hold only " + String.join(", ",
                        new java.util.TreeSet<>(ALLOWED)) + ")");
            }
        }
        if (entries == 0) {
            throw new IllegalArgumentException(origin + ": not a DL4J model file (not a zip, or an empty one)");
        }
    }
}
