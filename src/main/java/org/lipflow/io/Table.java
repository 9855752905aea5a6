package org.lipflow.io;

import org.lipflow.flow.Block;

import java.util.Arrays;

/**
 * A numeric data set as read from or written to a file: feature column names, the dense block,
 * the name of the label column when the block has labels, and for images their shape
 * [height, width, channels] (row-major pixels, channels last), else null; and its row ids (an
 * {@link IdColumn} aligned with the block's rows), else null.
 */
public record Table(String[] columns, Block block, String labelColumn, int[] imageShape, IdColumn ids) {
    public Table {
        if (columns.length != block.dimension) {
            throw new IllegalArgumentException(columns.length + " column names for " + block.dimension + " columns");
        }
        if ((labelColumn == null) != (block.labels == null)) {
            throw new IllegalArgumentException("a label column name goes with labels");
        }
        if (imageShape != null && (imageShape.length != 3 || Arrays.stream(imageShape).asLongStream().reduce(1, (a, b) -> a * b)
                != block.dimension)) {
            throw new IllegalArgumentException("image shape " + Arrays.toString(imageShape) + " does not hold " + block.dimension
                    + " values per row");
        }
        if (ids != null && ids.values().length != block.rows) {
            throw new IllegalArgumentException(ids.values().length + " ids for " + block.rows + " rows");
        }
    }

    /** A table without row ids. */
    public Table(String[] columns, Block block, String labelColumn, int[] imageShape) {
        this(columns, block, labelColumn, imageShape, null);
    }

    /** A table that is not known to hold images. */
    public Table(String[] columns, Block block, String labelColumn) {
        this(columns, block, labelColumn, null);
    }

    /** The same data with another block (same columns, the same rows in the same order when there are ids). */
    public Table withBlock(Block b) {
        return new Table(columns, b, labelColumn, imageShape, ids);
    }

    /** The same table with row ids. */
    public Table withIds(IdColumn i) {
        return new Table(columns, block, labelColumn, imageShape, i);
    }

    /**
     * The image shape of pixel columns named p1..pD (the names the IDX reader gives) with D a
     * square: [s, s, 1]; null otherwise. So a CSV of 784 pixel columns plots like the IDX file.
     */
    public static int[] squarePixelShape(String[] columns) {
        int d = columns.length;
        int s = (int) Math.round(Math.sqrt(d));
        if (d < 4 || s * s != d) {
            return null;
        }
        for (int i = 0; i < d; i++) {
            if (!columns[i].equals("p" + (i + 1))) {
                return null;
            }
        }
        return new int[]{s, s, 1};
    }
}
