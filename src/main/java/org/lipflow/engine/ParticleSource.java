package org.lipflow.engine;

import org.lipflow.data.SyntheticData;
import org.lipflow.flow.Block;

/**
 * Where the initial particles P₀ come from; each engine materialises them where its particles
 * live. A block in this JVM ({@link #of(Block)}), a generated data set ({@link #generated}: the
 * Spark engine generates each partition's rows on its executor), or a distributed source only its
 * engine knows (the Spark engine's RDD of blocks).
 */
public interface ParticleSource {
    int dimension();

    /** M, or −1 when only the engine can count it. */
    long rows();

    /** All particles in this JVM (generated now for a generated source), or null when distributed. */
    Block local();

    static ParticleSource of(Block particles) {
        return new Local(particles);
    }

    static ParticleSource generated(SyntheticData.Spec spec) {
        return new Generated(spec);
    }

    /** Particles held in this JVM. */
    record Local(Block block) implements ParticleSource {
        public Local {
            if (block.rows == 0) {
                throw new IllegalArgumentException("source is empty");
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
        public Block local() {
            return block;
        }
    }

    /** A generated data set, rows identified by their index (the same rows whatever the partitioning). */
    record Generated(SyntheticData.Spec spec) implements ParticleSource {
        @Override
        public int dimension() {
            return spec.effectiveDimension();
        }

        @Override
        public long rows() {
            return spec.n();
        }

        @Override
        public Block local() {
            return SyntheticData.generate(spec);
        }
    }
}
