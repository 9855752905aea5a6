package org.lipflow.flow;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Time stepping of dY/dt = −∇ₓφ(Y) as data (DESIGN "a method is its coefficient table"): each
 * method is a list of {@link Table}s, one per step, the last one repeating, plus a
 * {@link Retrain} policy. {@link FlowKernel#move} runs any table; a new method is a new table.
 *
 * <p>A table is an explicit Runge–Kutta tableau (a, b; c_i = Σ_j a_ij is implied) extended by
 * linear-multistep weights on the previous steps' velocities: with k_0 = ∇φ(Y_n) and
 * h_j = the k_0 of step n − j,
 *
 * <pre>
 *   stage i:  Y_n,i = Y_n − Δt Σ_{j&lt;i} a_ij k_j,   k_i = ∇φ(Y_n,i)
 *   step:     Y_n+1 = Y_n − Δt (Σ_i b_i k_i + Σ_j β_j h_j)
 * </pre>
 *
 * Adams–Bashforth methods need the velocities of the previous steps, which travel with the
 * particles ({@link Block#history}); their first steps start with lower order: AB2 takes one
 * Euler step, AB3 one Heun step (with the step's discriminator: local error O(Δt³), so the
 * start keeps third order) and one AB2 step.
 *
 * <p>The field depends on the particles: under {@link Retrain#EACH_STAGE} stage i ≥ 1 re-trains the
 * discriminator at the stage's positions (as the reference's Heun does) and keeps the weights;
 * under {@link Retrain#REUSE} every stage uses the step's discriminator. Multistep methods never
 * re-train (their extra cost is memory, not trainings).
 */
public final class Integrator implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Whether the stages after the first re-train the discriminator at their positions. */
    public enum Retrain {
        /** k Adam steps at every stage's positions (the reference's Heun). */
        EACH_STAGE,
        /** every stage uses the step's discriminator: one training per step whatever the table. */
        REUSE;

        public static Retrain parse(String s) {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "each-stage": return EACH_STAGE;
                case "reuse": return REUSE;
                default:
                    throw new IllegalArgumentException("flow.integrator-retrain must be one of each-stage, reuse, got '" + s + "'");
            }
        }

        public String key() {
            return this == EACH_STAGE ? "each-stage" : "reuse";
        }
    }

    /**
     * One step's coefficients: the explicit tableau {@code a} (row i holds a_i0..a_i,i−1),
     * weights {@code b} and the multistep weights {@code beta} on h_1, h_2, ...
     */
    public static final class Table implements Serializable {
        private static final long serialVersionUID = 1L;

        final int stages;
        /** −a_ij as floats: stage i's positions are Y + Δt Σ_j negA[i][j] k_j. */
        final float[][] negA;
        /** a_{s−1,j} − b_j: the step from the last stage's positions, Y_n+1 = Y_n,s−1 + Δt Σ_j last[j] k_j − Δt Σ β_j h_j. */
        final float[] last;
        /** −β_j. */
        final float[] negBeta;
        /** b and β: the effective velocity (Y_n − Y_n+1)/Δt, for the monitors. */
        final float[] b;
        final float[] beta;

        Table(double[][] a, double[] b, double[] beta) {
            this.stages = b.length;
            if (a.length != stages) {
                throw new IllegalArgumentException("a tableau needs one row of a per stage");
            }
            this.negA = new float[stages][];
            for (int i = 0; i < stages; i++) {
                if (a[i].length != i) {
                    throw new IllegalArgumentException("an explicit tableau's row " + i + " has " + i + " entries");
                }
                negA[i] = new float[i];
                for (int j = 0; j < i; j++) {
                    negA[i][j] = (float) -a[i][j];
                }
            }
            this.last = new float[stages];
            for (int j = 0; j < stages; j++) {
                last[j] = (float) ((j < stages - 1 ? a[stages - 1][j] : 0) - b[j]);
            }
            this.b = new float[stages];
            for (int j = 0; j < stages; j++) {
                this.b[j] = (float) b[j];
            }
            this.beta = new float[beta.length];
            this.negBeta = new float[beta.length];
            for (int j = 0; j < beta.length; j++) {
                this.beta[j] = (float) beta[j];
                negBeta[j] = (float) -beta[j];
            }
        }

        public int stages() {
            return stages;
        }

        /** How many previous steps' velocities the step uses. */
        public int history() {
            return beta.length;
        }
    }

    /** Y ← Y − Δt k₀. */
    static final Table EULER_TABLE = new Table(new double[][]{{}}, new double[]{1}, new double[0]);
    /** Explicit trapezoid: k₁ at Y − Δt k₀, Y ← Y − Δt (k₀ + k₁)/2. */
    static final Table HEUN_TABLE = new Table(new double[][]{{}, {1}}, new double[]{0.5, 0.5}, new double[0]);
    /** Classical Runge–Kutta: stages at 0, Δt/2, Δt/2, Δt; b = (1, 2, 2, 1)/6. */
    static final Table RK4_TABLE = new Table(new double[][]{{}, {0.5}, {0, 0.5}, {0, 0, 1}},
            new double[]{1 / 6.0, 1 / 3.0, 1 / 3.0, 1 / 6.0}, new double[0]);
    /** Adams–Bashforth 2: Y ← Y − Δt (3/2 k₀ − 1/2 h₁). */
    static final Table AB2_TABLE = new Table(new double[][]{{}}, new double[]{1.5}, new double[]{-0.5});
    /** Adams–Bashforth 3: Y ← Y − Δt (23/12 k₀ − 16/12 h₁ + 5/12 h₂). */
    static final Table AB3_TABLE = new Table(new double[][]{{}}, new double[]{23 / 12.0}, new double[]{-16 / 12.0, 5 / 12.0});

    /** The choices of {@code flow.integrator}, canonical names first. */
    public static final List<String> NAMES = List.of("euler", "forward-euler", "heun", "ab2", "ab3", "rk4");

    public static final Integrator EULER = new Integrator("euler", 1, Retrain.EACH_STAGE, EULER_TABLE);
    public static final Integrator HEUN = new Integrator("heun", 2, Retrain.EACH_STAGE, HEUN_TABLE);
    public static final Integrator RK4 = new Integrator("rk4", 4, Retrain.EACH_STAGE, RK4_TABLE);
    public static final Integrator AB2 = new Integrator("ab2", 2, Retrain.EACH_STAGE, EULER_TABLE, AB2_TABLE);
    public static final Integrator AB3 = new Integrator("ab3", 3, Retrain.EACH_STAGE, HEUN_TABLE, AB2_TABLE, AB3_TABLE);

    private final String name;
    private final int order;
    private final Retrain retrain;
    /** tables[i] for the step with i steps before it; the last one for every later step. */
    private final Table[] tables;
    private final int history;

    private Integrator(String name, int order, Retrain retrain, Table... tables) {
        this.name = name;
        this.order = order;
        this.retrain = Objects.requireNonNull(retrain, "flow.integrator-retrain");
        this.tables = tables;
        int h = 0;
        for (Table t : tables) {
            h = Math.max(h, t.history());
        }
        this.history = h;
    }

    /** A method from its tables (the last one repeats): how tests build a variant. */
    static Integrator of(String name, int order, Retrain retrain, Table... tables) {
        return new Integrator(name, order, retrain, tables);
    }

    /** The method named by {@code flow.integrator}, with the {@link Retrain#EACH_STAGE} policy. */
    public static Integrator parse(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "euler": case "forward-euler": return EULER;
            case "heun": return HEUN;
            case "ab2": return AB2;
            case "ab3": return AB3;
            case "rk4": return RK4;
            default:
                throw new IllegalArgumentException("flow.integrator must be one of " + String.join(", ", NAMES) + ", got '" + s + "'");
        }
    }

    /** {@code flow.integrator} with {@code flow.integrator-retrain}. */
    public static Integrator parse(String name, String retrain) {
        return parse(name).withRetrain(Retrain.parse(retrain));
    }

    public Integrator withRetrain(Retrain r) {
        return r == retrain ? this : new Integrator(name, order, r, tables);
    }

    /** The canonical name ({@code forward-euler} is {@code euler}). */
    public String name() {
        return name;
    }

    /** The order of accuracy on a fixed field. */
    public int order() {
        return order;
    }

    public Retrain retrain() {
        return retrain;
    }

    /** The table of the step that has {@code previousSteps} moves before it in this run. */
    public Table table(long previousSteps) {
        return tables[(int) Math.min(previousSteps, tables.length - 1)];
    }

    /** Stages of the repeating table: ∇ₓφ evaluations per step. */
    public int stages() {
        return tables[tables.length - 1].stages;
    }

    /** The most stages of any of its tables (AB3 starts with a two-stage step). */
    public int maxStages() {
        int s = 0;
        for (Table t : tables) {
            s = Math.max(s, t.stages);
        }
        return s;
    }

    /** Previous steps' velocities each particle carries (0 for one-step methods). */
    public int history() {
        return history;
    }

    /** True when stage i ≥ 1 of this method's tables re-trains the discriminator. */
    public boolean retrainsStages() {
        return retrain == Retrain.EACH_STAGE && history == 0 && stages() > 1;
    }

    /** Discriminator trainings (of k Adam steps each) per step, once the start is over. */
    public int trainingsPerStep() {
        return retrainsStages() ? stages() : 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Integrator i && i.name.equals(name) && i.retrain == retrain;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + retrain.hashCode();
    }

    /** Like the enum this class replaced: EULER, HEUN/EACH_STAGE, RK4/REUSE, AB3. */
    @Override
    public String toString() {
        return name.toUpperCase(Locale.ROOT) + (stages() > 1 && history == 0 ? "/" + retrain : "");
    }
}
