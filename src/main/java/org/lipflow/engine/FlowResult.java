package org.lipflow.engine;

import org.lipflow.flow.DiscriminatorState;

/** The transported particles and the last discriminator. */
public record FlowResult(Particles particles, DiscriminatorState discriminator) {
}
