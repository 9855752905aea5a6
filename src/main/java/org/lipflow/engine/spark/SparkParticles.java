package org.lipflow.engine.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.lipflow.engine.Particles;
import org.lipflow.flow.Block;
import org.lipflow.io.FileSystems;
import org.lipflow.io.SparkTables;

import java.util.ArrayList;
import java.util.List;

/**
 * The transported particles as the engine left them: a persisted RDD of blocks. Written by the
 * executors as part files; never gathered on the driver except by {@link #collect()}.
 *
 * @param blocks   the particles (persisted; {@link #close()} unpersists them)
 * @param labelled whether the particles carry labels (a conditional flow)
 */
public record SparkParticles(JavaRDD<Block> blocks, boolean labelled) implements Particles {

    @Override
    public void write(String uri, String[] columns, String labelColumn, String format) {
        SparkTables.write(SparkSession.active(), blocks, columns, labelled ? labelColumn : null, format,
                FileSystems.qualified(uri));
    }

    @Override
    public Block collect() {
        List<Block> parts = new ArrayList<>(blocks.collect());
        parts.sort((a, b) -> Long.compare(a.ids[0], b.ids[0]));
        return Blocks.concatCopy(parts.iterator());
    }

    @Override
    public void close() {
        blocks.unpersist(false);
    }
}
