package org.lipflow.io;

import org.lipflow.flow.Block;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * PNG grids of images (rows of a block with an image shape [h, w, c], channels last, c = 1
 * grayscale or 3 RGB): one grid row per class, up to {@link #PER_ROW} images each, in class
 * order; unlabelled rows fill up to {@link #PER_ROW} grid rows. Pixel values map linearly from
 * [lo, hi] to black..white (clipped), one range for target and particles so the grids compare.
 */
public final class ImageGrids {
    public static final int PER_ROW = 10;
    static final int ZOOM = 2, GAP = 2;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private ImageGrids() {
    }

    /**
     * The grids of a run: {@code target-images.png}, and {@code particles-images.png} when
     * particles (the final snapshot) are given; nothing when the target has no image shape.
     */
    public static void forRun(Path dir, Table target, Block particles) throws IOException {
        int[] shape = target.imageShape();
        if (shape == null || (shape[2] != 1 && shape[2] != 3)) {
            return;
        }
        float[] range = range(target.block());
        write(dir.resolve("target-images.png"), target.block(), shape, range[0], range[1]);
        if (particles != null) {
            write(dir.resolve("particles-images.png"), particles, shape, range[0], range[1]);
        }
    }

    /** The smallest and largest value of a block (0..1 when it is constant). */
    static float[] range(Block b) {
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (float v : b.x) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return hi > lo ? new float[]{lo, hi} : new float[]{lo, lo + 1};
    }

    /** Writes the grid of {@code b}'s rows as a PNG. */
    public static void write(Path file, Block b, int[] shape, float lo, float hi) throws IOException {
        int[][] grid = layout(b);
        int h = shape[0], w = shape[1], c = shape[2];
        int cols = Arrays.stream(grid).mapToInt(r -> r.length).max().orElse(0);
        int cellW = w * ZOOM + GAP, cellH = h * ZOOM + GAP;
        BufferedImage img = new BufferedImage(Math.max(1, cols * cellW + GAP), Math.max(1, grid.length * cellH + GAP),
                BufferedImage.TYPE_INT_RGB);
        int background = 0x3050A0; // blue gaps: distinct from black and white pixels
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, background);
            }
        }
        float span = hi - lo;
        for (int gr = 0; gr < grid.length; gr++) {
            for (int gc = 0; gc < grid[gr].length; gc++) {
                int base = grid[gr][gc] * b.dimension;
                for (int py = 0; py < h; py++) {
                    for (int px = 0; px < w; px++) {
                        int at = base + (py * w + px) * c;
                        int rgb = c == 1 ? gray(level(b.x[at], lo, span)) : (level(b.x[at], lo, span) << 16)
                                | (level(b.x[at + 1], lo, span) << 8) | level(b.x[at + 2], lo, span);
                        for (int zy = 0; zy < ZOOM; zy++) {
                            for (int zx = 0; zx < ZOOM; zx++) {
                                img.setRGB(GAP + gc * cellW + px * ZOOM + zx, GAP + gr * cellH + py * ZOOM + zy, rgb);
                            }
                        }
                    }
                }
            }
        }
        ImageIO.write(img, "png", file.toFile());
    }

    /** Row indices per grid row: the first PER_ROW rows of each class present, or rows in order when unlabelled. */
    static int[][] layout(Block b) {
        if (b.labels == null) {
            int shown = Math.min(b.rows, PER_ROW * PER_ROW);
            int[][] grid = new int[(shown + PER_ROW - 1) / PER_ROW][];
            for (int g = 0; g < grid.length; g++) {
                grid[g] = java.util.stream.IntStream.range(g * PER_ROW, Math.min(shown, (g + 1) * PER_ROW)).toArray();
            }
            return grid;
        }
        int classes = Arrays.stream(b.labels).max().orElse(-1) + 1;
        int[][] byClass = new int[classes][PER_ROW];
        int[] n = new int[classes];
        for (int r = 0; r < b.rows; r++) {
            int k = b.labels[r];
            if (n[k] < PER_ROW) {
                byClass[k][n[k]++] = r;
            }
        }
        return java.util.stream.IntStream.range(0, classes).filter(k -> n[k] > 0).mapToObj(k -> Arrays.copyOf(byClass[k], n[k]))
                .toArray(int[][]::new);
    }

    private static int level(float v, float lo, float span) {
        float t = (v - lo) / span;
        return t >= 1 ? 255 : t <= 0 || Float.isNaN(t) ? 0 : Math.round(t * 255);
    }

    private static int gray(int g) {
        return (g << 16) | (g << 8) | g;
    }
}
