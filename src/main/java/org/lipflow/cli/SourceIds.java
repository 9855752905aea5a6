package org.lipflow.cli;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.lipflow.engine.Particles;
import org.lipflow.engine.spark.SparkParticles;
import org.lipflow.flow.Block;
import org.lipflow.io.FileSystems;
import org.lipflow.io.IdColumn;
import org.lipflow.io.RowIds;
import org.lipflow.io.SparkTables;
import org.lipflow.io.Table;
import org.lipflow.io.Tables;

import java.io.IOException;
import java.util.List;

/**
 * The source's id column (source.id-column) on its way to the output: kept beside the flow, never
 * in it, and written as the first column of particles.* and latent-particles.* so each transported
 * row can be joined back to the source row it started from. In this JVM the ids are a column
 * aligned with the source rows (the in-process engine keeps row order); on Spark a side RDD
 * partitioned like the particles, matched by particle id when written.
 */
final class SourceIds implements AutoCloseable {
    final String column;
    private final IdColumn local;
    private final JavaRDD<RowIds> distributed;
    private final List<JavaRDD<?>> persisted;

    private SourceIds(String column, IdColumn local, JavaRDD<RowIds> distributed, List<JavaRDD<?>> persisted) {
        this.column = column;
        this.local = local;
        this.distributed = distributed;
        this.persisted = persisted;
    }

    /** Ids of a source held in this JVM, in its row order. */
    static SourceIds local(IdColumn ids) {
        return new SourceIds(ids.name(), ids, null, List.of());
    }

    /** Ids of a distributed source; {@code persisted} are released by {@link #close()}. */
    static SourceIds distributed(String column, JavaRDD<RowIds> ids, JavaRDD<?>... persisted) {
        return new SourceIds(column, null, ids, List.of(persisted));
    }

    /** Writes the particles as {@link Particles#write} does, with the id column first. */
    void write(Particles particles, String uri, String[] columns, String labelColumn, String format) throws IOException {
        if (particles instanceof SparkParticles s) {
            if (distributed == null) {
                throw new IllegalStateException("Spark particles with ids held in this JVM");
            }
            SparkTables.write(SparkSession.active(), s.blocks(), columns, s.labelled() ? labelColumn : null, format,
                    FileSystems.qualified(uri), column, distributed);
            return;
        }
        if (local == null) {
            throw new IllegalStateException("particles in this JVM with distributed ids");
        }
        Block b = particles.collect();
        if (b.rows != local.values().length) {
            throw new IllegalStateException(b.rows + " particles for " + local.values().length + " source ids");
        }
        IdColumn ids = b.ids == null ? local : local.select(b.ids); // ids, when present, are source row indices here
        Tables.write(uri, new Table(columns, b, b.labels == null ? null : labelColumn, null, ids), format);
    }

    @Override
    public void close() {
        if (distributed != null) {
            distributed.unpersist(false);
        }
        for (JavaRDD<?> r : persisted) {
            r.unpersist(false);
        }
    }
}
