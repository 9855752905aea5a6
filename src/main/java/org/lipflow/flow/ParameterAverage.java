package org.lipflow.flow;

import org.lipflow.discriminator.LipschitzConstraint;
import org.lipflow.discriminator.MlpLayout;

import java.io.Serializable;

/**
 * Parameter averaging of discriminator states trained on different shards, weighted by shard
 * size: an aggregator with {@link #add} and {@link #merge}, so Spark folds it over partitions and
 * the in-process engine uses the very same object for its single shard. The average is then put
 * back into the Lipschitz ball; with projection every shard's θ is inside the (convex) ball, so
 * the average is too and the final projection only absorbs power-iteration error.
 */
public final class ParameterAverage implements Serializable {
    private static final long serialVersionUID = 1L;

    private double weight;
    private double[] params;
    private double[] m;
    private double[] v;
    private double[][] power;
    private long t;
    private MlpLayout layout;

    /**
     * The averaging step applied to a single shard's state: what the driver does after every step,
     * so the in-process engine and a shard's local steps compute exactly what one partition does.
     */
    public static DiscriminatorState single(DiscriminatorState s, long rows, LipschitzConstraint constraint) {
        return new ParameterAverage().add(s, rows).result(constraint);
    }

    public ParameterAverage add(DiscriminatorState s, double w) {
        if (w <= 0) {
            return this;
        }
        if (layout == null) {
            layout = s.layout;
            params = new double[s.params.length];
            m = new double[s.m.length];
            v = new double[s.v.length];
            power = new double[s.power.length][];
            for (int l = 0; l < power.length; l++) {
                power[l] = new double[s.power[l].length];
            }
        }
        weight += w;
        t = Math.max(t, s.t);
        for (int i = 0; i < params.length; i++) {
            params[i] += w * s.params[i];
            m[i] += w * s.m[i];
            v[i] += w * s.v[i];
        }
        for (int l = 0; l < power.length; l++) {
            for (int j = 0; j < power[l].length; j++) {
                power[l][j] += w * s.power[l][j];
            }
        }
        return this;
    }

    public ParameterAverage merge(ParameterAverage o) {
        if (o.layout == null) {
            return this;
        }
        if (layout == null) {
            return o;
        }
        weight += o.weight;
        t = Math.max(t, o.t);
        for (int i = 0; i < params.length; i++) {
            params[i] += o.params[i];
            m[i] += o.m[i];
            v[i] += o.v[i];
        }
        for (int l = 0; l < power.length; l++) {
            for (int j = 0; j < power[l].length; j++) {
                power[l][j] += o.power[l][j];
            }
        }
        return this;
    }

    public double weight() {
        return weight;
    }

    /** The weighted average, put back into the Lipschitz ball. */
    public DiscriminatorState result(LipschitzConstraint constraint) {
        if (layout == null) {
            throw new IllegalStateException("no shard contributed to the parameter average");
        }
        int n = params.length;
        float[] p = new float[n], mm = new float[n], vv = new float[n];
        for (int i = 0; i < n; i++) {
            p[i] = (float) (params[i] / weight);
            mm[i] = (float) (m[i] / weight);
            vv[i] = (float) (v[i] / weight);
        }
        float[][] u = new float[power.length][];
        for (int l = 0; l < u.length; l++) {
            double norm = 0;
            for (double x : power[l]) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            u[l] = new float[power[l].length];
            for (int j = 0; j < u[l].length; j++) {
                u[l][j] = (float) (norm > 0 ? power[l][j] / norm : 1.0 / Math.sqrt(u[l].length));
            }
        }
        constraint.apply(layout, p, u);
        return new DiscriminatorState(layout, p, mm, vv, t, u);
    }
}
