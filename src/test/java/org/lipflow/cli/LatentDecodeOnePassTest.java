package org.lipflow.cli;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.engine.Particles;
import org.lipflow.engine.spark.SparkParticles;
import org.lipflow.engine.spark.SparkTestSession;
import org.lipflow.flow.Block;
import org.lipflow.io.ReadOptions;
import org.lipflow.io.Table;
import org.lipflow.io.Tables;
import org.lipflow.latent.ModelWriter;
import org.lipflow.latent.PcaModel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Decoding the Spark engine's latent particles is one pass: writing the decoded particles is one
 * Spark job of one stage (the decoder maps each persisted block on its executor, the writer
 * consumes the rows), with or without the source's id side column.
 */
@Tag("spark")
class LatentDecodeOnePassTest {
    @TempDir
    Path dir;

    @Test
    void writingDecodedSparkParticlesIsOneJobOfOneStage() throws Exception {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSession.get("local[2]").sparkContext());
        int d = 12, k = 3, rows = 4_000;
        Random g = new Random(1);
        float[] x = new float[rows * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) g.nextGaussian();
        }
        String[] columns = new String[d];
        for (int c = 0; c < d; c++) {
            columns[c] = "g" + (c + 1);
        }
        Path model = dir.resolve("pca");
        ModelWriter.write(PcaModel.fit(new Table(columns, new Block(rows, d, x, null, null), null), k, "test"), model.toString(),
                false, List.of(), null, Map.of());
        List<Block> latent = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            float[] z = new float[1000 * k];
            long[] ids = new long[1000];
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) g.nextGaussian();
            }
            for (int i = 0; i < ids.length; i++) {
                ids[i] = ((long) p << 40) + i;
            }
            latent.add(new Block(1000, k, z, null, ids));
        }
        JavaRDD<Block> blocks = sc.parallelize(latent, 4).persist(StorageLevel.MEMORY_AND_DISK());
        blocks.count(); // the flow's particles are persisted and materialised when they are written
        AtomicInteger jobs = new AtomicInteger(), stages = new AtomicInteger();
        SparkListener counter = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart e) {
                jobs.incrementAndGet();
            }

            @Override
            public void onStageSubmitted(SparkListenerStageSubmitted e) {
                stages.incrementAndGet();
            }
        };
        sc.sc().addSparkListener(counter);
        try (LatentRun run = LatentRun.open(model.toString(), sc)) {
            Particles decoded = run.decode(new SparkParticles(blocks, false));
            decoded.write(dir.resolve("particles.parquet").toString(), columns, null, "parquet");
            sc.sc().listenerBus().waitUntilEmpty();
            assertEquals(1, jobs.get(), "jobs to decode and write");
            assertEquals(1, stages.get(), "stages to decode and write");
        } finally {
            sc.sc().removeSparkListener(counter);
            blocks.unpersist(false);
        }
        Table back = Tables.read(dir.resolve("particles.parquet").toString(), ReadOptions.defaults());
        assertEquals(4_000, back.block().rows);
        assertEquals(d, back.block().dimension);
    }
}
