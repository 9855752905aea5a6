package org.lipflow.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipflow.flow.Block;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Image grids: one row per class, up to ten images each, pixel values mapped by the target's range. */
class ImageGridsTest {
    @TempDir
    Path dir;

    @Test
    void oneGridRowPerClassPresentWithAtMostTenImages() {
        int[] labels = new int[25];
        for (int r = 0; r < 25; r++) {
            labels[r] = r < 12 ? 0 : 2; // class 0: 12 rows, class 1: none, class 2: 13 rows
        }
        int[][] grid = ImageGrids.layout(new Block(25, 1, new float[25], labels, null));
        assertEquals(2, grid.length);
        assertArrayEquals(new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, grid[0]);
        assertEquals(12, grid[1][0]);
        assertEquals(10, grid[1].length);
        assertEquals(3, ImageGrids.layout(new Block(25, 1, new float[25], null, null)).length);
    }

    @Test
    void writesTargetAndParticleGridsForImagesOnly() throws IOException {
        // two 2x2 images of classes 0 and 1: values 0..255, the first pixel of the first image black, of the second white
        Block target = new Block(2, 4, new float[]{0, 50, 100, 150, 255, 200, 128, 0}, new int[]{0, 1}, null);
        Table t = new Table(new String[]{"p1", "p2", "p3", "p4"}, target, "label", new int[]{2, 2, 1});
        ImageGrids.forRun(dir, t, target);
        BufferedImage img = ImageIO.read(dir.resolve("target-images.png").toFile());
        int cell = 2 * ImageGrids.ZOOM + ImageGrids.GAP;
        assertEquals(ImageGrids.GAP + cell, img.getWidth());
        assertEquals(ImageGrids.GAP + 2 * cell, img.getHeight());
        int g = ImageGrids.GAP;
        assertEquals(0x000000, img.getRGB(g, g) & 0xFFFFFF);
        assertEquals(0xFFFFFF, img.getRGB(g, g + cell) & 0xFFFFFF);
        assertEquals(0x969696, img.getRGB(g + ImageGrids.ZOOM, g + ImageGrids.ZOOM) & 0xFFFFFF, "150 of 0..255");
        assertEquals(true, Files.exists(dir.resolve("particles-images.png")));

        Path other = Files.createDirectory(dir.resolve("plain"));
        ImageGrids.forRun(other, new Table(new String[]{"a", "b", "c", "d"}, target, "label"), target);
        assertFalse(Files.exists(other.resolve("target-images.png")));
    }
}
