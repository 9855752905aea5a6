package org.lipflow.engine.spark;

import org.apache.spark.api.java.function.Function;
import org.lipflow.flow.Block;
import org.lipflow.flow.LabelSampler;

/**
 * Gives each partition's particles their labels on the executor. Ships only the
 * {@link LabelSampler} (K + 1 longs), never the target.
 */
final class AttachLabels implements Function<Block, Block> {
    private static final long serialVersionUID = 1L;

    private final LabelSampler labels;

    AttachLabels(LabelSampler labels) {
        this.labels = labels;
    }

    @Override
    public Block call(Block b) {
        return labels.attach(b);
    }
}
