package org.lipflow.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.flow.Block;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshot plots drawn off the flow's thread: the same points, every file there at finish(), failures reported. */
class SnapshotPlotsTest {
    @TempDir
    Path dir;

    static Block block(int rows, int d) {
        float[] x = new float[rows * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        return new Block(rows, d, x, null, null);
    }

    @Test
    void theSampleHoldsTheRowsAndCoordinatesAPlotShows() {
        Block b = block(12_000, 5);
        Block s = SnapshotPlots.sample(b);
        assertEquals(Plots.MAX_POINTS, s.rows);
        assertEquals(3, s.dimension);
        double stride = b.rows / (double) Plots.MAX_POINTS;
        for (int i = 0; i < s.rows; i++) {
            int r = (int) (i * stride);
            for (int k = 0; k < 3; k++) {
                assertEquals(b.x[r * 5 + k], s.x[i * 3 + k], "row " + i + " coordinate " + k);
            }
        }
        Block small = SnapshotPlots.sample(block(7, 2));
        assertEquals(7, small.rows);
        assertEquals(2, small.dimension);
    }

    @Test
    void finishWaitsForEveryPlotAndLaterMovesDoNotChangeThem() throws IOException {
        Block target = block(50, 3), particles = block(40, 3);
        try (SnapshotPlots plots = new SnapshotPlots()) {
            plots.submit(dir, 0, target, particles);
            java.util.Arrays.fill(particles.x, Float.NaN); // the flow moves the block on
            plots.submit(dir, 10, target, particles);
            plots.finish();
        }
        for (String f : new String[]{"particles-step-000000.png", "particles-step-000000-x1x3.png", "particles-step-000010.png"}) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
    }

    @Test
    void aFailedPlotIsReportedAtFinish() {
        try (SnapshotPlots plots = new SnapshotPlots()) {
            plots.submit(dir.resolve("missing/dir"), 0, block(5, 2), block(5, 2));
            assertThrows(Exception.class, plots::finish);
        }
    }
}
