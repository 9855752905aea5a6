package org.lipflow.io;

import org.lipflow.flow.Block;

import java.io.IOException;

/** Reads and writes tables in the format their options or names ask for. */
public final class Tables {
    private Tables() {
    }

    /**
     * Reads a table, then keeps {@code o.perClass()} rows per class and multiplies every feature by
     * {@code o.scale()}. Pixel columns p1..pD with D square are taken as a grayscale image shape.
     */
    public static Table read(String path, ReadOptions o) {
        Table t;
        try {
            t = switch (o.formatOf(path)) {
                case "parquet" -> ParquetTables.read(path, o);
                case "idx" -> IdxFiles.read(path, o);
                default -> CsvTables.read(path, o);
            };
        } catch (IOException e) {
            throw new IllegalArgumentException(path + ": cannot read (" + e.getMessage() + ")");
        }
        Block b = t.block();
        IdColumn ids = t.ids();
        if (ids != null && o.idRequired()) {
            ids.requireUnique(path);
        }
        if (o.perClass() > 0) {
            if (ids != null) { // the draw reorders rows: row indices as block ids say which id each kept row has
                long[] index = new long[b.rows];
                java.util.Arrays.setAll(index, i -> i);
                b = new Block(b.rows, b.dimension, b.x, b.labels, index);
            }
            b = ClassBalancedSubset.draw(b, o.perClass(), o.sampleSeed(), path);
            if (ids != null) {
                ids = ids.select(b.ids);
                b = new Block(b.rows, b.dimension, b.x, b.labels, null);
            }
        }
        b = ClassBalancedSubset.scaled(b, o.scale());
        int[] shape = t.imageShape() != null ? t.imageShape() : Table.squarePixelShape(t.columns());
        return new Table(t.columns(), b, t.labelColumn(), shape, ids);
    }

    public static void write(String path, Table t, String format) throws IOException {
        if (format.equals("parquet")) {
            ParquetTables.write(path, t);
        } else {
            CsvTables.write(path, t);
        }
    }
}
