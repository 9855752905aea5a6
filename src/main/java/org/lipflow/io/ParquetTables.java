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

/**
 * Parquet tables of numeric columns (float, double, int32, int64) and an optional int label
 * column, read and written with parquet-hadoop directly: no Spark session is needed for the
 * in-process engine. A directory of part files (as Spark writes) is read as one table.
 */
public final class ParquetTables {
    private ParquetTables() {
    }

    public static Table read(String path, ReadOptions o) throws IOException {
        Path p = hadoopPath(path);
        Configuration conf = new Configuration();
        if (!p.getFileSystem(conf).exists(p)) {
            throw new IllegalArgumentException(path + ": file not found");
        }
        BlockBuffer rows = null;
        ColumnSelection sel = null;
        String[] header = null;
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), p).withConf(conf).build()) {
            for (Group g = reader.read(); g != null; g = reader.read()) {
                if (sel == null) {
                    sel = new ColumnSelection(path, g.getType().getFields().stream().map(Type::getName).toArray(String[]::new), o);
                    header = sel.header;
                    for (int c : sel.featureIndex) {
                        checkNumeric(path, g.getType().getType(c));
                    }
                    if (sel.labelIndex >= 0) {
                        checkNumeric(path, g.getType().getType(sel.labelIndex));
                    }
                    rows = new BlockBuffer(sel.featureIndex.length, sel.labelIndex >= 0);
                }
                rows.add();
                int r = rows.rows - 1;
                int d = rows.dimension;
                for (int k = 0; k < d; k++) {
                    int c = sel.featureIndex[k];
                    if (g.getFieldRepetitionCount(c) == 0) {
                        throw new IllegalArgumentException(path + " row " + (r + 1) + ", column " + header[c] + ": missing value");
                    }
                    double v = value(g, c);
                    if (!Float.isFinite((float) v)) {
                        throw new IllegalArgumentException(path + " row " + (r + 1) + ", column " + header[c] + ": non-finite value " + v);
                    }
                    rows.x[r * d + k] = (float) v;
                }
                if (rows.labels != null) {
                    if (g.getFieldRepetitionCount(sel.labelIndex) == 0) {
                        throw new IllegalArgumentException(path + " row " + (r + 1) + ", column " + header[sel.labelIndex]
                                + ": missing value");
                    }
                    double v = value(g, sel.labelIndex);
                    if (!Labels.valid(v)) {
                        throw new IllegalArgumentException(path + " row " + (r + 1) + ", column " + header[sel.labelIndex]
                                + ": " + Labels.rule(Double.toString(v)));
                    }
                    rows.labels[r] = (int) v;
                }
            }
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw e;
            }
            throw new IllegalArgumentException(path + ": not a readable Parquet file (" + e.getMessage() + ")");
        }
        if (rows == null || rows.rows == 0) {
            throw new IllegalArgumentException(path + ": no data rows");
        }
        Block b = rows.build(null);
        return new Table(sel.featureNames, b, b.labels == null ? null : header[sel.labelIndex]);
    }

    /** Writes float feature columns and an int32 label column. */
    public static void write(String path, Table t) throws IOException {
        Types.MessageTypeBuilder schema = Types.buildMessage();
        for (String c : t.columns()) {
            schema.required(PrimitiveTypeName.FLOAT).named(c);
        }
        if (t.labelColumn() != null) {
            schema.required(PrimitiveTypeName.INT32).named(t.labelColumn());
        }
        MessageType type = schema.named("particles");
        Block b = t.block();
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(hadoopPath(path)).withType(type)
                .withConf(new Configuration()).withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
            org.apache.parquet.example.data.simple.SimpleGroupFactory f = new org.apache.parquet.example.data.simple.SimpleGroupFactory(type);
            for (int r = 0; r < b.rows; r++) {
                Group g = f.newGroup();
                for (int k = 0; k < b.dimension; k++) {
                    g.add(k, b.x[r * b.dimension + k]);
                }
                if (b.labels != null) {
                    g.add(b.dimension, b.labels[r]);
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

    private static double value(Group g, int c) {
        switch (((PrimitiveType) g.getType().getType(c)).getPrimitiveTypeName()) {
            case FLOAT: return g.getFloat(c, 0);
            case DOUBLE: return g.getDouble(c, 0);
            case INT32: return g.getInteger(c, 0);
            default: return g.getLong(c, 0);
        }
    }
}
