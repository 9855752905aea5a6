package org.lipflow.engine;

import org.lipflow.flow.Block;
import org.lipflow.flow.FlowOptions;

/**
 * What to run: options, the target samples Q, the initial particles P₀ and the number of classes
 * K (1 for unconditional flows).
 */
public record FlowProblem(FlowOptions options, Block target, Block source, int classes) {
    public FlowProblem {
        if (target.rows == 0) {
            throw new IllegalArgumentException("target is empty");
        }
        if (source.rows == 0) {
            throw new IllegalArgumentException("source is empty");
        }
        if (target.dimension != source.dimension) {
            throw new IllegalArgumentException("dimension mismatch: target has " + target.dimension
                    + " columns, source has " + source.dimension);
        }
        if ((target.labels == null) != (source.labels == null)) {
            throw new IllegalArgumentException("labels: target and source must both have a label column or neither");
        }
    }
}
