package org.lipflow.flow;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ends a flow that has converged: the kinetic energy KE = (1/2M)·Σ|∇ₓφ(Y_i)|² is the rate at which
 * the divergence falls (dD/dt = −2·KE), so once it stays below ε for w consecutive steps the
 * particles have stopped moving and further steps only cost time ({@code flow.stop.kinetic-energy},
 * {@code flow.stop.window}).
 *
 * <p>The decision is a pure function of the per-step monitors, made on the driver: the in-process
 * engine checks after every step, the Spark engine after every job (with averaging frequency F the
 * run ends at the end of the job whose steps completed the window). A resumed run replays the
 * monitors restored from its checkpoint first, so a run that stopped stays stopped: its resume
 * ends at once instead of continuing past the stop.
 */
public final class StopRule {
    private final Options options;
    private int below;
    private int completedAt = -1;

    /**
     * @param kineticEnergy ε ≥ 0; 0 = off (the default: run all flow.steps)
     * @param window        w ≥ 1 consecutive steps with KE &lt; ε
     */
    public record Options(double kineticEnergy, int window) implements Serializable {
        public static final Options OFF = new Options(0, 10);

        public Options {
            if (!(kineticEnergy >= 0) || Double.isInfinite(kineticEnergy)) {
                throw new IllegalArgumentException("flow.stop.kinetic-energy must be >= 0 and finite (0 = off), got " + kineticEnergy);
            }
            if (window < 1) {
                throw new IllegalArgumentException("flow.stop.window must be >= 1, got " + window);
            }
        }

        public boolean enabled() {
            return kineticEnergy > 0;
        }
    }

    public StopRule(Options options) {
        this.options = options;
    }

    /** The rule after {@code history} (a resumed run's restored monitors, or a whole run's). */
    public static StopRule replay(Options options, Iterable<StepMetrics> history) {
        StopRule r = new StopRule(options);
        for (StepMetrics m : history) {
            r.observe(m);
        }
        return r;
    }

    /** Feeds one step's monitors (in step order); true once the window is complete (and from then on). */
    public boolean observe(StepMetrics m) {
        if (!options.enabled() || completedAt >= 0) {
            return completedAt >= 0;
        }
        below = m.kineticEnergy() < options.kineticEnergy() ? below + 1 : 0;
        if (below >= options.window()) {
            completedAt = m.step();
        }
        return completedAt >= 0;
    }

    public Options options() {
        return options;
    }

    public boolean stopped() {
        return completedAt >= 0;
    }

    /** The step whose monitors completed the window; −1 while running. */
    public int completedAt() {
        return completedAt;
    }

    /** "kinetic energy < ε for w steps (steps a..b)". */
    public String reason() {
        return "kinetic energy < " + options.kineticEnergy() + " for " + options.window() + " steps"
                + (completedAt >= 0 ? " (steps " + (completedAt - options.window() + 1) + ".." + completedAt + ")" : "");
    }

    /**
     * For the manifest: {"step": the step the run ended at, "reason": ..}; {@code endStep} is later
     * than {@link #completedAt()} only on the Spark engine with averaging frequency &gt; 1.
     */
    public Map<String, Object> describe(int endStep) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", endStep);
        m.put("reason", reason());
        return m;
    }
}
