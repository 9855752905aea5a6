package org.lipflow.io;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.lipflow.flow.Block;

import java.io.IOException;
import java.util.Arrays;

/**
 * Parquet tables of numeric columns (float, double, int32, int64) and an optional int label
 * column, read and written with parquet-hadoop directly: no Spark session is needed for the
 * in-process engine. A directory of part files (as Spark writes) is read as one table.
 */
public final class ParquetTables {
    private ParquetTables() {
    }

    public static Table read(String path, ReadOptions o) throws IOException {
        Configuration conf = FileSystems.hadoopConf();
        Rows rows = null;
        try {
            // part files in name order: the row order (and so particle ids) must not depend on how a file system lists them
            for (FileSystems.Part part : FileSystems.parts(path)) {
                try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), hadoopPath(part.location()))
                        .withConf(conf).build()) {
                    Group g = reader.read();
                    if (g == null) {
                        continue;
                    }
                    String[] names = g.getType().getFields().stream().map(Type::getName).toArray(String[]::new);
                    if (rows == null) {
                        rows = new Rows(path, names, g.getType(), o);
                    } else if (!Arrays.equals(names, rows.names)) {
                        throw new IllegalArgumentException(part.name() + ": columns " + Arrays.toString(names)
                                + " differ from the first part file's " + Arrays.toString(rows.names));
                    }
                    for (; g != null; g = reader.read()) {
                        rows.add(g);
                    }
                }
            }
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw e;
            }
            throw new IllegalArgumentException(path + ": not a readable Parquet file (" + e.getMessage() + ")");
        }
        if (rows == null || rows.buffer.rows == 0) {
            throw new IllegalArgumentException(path + ": no data rows");
        }
        Block b = rows.buffer.build(null);
        IdColumn ids = rows.sel.idIndex < 0 ? null : new IdColumn(rows.sel.header[rows.sel.idIndex], rows.buffer.keys());
        return new Table(rows.sel.featureNames, b, b.labels == null ? null : rows.sel.header[rows.sel.labelIndex], null, ids);
    }

    /** The selected columns of a table's records into a block, validating every value. */
    private static final class Rows {
        final String path;
        final String[] names;
        final ColumnSelection sel;
        final BlockBuffer buffer;

        Rows(String path, String[] names, org.apache.parquet.schema.GroupType type, ReadOptions o) {
            this.path = path;
            this.names = names;
            this.sel = new ColumnSelection(path, names, o);
            for (int c : sel.featureIndex) {
                checkNumeric(path, type.getType(c));
            }
            if (sel.labelIndex >= 0) {
                checkNumeric(path, type.getType(sel.labelIndex));
            }
            this.buffer = new BlockBuffer(sel.featureIndex.length, sel.labelIndex >= 0, sel.idIndex >= 0);
        }

        void add(Group g) {
            buffer.add();
            int r = buffer.rows - 1;
            int d = buffer.dimension;
            for (int k = 0; k < d; k++) {
                double v = value(g, sel.featureIndex[k], r);
                if (!Float.isFinite((float) v)) {
                    throw error(r, sel.featureIndex[k], "non-finite value " + v);
                }
                buffer.x[r * d + k] = (float) v;
            }
            if (buffer.labels != null) {
                double v = value(g, sel.labelIndex, r);
                if (!Labels.valid(v)) {
                    throw error(r, sel.labelIndex, Labels.rule(Double.toString(v)));
                }
                buffer.labels[r] = (int) v;
            }
            if (buffer.keys != null) {
                buffer.keys[r] = g.getFieldRepetitionCount(sel.idIndex) == 0 ? null : text(g, sel.idIndex);
            }
        }

        private double value(Group g, int c, int r) {
            if (g.getFieldRepetitionCount(c) == 0) {
                throw error(r, c, "missing value");
            }
            return ParquetTables.value(g, c);
        }

        private IllegalArgumentException error(int r, int c, String what) {
            return new IllegalArgumentException(path + " row " + (r + 1) + ", column " + sel.header[c] + ": " + what);
        }
    }

    /** Writes float feature columns and an int32 label column (after a UTF-8 id column, when the table has ids). */
    public static void write(String path, Table t) throws IOException {
        Types.MessageTypeBuilder schema = Types.buildMessage();
        String[] ids = t.ids() == null ? null : t.ids().values();
        if (ids != null) {
            schema.optional(PrimitiveTypeName.BINARY).as(org.apache.parquet.schema.LogicalTypeAnnotation.stringType())
                    .named(t.ids().name());
        }
        int first = ids == null ? 0 : 1;
        for (String c : t.columns()) {
            schema.required(PrimitiveTypeName.FLOAT).named(c);
        }
        if (t.labelColumn() != null) {
            schema.required(PrimitiveTypeName.INT32).named(t.labelColumn());
        }
        MessageType type = schema.named("particles");
        Block b = t.block();
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(hadoopPath(path)).withType(type)
                .withConf(FileSystems.hadoopConf()).withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
            org.apache.parquet.example.data.simple.SimpleGroupFactory f = new org.apache.parquet.example.data.simple.SimpleGroupFactory(type);
            for (int r = 0; r < b.rows; r++) {
                Group g = f.newGroup();
                if (ids != null && ids[r] != null) {
                    g.add(0, ids[r]);
                }
                for (int k = 0; k < b.dimension; k++) {
                    g.add(first + k, b.x[r * b.dimension + k]);
                }
                if (b.labels != null) {
                    g.add(first + b.dimension, b.labels[r]);
                }
                w.write(g);
            }
        }
        if (FileSystems.isLocal(path)) {
            // Hadoop's local file system leaves a .crc checksum beside the file; no reader needs it
            java.nio.file.Path p = java.nio.file.Path.of(path).toAbsolutePath();
            java.nio.file.Files.deleteIfExists(p.resolveSibling("." + p.getFileName() + ".crc"));
        }
    }

    private static Path hadoopPath(String path) {
        return FileSystems.isLocal(path) ? new Path(new java.io.File(path).getAbsoluteFile().toURI()) : new Path(path);
    }

    private static void checkNumeric(String path, Type t) {
        if (!t.isPrimitive() || t.isRepetition(Type.Repetition.REPEATED)) {
            throw new IllegalArgumentException(path + ": column '" + t.getName() + "' is not a numeric column");
        }
        PrimitiveTypeName n = ((PrimitiveType) t).getPrimitiveTypeName();
        if (n != PrimitiveTypeName.FLOAT && n != PrimitiveTypeName.DOUBLE && n != PrimitiveTypeName.INT32 && n != PrimitiveTypeName.INT64) {
            throw new IllegalArgumentException(path + ": column '" + t.getName() + "' has type " + n + ", expected a number");
        }
    }

    /** A column's value as text: an id (strings as they are, numbers in their decimal form). */
    private static String text(Group g, int c) {
        Type t = g.getType().getType(c);
        if (!t.isPrimitive()) {
            throw new IllegalArgumentException("id column '" + t.getName() + "' is not a primitive column");
        }
        switch (((PrimitiveType) t).getPrimitiveTypeName()) {
            case BINARY: case FIXED_LEN_BYTE_ARRAY: return g.getString(c, 0);
            case INT32: return Integer.toString(g.getInteger(c, 0));
            case INT64: return Long.toString(g.getLong(c, 0));
            case FLOAT: return Float.toString(g.getFloat(c, 0));
            case DOUBLE: return Double.toString(g.getDouble(c, 0));
            case BOOLEAN: return Boolean.toString(g.getBoolean(c, 0));
            default: return g.getValueToString(c, 0);
        }
    }

    private static double value(Group g, int c) {
        switch (((PrimitiveType) g.getType().getType(c)).getPrimitiveTypeName()) {
            case FLOAT: return g.getFloat(c, 0);
            case DOUBLE: return g.getDouble(c, 0);
            case INT32: return g.getInteger(c, 0);
            default: return g.getLong(c, 0);
        }
    }
}
