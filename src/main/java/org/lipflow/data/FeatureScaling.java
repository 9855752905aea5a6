package org.lipflow.data;

import org.lipflow.flow.Block;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-feature standardisation z = (x − μ) / σ, fitted on the target (data.standardize): μ is the
 * feature's mean, σ its standard deviation (population form, divided by N, as numpy's std and
 * scikit-learn's StandardScaler). A constant feature (every target value equal) gets σ = 1, so it
 * is centred but not scaled. The flow runs on z, so L, Δt and a generated source's spread mean
 * the same thing on every data set; every result a user reads is mapped back by {@link #invert}.
 * Arithmetic is in double, one rounding to float per value, so invert(apply(x)) = x to float
 * tolerance.
 */
public final class FeatureScaling implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double[] mean;
    private final double[] scale;
    private final boolean[] constant;

    private FeatureScaling(double[] mean, double[] scale, boolean[] constant) {
        this.mean = mean;
        this.scale = scale;
        this.constant = constant;
    }

    /**
     * A scaling with these centres and scales (read back from a manifest or model); a scale of
     * exactly 1 with {@code constant} marks a constant feature.
     */
    public static FeatureScaling of(double[] mean, double[] scale, boolean[] constant) {
        if (mean.length != scale.length || constant.length != mean.length) {
            throw new IllegalArgumentException("standardization: " + mean.length + " means, " + scale.length + " scales, "
                    + constant.length + " constant flags");
        }
        for (int j = 0; j < mean.length; j++) {
            if (!Double.isFinite(mean[j]) || !(scale[j] > 0) || Double.isInfinite(scale[j])) {
                throw new IllegalArgumentException("standardization: feature " + (j + 1) + " has mean " + mean[j] + " and scale "
                        + scale[j] + "; the mean must be finite and the scale > 0 and finite");
            }
        }
        return new FeatureScaling(mean.clone(), scale.clone(), constant.clone());
    }

    /** Fitted on the rows of {@code target}. */
    public static FeatureScaling fit(Block target) {
        return fit(Moments.of(target));
    }

    /** Fitted on merged moments (a distributed target: one {@link Moments} per shard). */
    public static FeatureScaling fit(Moments m) {
        if (m.n == 0) {
            throw new IllegalArgumentException("standardization: the target has no rows");
        }
        int d = m.mean.length;
        double[] scale = new double[d];
        boolean[] constant = new boolean[d];
        for (int j = 0; j < d; j++) {
            constant[j] = m.min[j] == m.max[j];
            double sd = Math.sqrt(Math.max(0, m.m2[j]) / m.n);
            scale[j] = constant[j] ? 1 : sd;
            if (!Double.isFinite(m.mean[j]) || !Double.isFinite(sd)) {
                throw new IllegalArgumentException("standardization: target feature " + (j + 1) + " has mean " + m.mean[j]
                        + " and std " + sd + " (non-finite): the target's values are too large for data.standardize; "
                        + "rescale it or set data.standardize = false");
            }
            if (!constant[j] && !(sd > 0)) { // distinct floats whose spread underflows: treat as constant
                constant[j] = true;
                scale[j] = 1;
            }
        }
        return new FeatureScaling(m.mean.clone(), scale, constant);
    }

    public int dimension() {
        return mean.length;
    }

    /** μ per feature (a copy). */
    public double[] mean() {
        return mean.clone();
    }

    /** σ per feature, 1 for a constant feature (a copy). */
    public double[] scale() {
        return scale.clone();
    }

    /** Whether feature j was constant on the target (scale 1). */
    public boolean constant(int j) {
        return constant[j];
    }

    /** The indices (0-based) of the constant features. */
    public List<Integer> constantFeatures() {
        List<Integer> c = new ArrayList<>();
        for (int j = 0; j < constant.length; j++) {
            if (constant[j]) {
                c.add(j);
            }
        }
        return c;
    }

    /** A new block of z = (x − μ)/σ with the same labels and ids. */
    public Block apply(Block b) {
        requireDimension(b);
        float[] z = new float[b.x.length];
        int d = b.dimension;
        for (int o = 0; o < z.length; o++) {
            int j = o % d;
            z[o] = (float) ((b.x[o] - mean[j]) / scale[j]);
        }
        return new Block(b.rows, d, z, b.labels, b.ids);
    }

    /** A new block of x = μ + σ·z with the same labels and ids. */
    public Block invert(Block b) {
        requireDimension(b);
        float[] x = new float[b.x.length];
        int d = b.dimension;
        for (int o = 0; o < x.length; o++) {
            int j = o % d;
            x[o] = (float) (mean[j] + scale[j] * b.x[o]);
        }
        return new Block(b.rows, d, x, b.labels, b.ids);
    }

    private void requireDimension(Block b) {
        if (b.dimension != mean.length) {
            throw new IllegalArgumentException("standardization was fitted on " + mean.length + " features, the data has "
                    + b.dimension);
        }
    }

    /**
     * SHA-256 of the centres and scales (their IEEE bits): what a resumed run must reproduce,
     * without writing d numbers into every checkpoint.
     */
    public String sha256() {
        ByteBuffer buf = ByteBuffer.allocate(16 * mean.length);
        for (int j = 0; j < mean.length; j++) {
            buf.putDouble(mean[j]).putDouble(scale[j]);
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(buf.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For a manifest: mean, std (the scale; 1 for constant features), the constant features' columns. */
    public Map<String, Object> describe(String[] columns) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("columns", columns == null ? List.of() : List.of(columns));
        m.put("mean", mean.clone());
        m.put("std", scale.clone());
        List<String> c = new ArrayList<>();
        for (int j : constantFeatures()) {
            c.add(columns == null ? Integer.toString(j + 1) : columns[j]);
        }
        m.put("constant_features", c);
        m.put("note", "z = (x - mean) / std per feature, std in population form (divided by N); a constant feature gets "
                + "std 1 (centred, not scaled)");
        m.put("sha256", sha256());
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureScaling s && Arrays.equals(mean, s.mean) && Arrays.equals(scale, s.scale)
                && Arrays.equals(constant, s.constant);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(mean) * 31 + Arrays.hashCode(scale);
    }

    @Override
    public String toString() {
        return "FeatureScaling[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(scale) + "]";
    }

    /**
     * Count, mean, sum of squared deviations, min and max per feature of some rows: an aggregator
     * (add a block, merge another; Chan et al.'s pairwise update), so a distributed target is
     * fitted in one pass and gives the same result for the same partitioning.
     */
    public static final class Moments implements Serializable {
        private static final long serialVersionUID = 1L;

        long n;
        final double[] mean;
        final double[] m2;
        final double[] min;
        final double[] max;

        public Moments(int d) {
            mean = new double[d];
            m2 = new double[d];
            min = new double[d];
            max = new double[d];
            Arrays.fill(min, Double.POSITIVE_INFINITY);
            Arrays.fill(max, Double.NEGATIVE_INFINITY);
        }

        /** The moments of one block (two passes over it: mean, then squared deviations). */
        public static Moments of(Block b) {
            return new Moments(b.dimension).add(b);
        }

        /** Adds a block's rows. */
        public Moments add(Block b) {
            int d = b.dimension;
            if (b.rows == 0) {
                return this;
            }
            Moments part = new Moments(d);
            part.n = b.rows;
            for (int o = 0; o < b.x.length; o++) {
                int j = o % d;
                float v = b.x[o];
                part.mean[j] += v;
                part.min[j] = Math.min(part.min[j], v);
                part.max[j] = Math.max(part.max[j], v);
            }
            for (int j = 0; j < d; j++) {
                part.mean[j] /= b.rows;
            }
            for (int o = 0; o < b.x.length; o++) {
                int j = o % d;
                double e = b.x[o] - part.mean[j];
                part.m2[j] += e * e;
            }
            return merge(part);
        }

        /** Merges another set of moments into this one. */
        public Moments merge(Moments o) {
            if (o.n == 0) {
                return this;
            }
            if (o.mean.length != mean.length) {
                throw new IllegalArgumentException("moments of " + mean.length + " and " + o.mean.length + " features");
            }
            long n2 = n + o.n;
            for (int j = 0; j < mean.length; j++) {
                double delta = o.mean[j] - mean[j];
                m2[j] += o.m2[j] + delta * delta * ((double) n * o.n / n2);
                mean[j] = n == 0 ? o.mean[j] : mean[j] + delta * ((double) o.n / n2);
                min[j] = Math.min(min[j], o.min[j]);
                max[j] = Math.max(max[j], o.max[j]);
            }
            n = n2;
            return this;
        }

        public long rows() {
            return n;
        }
    }
}
