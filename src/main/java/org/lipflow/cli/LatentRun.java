package org.lipflow.cli;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.lipflow.engine.ParticleSource;
import org.lipflow.engine.Particles;
import org.lipflow.engine.TargetSamples;
import org.lipflow.engine.spark.SparkParticles;
import org.lipflow.engine.spark.SparkSource;
import org.lipflow.engine.spark.SparkTarget;
import org.lipflow.flow.Block;
import org.lipflow.io.FileSystems;
import org.lipflow.io.Table;
import org.lipflow.latent.LatentModel;
import org.lipflow.latent.LatentModels;
import org.lipflow.latent.ModelDescriptor;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The latent mode of {@code run} (latent.model set): the target and a source file go through the
 * model's encoder before the flow, the flow's particles through its decoder after it, so the
 * engines and the math kernel run an ordinary flow in k dimensions and never see the model.
 * Data held in this JVM are encoded here; distributed data (a co-partitioned target, a source
 * read by Spark, the Spark engine's particles) are encoded and decoded on the executors, one map
 * over the blocks with the model broadcast.
 */
final class LatentRun implements AutoCloseable {
    final String dir;
    final LatentModel model;
    private final String descriptorSha256;
    private final Broadcast<LatentModel> broadcast;

    private LatentRun(String dir, LatentModel model, String descriptorSha256, Broadcast<LatentModel> broadcast) {
        this.dir = dir;
        this.model = model;
        this.descriptorSha256 = descriptorSha256;
        this.broadcast = broadcast;
    }

    /** Loads the model; with a Spark context, broadcasts it for the executors. */
    static LatentRun open(String dir, JavaSparkContext sc) throws IOException {
        LatentModel model = LatentModels.load(dir);
        String sha = FileSystems.sha256(LatentModels.descriptorFile(dir));
        return new LatentRun(dir, model, sha, sc == null ? null : sc.broadcast(model));
    }

    /** z1..zk: the latent particles' columns. */
    String[] latentColumns() {
        return IntStream.rangeClosed(1, model.latentDimension()).mapToObj(i -> "z" + i).toArray(String[]::new);
    }

    /** The data's feature columns must be the model's, in order: else a one-line error naming both. */
    void checkColumns(String what, String[] columns) {
        List<String> expected = model.descriptor().columns();
        if (columns.length != expected.size()) {
            throw new IllegalArgumentException("latent.model " + dir + " was fitted on " + expected.size() + " feature columns ("
                    + sketch(expected) + "), " + what + " has " + columns.length + " (" + sketch(Arrays.asList(columns)) + ")");
        }
        for (int i = 0; i < columns.length; i++) {
            if (!columns[i].equals(expected.get(i))) {
                throw new IllegalArgumentException("latent.model " + dir + " expects feature column " + (i + 1) + " to be '"
                        + expected.get(i) + "', " + what + " has '" + columns[i] + "'");
            }
        }
    }

    /** Distributed data whose column names are not at hand: the dimension must be the model's. */
    void checkDimension(String what, int dimension) {
        if (dimension != model.dataDimension()) {
            throw new IllegalArgumentException("latent.model " + dir + " was fitted on " + model.dataDimension()
                    + " feature columns, " + what + " has " + dimension);
        }
    }

    private static String sketch(List<String> c) {
        return c.size() <= 4 ? String.join(", ", c) : c.get(0) + ", " + c.get(1) + ", ..., " + c.get(c.size() - 1);
    }

    /** A table in this JVM, encoded; its label column is kept. */
    Table encode(Table t) {
        return new Table(latentColumns(), model.encode(t.block()), t.labelColumn());
    }

    /** The target's samples in latent space: encoded here, or on the executors for a co-partitioned target. */
    TargetSamples encode(TargetSamples samples, Table encodedTable) {
        if (samples instanceof SparkTarget s) {
            Broadcast<LatentModel> m = requireBroadcast();
            return new SparkTarget(s.shards().map(b -> m.value().encode(b)), model.latentDimension(), s.rows(),
                    s.classCounts());
        }
        if (samples.local() == null) {
            throw new IllegalStateException("a distributed target of type " + samples.getClass().getSimpleName());
        }
        return TargetSamples.of(encodedTable.block());
    }

    /** A source read by Spark, encoded on the executors. */
    ParticleSource encode(SparkSource source, String what) {
        checkDimension(what, source.dimension());
        Broadcast<LatentModel> m = requireBroadcast();
        JavaRDD<Block> blocks = source.blocks().map(b -> m.value().encode(b));
        return new SparkSource(blocks, model.latentDimension());
    }

    /** The flow's particles in data space: decoded here, or on the executors in one map over the persisted blocks. */
    /** A block of latent rows decoded on the driver (a snapshot sample). */
    Block decode(Block latent) {
        return model.decode(latent);
    }

    Particles decode(Particles latent) {
        if (latent instanceof SparkParticles s) {
            Broadcast<LatentModel> m = requireBroadcast();
            return new SparkParticles(s.blocks().map(b -> m.value().decode(b)), s.labelled());
        }
        return Particles.of(model.decode(latent.collect()));
    }

    /** The decoder as the quality monitors apply it to their measured particles: on the executors through the broadcast model. */
    org.lipflow.monitor.QualityMonitor.ToData decoder() {
        if (broadcast == null) {
            LatentModel m = model;
            return m::decode;
        }
        Broadcast<LatentModel> m = broadcast;
        return b -> m.value().decode(b);
    }

    private Broadcast<LatentModel> requireBroadcast() {
        if (broadcast == null) {
            throw new IllegalStateException("distributed data in a latent run without a Spark context");
        }
        return broadcast;
    }

    /** The manifest's entry: the model directory, its descriptor's hash and what it says. */
    Map<String, Object> describe(String format) {
        ModelDescriptor d = model.descriptor();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", dir);
        m.put("descriptor_sha256", descriptorSha256);
        m.put("type", d.type());
        m.put("latent_dimension", d.latentDimension());
        m.put("data_fingerprint", d.dataFingerprint());
        m.put("training_rows", d.trainingRows());
        m.put("latent_particles_file", "latent-particles." + format);
        return m;
    }

    @Override
    public void close() {
        if (broadcast != null) {
            broadcast.destroy(false);
        }
    }
}
