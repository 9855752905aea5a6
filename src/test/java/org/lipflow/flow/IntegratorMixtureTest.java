package org.lipflow.flow;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every integrator and re-training policy fills the mixture's four modes: the shipped example
 * (conf/examples/gaussian-mixture.conf, fixed seeds, its 500 steps) with only the integrator changed,
 * checked as the core mixture test checks Euler (each mode 25% ± 7%, < 5% beyond 3σ).
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
