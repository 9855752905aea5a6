package org.lipflow.engine;

import org.lipflow.flow.Block;
import org.lipflow.flow.LabelSampler;

/**
 * The target Q as an engine receives it: whole in this JVM ({@link #of(Block)}), or distributed
 * in a form only its engine knows (the Spark engine's co-partitioned target). Every engine reads
 * the same facts from it: dimension, rows and the class counts the particles' labels are drawn from.
 */
public interface TargetSamples {
    int dimension();

    long rows();

    /** Rows per class (K = length), or null for an unlabelled target. */
    long[] classCounts();

    /** The whole target in this JVM, or null when it is distributed. */
    Block local();

    static TargetSamples of(Block target) {
        return new Local(target);
    }

    /** A target held in this JVM. */
    record Local(Block block) implements TargetSamples {
        public Local {
            if (block.rows == 0) {
                throw new IllegalArgumentException("target is empty");
            }
        }

        @Override
        public int dimension() {
            return block.dimension;
        }

        @Override
        public long rows() {
            return block.rows;
        }

        @Override
        public long[] classCounts() {
            return LabelSampler.counts(block.labels);
        }

        @Override
        public Block local() {
            return block;
        }
    }
}
