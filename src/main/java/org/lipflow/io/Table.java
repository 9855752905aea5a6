package org.lipflow.io;

import org.lipflow.flow.Block;

/**
 * A numeric data set as read from or written to a file: feature column names, the dense block,
 * and the name of the label column when the block has labels.
 */
public record Table(String[] columns, Block block, String labelColumn) {
    public Table {
        if (columns.length != block.dimension) {
            throw new IllegalArgumentException(columns.length + " column names for " + block.dimension + " columns");
        }
        if ((labelColumn == null) != (block.labels == null)) {
            throw new IllegalArgumentException("a label column name goes with labels");
        }
    }
}
