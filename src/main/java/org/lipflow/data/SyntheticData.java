package org.lipflow.data;

import org.lipflow.flow.Block;
import org.lipflow.util.Rng;

import java.util.List;
import java.util.Locale;

/**
 * The paper's synthetic targets and sources, seeded through counter-based streams so that sample
 * i is the same whatever the sample size or partitioning. Every generator returns a {@link Block}
 * (and column names); mixture4 can also label each sample with its mode. Its modes are assigned
 * round-robin (stratified), so a sample of 200 holds exactly 50 per mode: mode weights measured
 * on the particles then compare with 25% and not with the noise of a multinomial draw.
 */
public final class SyntheticData {
    public static final List<String> NAMES = List.of("gaussian", "mixture4", "student-t", "swiss-roll", "sierpinski");

    /** Centres of the 4-mode mixture (DESIGN.md): (0,0), (0,4), (4,0), (4,4). */
    public static final double[][] MIXTURE4_MODES = {{0, 0}, {0, 4}, {4, 0}, {4, 4}};

    /**
     * Parameters of a generator.
     *
     * @param name      one of {@link #NAMES}
     * @param n         number of samples ≥ 1
     * @param seed      seed of the samples
     * @param dimension dimension for gaussian and student-t (others fix it: mixture4 2, swiss-roll 3, sierpinski 2)
     * @param mean      mean (gaussian, student-t) added to every coordinate
     * @param std       standard deviation (gaussian) or per-mode std (mixture4)
     * @param nu        degrees of freedom of student-t &gt; 0
     * @param labels    mixture4 only: add the mode index as label
     */
    public record Spec(String name, int n, long seed, int dimension, double mean, double std, double nu, boolean labels)
            implements java.io.Serializable {
        public Spec {
            name = name.toLowerCase(Locale.ROOT);
            if (!NAMES.contains(name)) {
                throw new InvalidSpec("synthetic", "unknown dataset '" + name + "'; expected one of " + String.join(", ", NAMES));
            }
            if (n < 1) {
                throw new InvalidSpec("n", "must be >= 1, got " + n);
            }
            if (dimension < 1) {
                throw new InvalidSpec("dimension", "must be >= 1, got " + dimension);
            }
            if (!(std > 0) || !Double.isFinite(std)) {
                throw new InvalidSpec("std", "must be > 0 and finite, got " + std);
            }
            if (!(nu > 0) || !Double.isFinite(nu)) {
                throw new InvalidSpec("nu", "must be > 0 and finite, got " + nu);
            }
            if (!Double.isFinite(mean)) {
                throw new InvalidSpec("mean", "must be finite, got " + mean);
            }
            if (labels && !name.equals("mixture4")) {
                throw new InvalidSpec("labels", "are only defined for mixture4, not " + name);
            }
        }

        public int effectiveDimension() {
            switch (name) {
                case "mixture4": case "sierpinski": return 2;
                case "swiss-roll": return 3;
                default: return dimension;
            }
        }
    }

    /**
     * An invalid generator parameter. The message reads "dataset &lt;field&gt; ..."; callers that know
     * the parameter's public name (a config key, a flag) use {@link #field()} and {@link #rule()}.
     */
    public static final class InvalidSpec extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String field;
        private final String rule;

        InvalidSpec(String field, String rule) {
            super(field.equals("synthetic") ? rule : "dataset " + field + " " + rule);
            this.field = field;
            this.rule = rule;
        }

        /** The parameter: synthetic (the name), n, dimension, std, nu, mean or labels. */
        public String field() {
            return field;
        }

        /** What is wrong, e.g. "must be >= 1, got 0". */
        public String rule() {
            return rule;
        }
    }

    /** Counters reserved per row (i·64 + k) for rows of at most this many draws. */
    private static final int ROW_COUNTERS = 64;
    /** Sub-stream purpose of rows wider than {@link #ROW_COUNTERS}. */
    private static final long WIDE_ROWS = 0x57494445L;

    private SyntheticData() {
    }

    public static Block generate(Spec s) {
        return generate(s, 0, s.n());
    }

    /**
     * Samples [from, to) of the data set, with their indices as ids: the same values as in
     * {@link #generate(Spec)}, so executors can each generate their own range.
     */
    public static Block generate(Spec s, long from, long to) {
        int d = s.effectiveDimension();
        int rows = Math.toIntExact(to - from);
        float[] x = new float[rows * d];
        int[] labels = s.labels() ? new int[rows] : null;
        long[] ids = new long[rows];
        long stream = Rng.stream(s.seed(), Rng.DATASET, s.name().hashCode());
        for (int r = 0; r < rows; r++) {
            long i = from + r;
            ids[r] = i;
            long base = i * ROW_COUNTERS;
            int o = r * d;
            switch (s.name()) {
                case "gaussian": {
                    // up to 64 coordinates: counters i·64 + k as always (earlier outputs stay reproducible);
                    // wider rows: a stream of their own, since i·64 + k would reuse row i+1's counters
                    long rowStream = d <= ROW_COUNTERS ? stream : Rng.stream(stream, WIDE_ROWS, i);
                    long rowBase = d <= ROW_COUNTERS ? base : 0;
                    for (int k = 0; k < d; k++) {
                        x[o + k] = (float) (s.mean() + s.std() * Rng.gaussian(rowStream, rowBase + k));
                    }
                    break;
                }
                case "mixture4": {
                    int mode = (int) (i % 4); // stratified: the sample holds the four equal weights exactly
                    x[o] = (float) (MIXTURE4_MODES[mode][0] + s.std() * Rng.gaussian(stream, base));
                    x[o + 1] = (float) (MIXTURE4_MODES[mode][1] + s.std() * Rng.gaussian(stream, base + 1));
                    if (labels != null) {
                        labels[r] = mode;
                    }
                    break;
                }
                case "student-t":
                    for (int k = 0; k < d; k++) {
                        x[o + k] = (float) (s.mean() + studentT(stream, i * d + k, s.nu()));
                    }
                    break;
                case "swiss-roll": {
                    double t = 1.5 * Math.PI * (1 + 2 * Rng.uniform(stream, base));
                    double y = 21 * Rng.uniform(stream, base + 1);
                    x[o] = (float) (t * Math.cos(t));
                    x[o + 1] = (float) y;
                    x[o + 2] = (float) (t * Math.sin(t));
                    break;
                }
                default:
                    sierpinski(stream, base, x, o);
            }
        }
        requireFloatRange(s, x, d, from);
        return new Block(rows, d, x, labels, ids);
    }

    /** A draw beyond float range (Student-t with tiny ν, a huge std or mean) would enter the flow as ±∞. */
    private static void requireFloatRange(Spec s, float[] x, int d, long from) {
        for (int o = 0; o < x.length; o++) {
            if (!Float.isFinite(x[o])) {
                String field = s.name().equals("student-t") && Math.abs(s.mean()) < 1e37 ? "nu"
                        : Math.abs(s.mean()) >= 1e37 ? "mean" : "std";
                double value = field.equals("nu") ? s.nu() : field.equals("mean") ? s.mean() : s.std();
                throw new InvalidSpec(field, "= " + value + " draws a value beyond float range (|x| > 3.4e38) at row "
                        + (from + o / d) + ": use a " + (field.equals("nu") ? "larger" : "smaller") + " " + field);
            }
        }
    }

    public static String[] columns(Spec s) {
        String[] c = new String[s.effectiveDimension()];
        for (int k = 0; k < c.length; k++) {
            c[k] = "x" + (k + 1);
        }
        return c;
    }

    /** Bailey's polar method: exact Student-t with ν degrees of freedom, by rejection. */
    private static double studentT(long stream, long index, double nu) {
        long s = Rng.stream(stream, index);
        for (long c = 0; ; c += 2) {
            double u = 2 * Rng.uniform(s, c) - 1, v = 2 * Rng.uniform(s, c + 1) - 1;
            double w = u * u + v * v;
            if (w > 0 && w <= 1) {
                return u * Math.sqrt(nu * (Math.pow(w, -2.0 / nu) - 1) / w);
            }
        }
    }

    /** Uniform on the Sierpinski carpet of depth 6 in [0, 4]²: 6 levels of 8 kept sub-squares. */
    private static void sierpinski(long stream, long base, float[] x, int o) {
        double px = 0, py = 0, size = 4;
        for (int level = 0; level < 6; level++) {
            int cell = Rng.index(stream, base + level, 8);
            int c = cell >= 4 ? cell + 1 : cell; // skip the centre cell 4 of the 3×3 grid
            size /= 3;
            px += (c % 3) * size;
            py += (c / 3) * size;
        }
        x[o] = (float) (px + size * Rng.uniform(stream, base + 10));
        x[o + 1] = (float) (py + size * Rng.uniform(stream, base + 11));
    }
}
