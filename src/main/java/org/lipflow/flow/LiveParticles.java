package org.lipflow.flow;

/**
 * The particles after a step, where the engine keeps them, for a listener that measures them in
 * place (the quality monitors): in this JVM ({@link #local()}), or distributed in a form only its
 * engine knows (the Spark engine's RDD of blocks), then {@code local()} is null. Valid only during
 * the call that hands them over.
 */
public interface LiveParticles {
    /** The particles in this JVM (not to be changed or kept), or null when they are distributed. */
    Block local();

    static LiveParticles of(Block particles) {
        return () -> particles;
    }
}
