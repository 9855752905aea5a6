package org.lipflow.discriminator;

/**
 * 1-Lipschitz activations: with them, the product of the layers' spectral norms bounds the
 * network's Lipschitz constant. Each knows its derivative from the pre-activation z.
 */
public enum Activation {
    RELU {
        @Override
        public void apply(float[] z, float[] a, int from, int to) {
            for (int i = from; i < to; i++) {
                a[i] = Math.max(z[i], 0f);
            }
        }

        @Override
        public void backprop(float[] z, float[] delta, int from, int to) {
            for (int i = from; i < to; i++) {
                delta[i] = z[i] > 0f ? delta[i] : 0f;
            }
        }
    },
    LEAKY_RELU {
        @Override
        public void apply(float[] z, float[] a, int from, int to) {
            for (int i = from; i < to; i++) {
                float v = z[i];
                a[i] = v > 0f ? v : LEAK * v;
            }
        }

        @Override
        public void backprop(float[] z, float[] delta, int from, int to) {
            for (int i = from; i < to; i++) {
                if (z[i] <= 0f) {
                    delta[i] *= LEAK;
                }
            }
        }
    },
    ELU {
        @Override
        public void apply(float[] z, float[] a, int from, int to) {
            for (int i = from; i < to; i++) {
                float v = z[i];
                a[i] = v > 0f ? v : (float) Math.expm1(v);
            }
        }

        @Override
        public void backprop(float[] z, float[] delta, int from, int to) {
            for (int i = from; i < to; i++) {
                float v = z[i];
                if (v <= 0f) {
                    delta[i] *= (float) Math.exp(v);
                }
            }
        }

        @Override
        public boolean curved() {
            return true;
        }

        @Override
        public void curvature(float[] z, float[] x, int from, int to) {
            for (int i = from; i < to; i++) {
                float v = z[i];
                x[i] = v <= 0f ? x[i] * (float) Math.exp(v) : 0f; // σ'' = e^z left of 0, 0 right of it
            }
        }
    },
    TANH {
        @Override
        public void apply(float[] z, float[] a, int from, int to) {
            for (int i = from; i < to; i++) {
                a[i] = (float) Math.tanh(z[i]);
            }
        }

        @Override
        public void backprop(float[] z, float[] delta, int from, int to) {
            for (int i = from; i < to; i++) {
                double t = Math.tanh(z[i]);
                delta[i] *= (float) (1.0 - t * t);
            }
        }

        @Override
        public boolean curved() {
            return true;
        }

        @Override
        public void curvature(float[] z, float[] x, int from, int to) {
            for (int i = from; i < to; i++) {
                double t = Math.tanh(z[i]);
                x[i] *= (float) (-2.0 * t * (1.0 - t * t)); // σ'' = −2 tanh (1 − tanh²)
            }
        }
    };

    /** Negative slope of LEAKY_RELU (DL4J's default for its LeakyReLU). */
    public static final float LEAK = 0.01f;

    /** a[i] = σ(z[i]) for i in [from, to). */
    public abstract void apply(float[] z, float[] a, int from, int to);

    /** delta[i] *= σ'(z[i]) for i in [from, to). */
    public abstract void backprop(float[] z, float[] delta, int from, int to);

    /**
     * Whether σ'' is non-zero somewhere (ELU, tanh). ReLU and leaky ReLU are piecewise linear:
     * σ'' = 0 almost everywhere, so the gradient penalty's mixed derivative has no curvature term.
     */
    public boolean curved() {
        return false;
    }

    /** x[i] *= σ''(z[i]) for i in [from, to) (0 for the piecewise-linear activations). */
    public void curvature(float[] z, float[] x, int from, int to) {
        java.util.Arrays.fill(x, from, to, 0f);
    }

    public static Activation parse(String name) {
        switch (name.toLowerCase(java.util.Locale.ROOT).replace('-', '_')) {
            case "relu": return RELU;
            case "leaky_relu": case "leakyrelu": return LEAKY_RELU;
            case "elu": return ELU;
            case "tanh": return TANH;
            default:
                throw new IllegalArgumentException(
                        "discriminator.activation must be one of relu, leaky-relu, elu, tanh, got '" + name + "'");
        }
    }

    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
