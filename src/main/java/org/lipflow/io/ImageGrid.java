package org.lipflow.io;

import org.lipflow.flow.Block;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A PNG grid of images: one grid row per block (e.g. inputs above their reconstructions), up to
 * {@code columns} images per row, each row of a block an image of shape [h, w, c] (c = 3: RGB;
 * otherwise the first channel in grey). Values map linearly from [lo, hi] to black..white, the same
 * range for every image, so rows compare.
 */
public final class ImageGrid {
    private static final int GAP = 2;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private ImageGrid() {
    }

    public static void write(Path file, List<Block> rows, int[] shape, int columns, double lo, double hi) throws IOException {
        int h = shape[0], w = shape[1], c = shape[2];
        int zoom = Math.max(1, 64 / Math.max(h, w));
        int n = Math.min(columns, rows.stream().mapToInt(b -> b.rows).max().orElse(0));
        BufferedImage img = new BufferedImage(Math.max(1, n * (w * zoom + GAP) + GAP), rows.size() * (h * zoom + GAP) + GAP,
                BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, 0x808080);
            }
        }
        double range = hi > lo ? hi - lo : 1;
        for (int g = 0; g < rows.size(); g++) {
            Block b = rows.get(g);
            for (int i = 0; i < Math.min(n, b.rows); i++) {
                int ox = GAP + i * (w * zoom + GAP), oy = GAP + g * (h * zoom + GAP);
                for (int py = 0; py < h; py++) {
                    for (int px = 0; px < w; px++) {
                        int base = i * b.dimension + (py * w + px) * c;
                        int rgb = c == 3 ? (level(b.x[base], lo, range) << 16) | (level(b.x[base + 1], lo, range) << 8)
                                | level(b.x[base + 2], lo, range) : 0x010101 * level(b.x[base], lo, range);
                        for (int zy = 0; zy < zoom; zy++) {
                            for (int zx = 0; zx < zoom; zx++) {
                                img.setRGB(ox + px * zoom + zx, oy + py * zoom + zy, rgb);
                            }
                        }
                    }
                }
            }
        }
        ImageIO.write(img, "png", file.toFile());
    }

    private static int level(float v, double lo, double range) {
        return (int) Math.round(255 * Math.min(1, Math.max(0, (v - lo) / range)));
    }
}
