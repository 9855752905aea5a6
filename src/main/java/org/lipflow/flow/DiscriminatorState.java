package org.lipflow.flow;

import org.lipflow.discriminator.MlpLayout;
import org.lipflow.discriminator.SpectralNorm;
import org.lipflow.util.Rng;

import java.io.Serializable;

/**
 * Everything the discriminator carries from one outer step to the next: θ, Adam's moments and
 * step count, and the power-iteration vectors. Plain arrays, so it serialises for broadcasts,
 * parameter averaging and checkpoints, and a resumed run continues bit-identically.
 */
public final class DiscriminatorState implements Serializable {
    private static final long serialVersionUID = 1L;

    public final MlpLayout layout;
    public final float[] params;
    public final float[] m;
    public final float[] v;
    public long t;
    public final float[][] power;

    public DiscriminatorState(MlpLayout layout, float[] params, float[] m, float[] v, long t, float[][] power) {
        this.layout = layout;
        this.params = params;
        this.m = m;
        this.v = v;
        this.t = t;
        this.power = power;
    }

    /**
     * The reference's initialisation, seeded: W ~ N(0, 2/fan_in) ("He normal"), b = 0, then
     * constrained so that Lip(φ) ≤ L from the start.
     */
    public static DiscriminatorState initial(MlpLayout layout, FlowOptions o) {
        float[] p = new float[layout.parameterCount()];
        long stream = Rng.stream(o.seed(), Rng.INIT);
        long counter = 0;
        for (int l = 0; l < layout.layers(); l++) {
            double std = Math.sqrt(2.0 / layout.in(l));
            int off = layout.weightOffset(l);
            for (int i = 0; i < layout.in(l) * layout.out(l); i++) {
                p[off + i] = (float) (std * Rng.gaussian(stream, counter++));
            }
        }
        float[][] u = SpectralNorm.initialVectors(layout, Rng.stream(o.seed(), Rng.POWER));
        o.constraint().applyInitial(layout, p, u);
        int n = layout.parameterCount();
        return new DiscriminatorState(layout, p, new float[n], new float[n], 0, u);
    }

    public DiscriminatorState copy() {
        float[][] u = new float[power.length][];
        for (int l = 0; l < u.length; l++) {
            u[l] = power[l].clone();
        }
        return new DiscriminatorState(layout, params.clone(), m.clone(), v.clone(), t, u);
    }
}
