package org.lipflow.engine;

import org.lipflow.flow.Block;
import org.lipflow.flow.DiscriminatorState;

/** The transported particles and the last discriminator. */
public record FlowResult(Block particles, DiscriminatorState discriminator) {
}
