package org.lipflow.io;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.lipflow.flow.Block;
import org.lipflow.flow.StepMetrics;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * PNG plots of a run: target vs particles at a given step (2-D; 3-D as two projections), and
 * the divergence and kinetic-energy curves. At most {@link #MAX_POINTS} points per series.
 */
public final class Plots {
    public static final int MAX_POINTS = 5000;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {
    }

    /** Scatter of coordinates (a, b) of target and particles; file name says the step. */
    public static void scatter(Path file, String title, Block target, Block particles, int a, int b) throws IOException {
        XYChart chart = new XYChartBuilder().width(640).height(600).title(title)
                .xAxisTitle("x" + (a + 1)).yAxisTitle("x" + (b + 1)).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        addPoints(chart, "target", target, a, b, new Color(0, 0, 0, 110));
        addPoints(chart, "particles", particles, a, b, new Color(220, 40, 40, 160));
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * Data integration: a reference sample and another batch (a source before the flow, or where
     * the flow moved it) in coordinates (a, b): colour by batch, marker by label (circle, diamond,
     * triangle, square, cross; unlabelled rows are circles).
     */
    public static void batches(Path file, String title, Block reference, String otherName, Block other, int a, int b)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(640).height(600).title(title)
                .xAxisTitle("x" + (a + 1)).yAxisTitle("x" + (b + 1)).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(6);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        addByLabel(chart, "reference", reference, a, b, new Color(30, 90, 200, 150));
        addByLabel(chart, otherName, other, a, b, new Color(220, 60, 30, 150));
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void addByLabel(XYChart chart, String name, Block blk, int a, int b, Color color) {
        org.knowm.xchart.style.markers.Marker[] markers = {SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP,
            SeriesMarkers.SQUARE, SeriesMarkers.CROSS};
        int classes = blk.labels == null ? 1 : java.util.Arrays.stream(blk.labels).max().orElse(0) + 1;
        for (int c = 0; c < classes; c++) {
            int n = 0;
            for (int r = 0; r < blk.rows; r++) {
                n += blk.labels == null || blk.labels[r] == c ? 1 : 0;
            }
            if (n == 0) {
                continue;
            }
            int stride = Math.max(1, n / MAX_POINTS), m = 0;
            double[] xs = new double[(n + stride - 1) / stride], ys = new double[xs.length];
            for (int r = 0, seen = 0; r < blk.rows && m < xs.length; r++) {
                if ((blk.labels == null || blk.labels[r] == c) && seen++ % stride == 0) {
                    xs[m] = blk.x[r * blk.dimension + a];
                    ys[m++] = blk.x[r * blk.dimension + b];
                }
            }
            XYSeries s = chart.addSeries(blk.labels == null ? name : name + ", label " + c,
                    java.util.Arrays.copyOf(xs, m), java.util.Arrays.copyOf(ys, m));
            s.setMarkerColor(color);
            s.setMarker(markers[c % markers.length]);
        }
    }

    /** The scatter plots of a snapshot: one for 2-D, two projections (x1,x2), (x1,x3) for d ≥ 3. */
    public static void snapshot(Path dir, int step, Block target, Block particles) throws IOException {
        if (particles.dimension < 2) {
            return;
        }
        String name = String.format("particles-step-%06d", step);
        scatter(dir.resolve(name + ".png"), "step " + step, target, particles, 0, 1);
        if (particles.dimension >= 3) {
            scatter(dir.resolve(name + "-x1x3.png"), "step " + step + " (x1, x3)", target, particles, 0, 2);
        }
    }

    /** divergence.png and kinetic-energy.png against the step. */
    public static void curves(Path dir, List<StepMetrics> metrics) throws IOException {
        int n = metrics.size();
        double[] step = new double[n], h = new double[n], ke = new double[n];
        for (int i = 0; i < n; i++) {
            StepMetrics m = metrics.get(i);
            step[i] = m.step();
            h[i] = m.divergence();
            ke[i] = Math.max(m.kineticEnergy(), 1e-300);
        }
        line(dir.resolve("divergence.png"), "divergence estimate H", "H", step, h, false);
        line(dir.resolve("kinetic-energy.png"), "kinetic energy (1/2M) sum |v|^2", "KE", step, ke, true);
    }

    /**
     * monitors.png: one panel per quality monitor (name → value per monitored step), stacked, each
     * against the step; points marked, since monitored steps are few.
     */
    public static void monitors(Path file, double[] steps, Map<String, double[]> series) throws IOException {
        int width = 720, height = 260;
        java.awt.image.BufferedImage all = new java.awt.image.BufferedImage(width, height * Math.max(1, series.size()),
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = all.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, all.getWidth(), all.getHeight());
        int row = 0;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            XYChart chart = new XYChartBuilder().width(width).height(height).title(e.getKey() + " vs the reference")
                    .xAxisTitle("step").yAxisTitle(e.getKey()).build();
            chart.getStyler().setLegendVisible(false);
            chart.getStyler().setChartBackgroundColor(Color.WHITE);
            chart.addSeries(e.getKey(), steps, e.getValue()).setMarker(SeriesMarkers.CIRCLE);
            g.drawImage(BitmapEncoder.getBufferedImage(chart), 0, height * row++, null);
        }
        g.dispose();
        javax.imageio.ImageIO.write(all, "png", file.toFile());
    }

    /** loss.png: an autoencoder's mean reconstruction loss per epoch. */
    public static void loss(Path dir, List<Double> losses) throws IOException {
        int n = losses.size();
        double[] epoch = new double[n], loss = new double[n];
        for (int i = 0; i < n; i++) {
            epoch[i] = i + 1;
            loss[i] = Math.max(losses.get(i), 1e-300);
        }
        line(dir.resolve("loss.png"), "mean reconstruction loss (MSE, scaled data)", "loss", epoch, loss, false, "epoch");
    }

    private static void line(Path file, String title, String y, double[] x, double[] v, boolean log) throws IOException {
        line(file, title, y, x, v, log, "step");
    }

    private static void line(Path file, String title, String y, double[] x, double[] v, boolean log, String xTitle) throws IOException {
        XYChart chart = new XYChartBuilder().width(720).height(420).title(title).xAxisTitle(xTitle).yAxisTitle(y).build();
        chart.getStyler().setYAxisLogarithmic(log);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        double[][] xv = envelope(x, v, LINE_BUCKETS);
        XYSeries s = chart.addSeries(y, xv[0], xv[1]);
        s.setMarker(SeriesMarkers.NONE);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Buckets of a curve's points kept by {@link #envelope}: about one per pixel column of a 720-wide chart. */
    static final int LINE_BUCKETS = 600;

    /**
     * A long curve thinned to its per-bucket extremes: the points are split into {@code buckets}
     * contiguous runs and each run keeps its minimum and its maximum, in step order, so a spike
     * (a blow-up's first sign) is drawn however long the run. Why at all: XChart lays out the ticks
     * of equally spaced x values with a search over every value, which for a 3,000-step run cost
     * 0.7 s of a 9 s run; a chart 720 pixels wide shows no more than this anyway.
     */
    static double[][] envelope(double[] x, double[] v, int buckets) {
        int n = x.length;
        if (n <= 2 * buckets) {
            return new double[][] {x, v};
        }
        double[] ox = new double[2 * buckets], ov = new double[2 * buckets];
        int k = 0;
        for (int b = 0; b < buckets; b++) {
            int from = (int) ((long) n * b / buckets), to = (int) ((long) n * (b + 1) / buckets);
            int lo = from, hi = from;
            for (int i = from + 1; i < to; i++) {
                if (Double.compare(v[i], v[lo]) < 0) {
                    lo = i;
                }
                if (Double.compare(v[i], v[hi]) > 0) {
                    hi = i;
                }
            }
            int first = Math.min(lo, hi), second = Math.max(lo, hi);
            ox[k] = x[first];
            ov[k++] = v[first];
            if (second != first) {
                ox[k] = x[second];
                ov[k++] = v[second];
            }
        }
        return new double[][] {java.util.Arrays.copyOf(ox, k), java.util.Arrays.copyOf(ov, k)};
    }

    private static void addPoints(XYChart chart, String name, Block blk, int a, int b, Color color) {
        int n = Math.min(blk.rows, MAX_POINTS);
        double stride = blk.rows / (double) n;
        double[] xs = new double[n], ys = new double[n];
        for (int i = 0; i < n; i++) {
            int r = (int) (i * stride);
            xs[i] = blk.x[r * blk.dimension + a];
            ys[i] = blk.x[r * blk.dimension + b];
        }
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setMarkerColor(color);
        s.setMarker(SeriesMarkers.CIRCLE);
    }
}
