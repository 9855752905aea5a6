package org.lipflow.discriminator;

/**
 * Adam for gradient <em>ascent</em> (the discriminator maximises H), with the textbook bias
 * correction: θ ← θ + lr·m̂/(√v̂ + ε), m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ).
 *
 * <p>Moments below {@link Float#MIN_NORMAL} are flushed to zero. Where a parameter's gradient is
 * exactly zero (a dead ReLU unit) m decays by β₁ per step and turns subnormal after ~700 steps;
 * arithmetic on subnormal floats is ~100× slower on x86, and one such run spent a quarter of its
 * time here. A flushed m moved its parameter by less than lr·1.2e-38/ε, below any float's resolution.
 */
public final class Adam {
    private Adam() {
    }

    /**
     * One step; t is the 1-based step count after this update. Updates params, m, v in place and
     * returns the sum of the updated params (non-finite iff one of them is: the health check's aggregate).
     */
    public static double ascend(float[] params, float[] grad, float[] m, float[] v, long t,
                              double lr, double beta1, double beta2, double eps) {
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        float b1 = (float) beta1, b2 = (float) beta2;
        float a1 = 1f - b1, a2 = 1f - b2;
        float step = (float) (lr / c1);
        float inv2 = (float) (1.0 / c2);
        float e = (float) eps;
        double sum = 0;
        for (int i = 0; i < params.length; i++) {
            float g = grad[i];
            float mi = b1 * m[i] + a1 * g;
            float vi = b2 * v[i] + a2 * g * g;
            if (Math.abs(mi) < Float.MIN_NORMAL) {
                mi = 0f;
            }
            if (vi < Float.MIN_NORMAL) {
                vi = 0f;
            }
            m[i] = mi;
            v[i] = vi;
            params[i] += step * mi / ((float) Math.sqrt(vi * inv2) + e);
            sum += params[i];
        }
        return sum;
    }
}
