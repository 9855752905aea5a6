package org.lipflow.flow;

import org.junit.jupiter.api.Test;
import org.lipflow.config.LipflowConfig;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The integrators' names, tables and costs as the README's "Integrators" table states them. */
class IntegratorTest {
    @Test
    void everyNameParsesAndForwardEulerIsEuler() {
        assertSame(Integrator.EULER, Integrator.parse("forward-euler"));
        assertSame(Integrator.EULER, Integrator.parse("Euler"));
        for (String n : List.of("heun", "ab2", "ab3", "rk4")) {
            assertEquals(n, Integrator.parse(n).name());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Integrator.parse("rk45"));
        assertEquals("flow.integrator must be one of euler, forward-euler, heun, ab2, ab3, rk4, got 'rk45'", e.getMessage());
    }

    @Test
    void theConfigurationCarriesThePolicyAndTheDefaultIsEulerReTrainingEachStage() {
        assertEquals(Integrator.EULER, LipflowConfig.defaultFlowOptions().flow().integrator());
        FlowOptions o = LipflowConfig.flowOptions(LipflowConfig.load(null, List.of("flow.integrator=rk4",
                "flow.integrator-retrain=reuse")));
        assertEquals(Integrator.RK4.withRetrain(Integrator.Retrain.REUSE), o.flow().integrator());
        assertEquals("RK4/REUSE", o.flow().integrator().toString());
    }

    /** Order, ∇φ evaluations, trainings per step and carried velocities: the README table. */
    @Test
    void ordersStagesTrainingsAndHistoryAreThoseOfTheTable() {
        Object[][] rows = {
                // name, order, stages, trainings each-stage, trainings reuse, history
                {"euler", 1, 1, 1, 1, 0}, {"heun", 2, 2, 2, 1, 0}, {"ab2", 2, 1, 1, 1, 1}, {"ab3", 3, 1, 1, 1, 2},
                {"rk4", 4, 4, 4, 1, 0}};
        for (Object[] r : rows) {
            Integrator i = Integrator.parse((String) r[0]);
            assertEquals(r[1], i.order(), r[0] + " order");
            assertEquals(r[2], i.stages(), r[0] + " stages");
            assertEquals(r[3], i.trainingsPerStep(), r[0] + " trainings (each-stage)");
            assertEquals(r[4], i.withRetrain(Integrator.Retrain.REUSE).trainingsPerStep(), r[0] + " trainings (reuse)");
            assertEquals(r[5], i.history(), r[0] + " history");
        }
        assertFalse(Integrator.AB3.retrainsStages(), "a multistep start never re-trains");
        assertTrue(Integrator.HEUN.retrainsStages());
    }

    /** AB2 starts with Euler; AB3 with Heun then AB2; each table's b and β sum to 1 (consistency). */
    @Test
    void multistepMethodsStartWithLowerOrderAndEveryTableIsConsistent() {
        assertSame(Integrator.EULER_TABLE, Integrator.AB2.table(0));
        assertSame(Integrator.AB2_TABLE, Integrator.AB2.table(1));
        assertSame(Integrator.AB2_TABLE, Integrator.AB2.table(1000));
        assertSame(Integrator.HEUN_TABLE, Integrator.AB3.table(0));
        assertSame(Integrator.AB2_TABLE, Integrator.AB3.table(1));
        assertSame(Integrator.AB3_TABLE, Integrator.AB3.table(2));
        for (Integrator.Table t : List.of(Integrator.EULER_TABLE, Integrator.HEUN_TABLE, Integrator.RK4_TABLE, Integrator.AB2_TABLE,
                Integrator.AB3_TABLE)) {
            double sum = 0;
            for (float b : t.b) {
                sum += b;
            }
            for (float b : t.beta) {
                sum += b;
            }
            assertEquals(1.0, sum, 1e-6);
        }
    }
}
