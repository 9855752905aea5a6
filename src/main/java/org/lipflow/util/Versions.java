package org.lipflow.util;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Versions for manifests: lipflow (from the jar's build properties), Java, and the main libraries. */
public final class Versions {
    private Versions() {
    }

    public static String lipflow() {
        try (InputStream in = Versions.class.getResourceAsStream("/lipflow-build.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (java.io.IOException e) {
            // fall through
        }
        return "unknown";
    }

    public static Map<String, Object> all() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("lipflow", lipflow());
        v.put("java", System.getProperty("java.version"));
        v.put("spark", packageVersion("org.apache.spark.SparkContext"));
        v.put("git_revision", System.getenv().getOrDefault("LIPFLOW_GIT_REVISION", "unknown"));
        return v;
    }

    private static String packageVersion(String cls) {
        try {
            Package p = Class.forName(cls).getPackage();
            String v = p == null ? null : p.getImplementationVersion();
            return v == null ? "present" : v;
        } catch (ClassNotFoundException | LinkageError e) {
            return "absent";
        }
    }
}
