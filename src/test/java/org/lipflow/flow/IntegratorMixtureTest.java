package org.lipflow.flow;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every integrator and re-training policy fills the mixture's four modes: the shipped example
 * (conf/examples/gaussian-mixture.conf, fixed seeds, its 500 steps) with only the integrator changed,
 * checked as the core mixture test checks Euler (each mode 25% ± 7%, < 5% beyond 3σ). Measured at the
 * example's Adam step 0.005 (particles per mode; beyond 3σ, bound: at most 9 of 200): heun/reuse
 * 51 / 50 / 52 / 47, 9 (at the example's former 0.001: 6; a run with one more particle in transit fails);
 * ab2 54 / 51 / 47 / 48, 1; ab3 52 / 49 / 50 / 49, 3; rk4/each-stage 58 / 49 / 48 / 45, 0 (largest weight
 * deviation, 0.04 against 0.07); rk4/reuse 51 / 50 / 50 / 49, 4.
 */
class IntegratorMixtureTest {
    static final int STEPS = 500;

    @ParameterizedTest(name = "{0} ({1})")
    @CsvSource({"heun, reuse", "ab2, each-stage", "ab3, each-stage", "rk4, each-stage", "rk4, reuse"})
    void everyIntegratorFillsEveryModeOfTheMixture(String integrator, String retrain) {
        Block p = FlowExamplesTest.run("conf/examples/gaussian-mixture.conf", "flow.integrator=" + integrator,
                "flow.integrator-retrain=" + retrain, "flow.steps=" + STEPS).result().particles().collect();
        FlowExamplesTest.assertEveryModeFilled(p, integrator + "/" + retrain);
    }
}
