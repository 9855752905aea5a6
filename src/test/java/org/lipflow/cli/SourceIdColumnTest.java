package org.lipflow.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.engine.spark.SparkTestSession;
import org.lipflow.io.ReadOptions;
import org.lipflow.io.Table;
import org.lipflow.io.Tables;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * source.id-column: the source's row ids (text) come out as the first column of the particles, each
 * with the row that started from it. With a tiny Lipschitz bound particles move at most L·Δt per
 * step, so every written row must still be its source row: a wrong join shows as a far-off row.
 */
class SourceIdColumnTest {
    static final int M = 120;

    @TempDir
    Path dir;

    /** A target and a labelled source with ids "cell-<n>" in shuffled order; returns the source. */
    Path inputs(String idHeader, String... badIds) throws IOException {
        Random g = new Random(5);
        StringBuilder t = new StringBuilder("x1,x2,x3,label\n"), s = new StringBuilder(idHeader + ",x1,x2,x3,label\n");
        for (int r = 0; r < 100; r++) {
            t.append(g.nextGaussian()).append(',').append(g.nextGaussian()).append(',').append(g.nextGaussian()).append(',')
                    .append(r % 2).append('\n');
        }
        for (int r = 0; r < M; r++) {
            String id = r < badIds.length ? badIds[r] : "cell-" + (1000 - 7 * r);
            s.append(id).append(',').append(5 + g.nextGaussian()).append(',').append(g.nextGaussian()).append(',')
                    .append(r).append(',').append(r % 2).append('\n'); // x3 = the row number: a row's fingerprint
        }
        Files.writeString(dir.resolve("target.csv"), t);
        Files.writeString(dir.resolve("source.csv"), s);
        return dir.resolve("source.csv");
    }

    CliTest.Result run(Path out, String... extra) {
        String[] base = {"run", "--quiet", "--target", dir.resolve("target.csv").toString(), "--source",
            dir.resolve("source.csv").toString(), "--out", out.toString(), "--steps", "5", "--set", "divergence.lipschitz=0.001"};
        String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return CliTest.lipflow(all);
    }

    /** Every written row has its own source row's id, features (within the distance the flow can move) and label. */
    static void assertJoinedBack(Path source, String particles) {
        Table s = Tables.read(source.toString(), ReadOptions.defaults());
        Table p = Tables.read(particles, ReadOptions.defaults());
        assertNotNull(p.ids(), "the particles have the id column");
        assertEquals("id", p.ids().name());
        assertEquals(M, p.block().rows);
        Map<String, Integer> row = new HashMap<>();
        for (int r = 0; r < M; r++) {
            row.put(s.ids().values()[r], r);
        }
        for (int i = 0; i < M; i++) {
            Integer r = row.get(p.ids().values()[i]);
            assertNotNull(r, "an id of the source: " + p.ids().values()[i]);
            for (int k = 0; k < 3; k++) {
                assertEquals(s.block().x[r * 3 + k], p.block().x[i * 3 + k], 0.01, "row of id " + p.ids().values()[i]);
            }
            assertEquals(s.block().labels[r], p.block().labels[i]);
        }
    }

    @Test
    void theSourceIdsComeOutWithTheirRowsInProcessAsCsvAndParquet() throws IOException {
        Path source = inputs("id");
        CliTest.Result r = run(dir.resolve("csv"), "--format", "csv");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(dir.resolve("csv/particles.csv")).startsWith("id,x1,x2,x3,label\ncell-1000,"));
        assertJoinedBack(source, dir.resolve("csv/particles.csv").toString());
        r = run(dir.resolve("pq"), "--format", "parquet");
        assertEquals(0, r.code(), r.err());
        assertJoinedBack(source, dir.resolve("pq/particles.parquet").toString());
        assertTrue(Files.readString(dir.resolve("pq/manifest.json")).contains("\"id_column\""));
    }

    @Test
    void anExplicitIdColumnThatIsMissingDuplicatedOrEmptyIsAOneLineError() throws IOException {
        inputs("name");
        CliTest.Result r = run(dir.resolve("o1"), "--set", "source.id-column=id");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("id column 'id' (id-column) not found"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        CliTest.assertNothingWritten(dir.resolve("o1"));

        inputs("id", "a", "b", "a");
        r = run(dir.resolve("o2"), "--set", "source.id-column=id");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("rows 1 and 3, column id: duplicate id 'a'"), r.err());
        CliTest.assertNothingWritten(dir.resolve("o2"));

        inputs("id", "a", "\"\"");
        r = run(dir.resolve("o3"), "--set", "source.id-column=id");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("row 2, column id: missing id"), r.err());
        CliTest.assertNothingWritten(dir.resolve("o3"));

        // left at its default the id column is used as it is: a duplicate is carried, not refused
        inputs("id", "a", "b", "a");
        assertEquals(0, run(dir.resolve("o4"), "--format", "csv").code());
    }

    @Test
    @Tag("spark")
    void onTheSparkEngineTheIdsComeOutWithTheirRowsFromSparkReadAndDriverReadSources() throws IOException {
        SparkTestSession.get("local[2]");
        Path source = inputs("id");
        CliTest.Result r = run(dir.resolve("spark"), "--format", "csv", "--engine", "spark", "--partitions", "3");
        assertEquals(0, r.code(), r.err());
        assertJoinedBack(source, dir.resolve("spark/particles.csv").toString());
        // scale = 1 read on the driver and cut into slices: the same join
        r = run(dir.resolve("driver"), "--format", "parquet", "--engine", "spark", "--partitions", "3", "--set",
                "source.scale=1.0000001", "--set", "source.id-column=id");
        assertEquals(0, r.code(), r.err());
        assertJoinedBack(source, dir.resolve("driver/particles.parquet").toString());
        inputs("id", "a", "b", "a");
        r = run(dir.resolve("dup"), "--engine", "spark", "--partitions", "3", "--set", "source.id-column=id");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("duplicate id 'a'"), r.err());
        CliTest.assertNothingWritten(dir.resolve("dup"));
    }
}
