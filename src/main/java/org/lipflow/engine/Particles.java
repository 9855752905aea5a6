package org.lipflow.engine;

import org.lipflow.flow.Block;
import org.lipflow.io.Table;
import org.lipflow.io.Tables;

import java.io.IOException;

/**
 * The transported particles wherever the engine left them, written through one interface: the
 * caller names columns, format and URI and need not know whether they are in this JVM or spread
 * over executors. Close releases distributed particles.
 */
public interface Particles extends AutoCloseable {

    /**
     * Writes the particles as a table.
     *
     * @param uri         the particles file (local path or any Hadoop URI)
     * @param columns     feature column names
     * @param labelColumn label column name for conditional flows, else null
     * @param format      parquet or csv
     */
    void write(String uri, String[] columns, String labelColumn, String format) throws IOException;

    /** All particles gathered in this JVM (tests, small runs), in id order. */
    Block collect();

    @Override
    default void close() {
    }

    static Particles of(Block block) {
        return new Local(block);
    }

    /** Particles held in this JVM. */
    record Local(Block block) implements Particles {
        @Override
        public void write(String uri, String[] columns, String labelColumn, String format) throws IOException {
            Tables.write(uri, new Table(columns, block, block.labels == null ? null : labelColumn), format);
        }

        @Override
        public Block collect() {
            return block;
        }
    }
}
