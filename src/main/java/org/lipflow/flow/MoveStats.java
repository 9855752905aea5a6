package org.lipflow.flow;

import java.io.Serializable;

/**
 * Partial sums of the particle monitors over a shard; merging shards adds them. Kinetic energy
 * KE = (1/2M)·Σ|v_i|² is a regularised Fisher information (dD/dt = −2·KE); the max speed must
 * stay ≤ L.
 */
public record MoveStats(double sumSquaredSpeed, double maxSpeed, long rows) implements Serializable {

    public static final MoveStats EMPTY = new MoveStats(0, 0, 0);

    public MoveStats merge(MoveStats o) {
        return new MoveStats(sumSquaredSpeed + o.sumSquaredSpeed, Math.max(maxSpeed, o.maxSpeed), rows + o.rows);
    }

    public double kineticEnergy() {
        return rows == 0 ? 0 : sumSquaredSpeed / (2.0 * rows);
    }
}
