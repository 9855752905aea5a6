package org.lipflow.ml;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.json4s.JsonAST;
import org.json4s.StringInput;
import org.json4s.jackson.JsonMethods$;
import org.lipflow.io.Json;
import scala.Option;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Spark ML's on-disk layout for lipflow's stages: {@code metadata/} (one JSON line written by
 * Spark's DefaultParamsWriter: class, uid, Spark version, params, default params) with lipflow's
 * own fields, and {@code data/} with Parquet tables (or a lipflow model directory) that each
 * stage writes. Every lipflow stage records its format version, the oldest that holds it (so an
 * older lipflow still reads what it can replay as the writer does); a reader refuses, in one line,
 * a directory that is not a lipflow stage of its class or was written by a newer format.
 *
 * <p>Format history: 1 — ParticleFlow (params only), ParticleFlowModel (data/trajectory,
 * data/particles, data/metrics), LatentEncoder (params only), LatentEncoderModel (data/model: a
 * lipflow latent model directory). 2 — a ParticleFlowModel whose trajectory replays with an
 * integrator other than euler: metadata {@code replay} (integrator, retrain) and a {@code stage}
 * column in data/trajectory (the fields heun and rk4 re-train at their stages under each-stage);
 * a format-1 model replays with forward Euler.
 */
final class ModelFiles {
    /** The newest format this version reads (and writes where a stage needs it). */
    static final int FORMAT_VERSION = 2;
    /** The format of every stage that needs nothing newer. */
    static final int FIRST_VERSION = 1;
    static final String FORMAT_KEY = "lipflowFormatVersion";

    private ModelFiles() {
    }

    /** Writes metadata/ with format version {@link #FIRST_VERSION} and {@code extra} (a map that {@link Json} can write). */
    static void saveMetadata(Params instance, String path, SparkContext sc, Map<String, Object> extra) {
        saveMetadata(instance, path, sc, extra, FIRST_VERSION);
    }

    /** Writes metadata/ with format {@code version} and {@code extra}. */
    static void saveMetadata(Params instance, String path, SparkContext sc, Map<String, Object> extra, int version) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put(FORMAT_KEY, version);
        all.putAll(extra);
        JsonAST.JObject json = (JsonAST.JObject) JsonMethods$.MODULE$.parse(new StringInput(Json.write(all)), false, true);
        DefaultParamsWriter$.MODULE$.saveMetadata(instance, path, sc, Option.apply(json), Option.empty());
    }

    /** What a reader gets back: Spark's metadata and lipflow's fields of it. */
    record Loaded(DefaultParamsReader.Metadata metadata, Config fields) {
    }

    /**
     * Reads metadata/ of a stage saved as {@code expected}, checking that the directory exists,
     * holds that class and a format version this code reads.
     */
    static Loaded loadMetadata(String path, SparkContext sc, Class<?> expected) {
        try {
            Path meta = new Path(path, "metadata");
            FileSystem fs = meta.getFileSystem(sc.hadoopConfiguration());
            if (!fs.exists(meta)) {
                throw new IllegalArgumentException(path + ": not a saved Spark ML stage (no metadata/ directory)");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(path + ": cannot read (" + e.getMessage() + ")");
        }
        DefaultParamsReader.Metadata m;
        try {
            m = DefaultParamsReader$.MODULE$.loadMetadata(path, sc, "");
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(path + ": unreadable metadata (" + firstLine(e.getMessage()) + ")");
        }
        if (!m.className().equals(expected.getName())) {
            throw new IllegalArgumentException(path + ": holds a " + m.className() + ", not a " + expected.getName());
        }
        Config fields;
        try {
            fields = ConfigFactory.parseString(m.metadataJson());
        } catch (ConfigException e) {
            throw new IllegalArgumentException(path + ": unreadable metadata (" + firstLine(e.getMessage()) + ")");
        }
        if (!fields.hasPath(FORMAT_KEY)) {
            throw new IllegalArgumentException(path + ": metadata has no " + FORMAT_KEY + " (not written by lipflow)");
        }
        int version = fields.getInt(FORMAT_KEY);
        if (version < 1 || version > FORMAT_VERSION) {
            throw new IllegalArgumentException(path + ": lipflow ML format version " + version + " is not readable by this "
                    + "lipflow (it reads versions 1.." + FORMAT_VERSION + "); load it with the lipflow that wrote it or a newer one");
        }
        return new Loaded(m, fields);
    }

    /** Sets the saved params (and defaults) on a new instance, as Spark's DefaultParamsReader does. */
    static void setParams(Loaded loaded, Params instance) {
        loaded.metadata().getAndSetParams(instance, Option.empty());
    }

    static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    /** The writer of a stage that is its params only. */
    static final class ParamsWriter extends MLWriter {
        private final Params instance;

        ParamsWriter(Params instance) {
            this.instance = instance;
        }

        @Override
        public void saveImpl(String path) {
            saveMetadata(instance, path, sc(), Map.of());
        }
    }

    /** The reader of a stage that is its params only: constructed by its (String uid) constructor. */
    static final class ParamsReader<T extends Params> extends MLReader<T> {
        private final Class<T> type;

        ParamsReader(Class<T> type) {
            this.type = type;
        }

        @Override
        public T load(String path) {
            Loaded loaded = loadMetadata(path, sc(), type);
            T instance;
            try {
                instance = type.getConstructor(String.class).newInstance(loaded.metadata().uid());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(type.getName() + " needs a (String uid) constructor", e);
            }
            setParams(loaded, instance);
            return instance;
        }
    }
}
