package org.lipflow.io;

import org.lipflow.flow.Block;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * CSV tables (the dialect of {@link CsvFormat}): a file, or a directory of part files as Spark
 * writes them, with a header line, numeric feature columns and an optional integer label column.
 * Every bad value is reported with file, line and column; NaN and infinities are refused.
 */
public final class CsvTables {
    private CsvTables() {
    }

    public static Table read(String path, ReadOptions o) throws IOException {
        List<FileSystems.Part> files = FileSystems.parts(path);
        String[] first = firstLine(files, null);
        CsvFormat format = new CsvFormat(first == null ? path : first[0], first == null ? null : first[1], o);
        BlockBuffer rows = new BlockBuffer(format.dimension(), format.labelColumn() != null, format.idColumn() != null);
        for (FileSystems.Part f : files) {
            CsvFormat inFile = format.named(f.name());
            long[] line = {0};
            CsvFormat.Position at = () -> "line " + line[0];
            try (BufferedReader in = reader(f.location(), null)) {
                for (String s = in.readLine(); s != null; s = in.readLine()) {
                    line[0]++;
                    String cleaned = CsvFormat.clean(s);
                    if (!inFile.skip(cleaned)) {
                        inFile.parse(cleaned, rows, at);
                    }
                }
            }
        }
        if (rows.rows == 0) {
            throw new IllegalArgumentException(path + ": no data rows");
        }
        return new Table(format.featureNames(), rows.build(null), format.labelColumn(), null,
                format.idColumn() == null ? null : new IdColumn(format.idColumn(), rows.keys()));
    }

    /**
     * The header: the first line of the first file that has one, with that file's name; null when
     * every file is empty. Both engines take a table's columns from it (conf: Hadoop's, or null).
     */
    static String[] firstLine(List<FileSystems.Part> files, org.apache.hadoop.conf.Configuration conf) throws IOException {
        for (FileSystems.Part f : files) {
            try (BufferedReader in = reader(f.location(), conf)) {
                String line = in.readLine();
                if (line != null && !CsvFormat.clean(line).isBlank()) {
                    return new String[]{f.name(), line};
                }
            }
        }
        return null;
    }

    /** A file's text; compressed files (.gz, .bz2, ... by extension, as Spark's text reader sees them) decompressed. */
    private static BufferedReader reader(String file, org.apache.hadoop.conf.Configuration conf) throws IOException {
        java.io.InputStream in = FileSystems.open(file, conf);
        // Hadoop's codecs only for names that may need one: a plain local file is read without loading Hadoop
        boolean compressed = conf != null || !FileSystems.isLocal(file) || file.matches(".*\\.(gz|bz2|deflate|lz4|snappy|zst)$");
        org.apache.hadoop.io.compress.CompressionCodec codec = !compressed ? null
                : new org.apache.hadoop.io.compress.CompressionCodecFactory(conf != null ? conf : FileSystems.hadoopConf())
                        .getCodec(new org.apache.hadoop.fs.Path(file));
        return new BufferedReader(new InputStreamReader(codec == null ? in : codec.createInputStream(in), StandardCharsets.UTF_8),
                1 << 16);
    }

    /** Writes the table with a header (its id column first, when it has one); floats in their shortest round-trip form. */
    public static void write(String path, Table t) throws IOException {
        try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(FileSystems.create(path), StandardCharsets.UTF_8), 1 << 16)) {
            String[] ids = t.ids() == null ? null : t.ids().values();
            if (ids != null) {
                out.write(CsvFormat.field(t.ids().name()) + ",");
            }
            out.write(String.join(",", java.util.Arrays.stream(t.columns()).map(CsvFormat::field).toList()));
            if (t.labelColumn() != null) {
                out.write("," + CsvFormat.field(t.labelColumn()));
            }
            out.write('\n');
            Block b = t.block();
            StringBuilder sb = new StringBuilder(64);
            for (int r = 0; r < b.rows; r++) {
                sb.setLength(0);
                if (ids != null) {
                    sb.append(CsvFormat.value(ids[r])).append(',');
                }
                for (int k = 0; k < b.dimension; k++) {
                    if (k > 0) {
                        sb.append(',');
                    }
                    sb.append(b.x[r * b.dimension + k]);
                }
                if (b.labels != null) {
                    sb.append(',').append(b.labels[r]);
                }
                sb.append('\n');
                out.write(sb.toString());
            }
        }
    }
}
