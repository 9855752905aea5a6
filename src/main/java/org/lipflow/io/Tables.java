package org.lipflow.io;

import java.io.IOException;

/** Reads and writes tables in the format their options or names ask for. */
public final class Tables {
    private Tables() {
    }

    public static Table read(String path, ReadOptions o) {
        try {
            return o.formatOf(path).equals("parquet") ? ParquetTables.read(path, o) : CsvTables.read(path, o);
        } catch (IOException e) {
            throw new IllegalArgumentException(path + ": cannot read (" + e.getMessage() + ")");
        }
    }

    public static void write(String path, Table t, String format) throws IOException {
        if (format.equals("parquet")) {
            ParquetTables.write(path, t);
        } else {
            CsvTables.write(path, t);
        }
    }
}
