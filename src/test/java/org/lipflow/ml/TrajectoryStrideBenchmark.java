package org.lipflow.ml;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.lipflow.data.SyntheticData;
import org.lipflow.engine.spark.SparkTestSession;
import org.lipflow.eval.SampleDistances;
import org.lipflow.flow.Block;

/**
 * How close replayed samples come to the trained particles as the trajectory is subsampled: the
 * mixture example (M = N = 200, 500 steps) fitted once, then for strides 1, 2, 5, 10 the energy
 * distance between the trained particles and (a) the replayed training source, (b) sample(1000)
 * of fresh source points; the target as the yardstick. A measurement, not a test: run with
 * {@code -Dtest=TrajectoryStrideBenchmark -Dlipflow.benchmark=true}; prints a Markdown table.
 */
@Tag("spark")
@EnabledIfSystemProperty(named = "lipflow.benchmark", matches = "true")
class TrajectoryStrideBenchmark {

    @Test
    void energyDistanceOfReplayedSamplesByStride() {
        SparkSession spark = SparkTestSession.get("local[2]");
        Block target = SyntheticData.generate(ParticleFlowTest.TARGET);
        ParticleFlowModel model = ParticleFlowTest.mixture().fit(MlFrames.vectors(spark, target));
        Block trained = MlFrames.block(model.particles().orderBy("id"), "features");
        Block source = SyntheticData.generate(new SyntheticData.Spec("gaussian", 200, 100, 2, 0, 0.5, 0.5, false));
        StringBuilder table = new StringBuilder("| stride | fields | ED(replayed source, particles) | max |replayed - particle| "
                + "| ED(sample(1000), particles) | ED(sample(1000), target) |\n|---|---|---|---|---|---|\n");
        for (int stride : new int[]{1, 2, 5, 10}) {
            ParticleFlowModel m = model.withTrajectoryStride(stride);
            Block replayed = MlFrames.block(m.transform(MlFrames.vectors(spark, source)), "transported");
            double maxDiff = 0;
            for (int i = 0; i < replayed.x.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(replayed.x[i] - trained.x[i]));
            }
            Block sample = MlFrames.block(m.sample(1000, 7), "features");
            table.append(String.format("| %d | %d | %.2e | %.2e | %.4f | %.4f |%n", stride, m.trajectory().fields(),
                    SampleDistances.compare(replayed, trained, 1).energyDistance(), maxDiff,
                    SampleDistances.compare(sample, trained, 1).energyDistance(),
                    SampleDistances.compare(sample, target, 1).energyDistance()));
        }
        table.append(String.format("%nED(trained particles, target) = %.4f%n",
                SampleDistances.compare(trained, target, 1).energyDistance()));
        System.out.println(table);
    }
}
