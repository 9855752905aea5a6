package org.lipflow.engine;

import org.lipflow.flow.Block;
import org.lipflow.flow.FlowOptions;
import org.lipflow.flow.LabelSampler;

/**
 * What to run, engine-neutral: options, the target samples Q and the initial particles P₀. The
 * target's labels make the flow conditional; {@link #labels()} is how every engine gives the
 * particles theirs.
 */
public record FlowProblem(FlowOptions options, TargetSamples target, ParticleSource source) {
    public FlowProblem {
        if (target.dimension() != source.dimension()) {
            throw new IllegalArgumentException("dimension mismatch: target has " + target.dimension()
                    + " columns, source has " + source.dimension());
        }
    }

    /** Target and particles held in this JVM. */
    public static FlowProblem of(FlowOptions options, Block target, Block source) {
        return new FlowProblem(options, TargetSamples.of(target), ParticleSource.of(source));
    }

    /** K and the particles' labels, from the target's class counts (unconditional without target labels). */
    public LabelSampler labels() {
        return LabelSampler.of(target.classCounts(), options.seed());
    }
}
