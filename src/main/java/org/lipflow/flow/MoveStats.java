package org.lipflow.flow;

import java.io.Serializable;

/**
 * Partial sums of the particle monitors over a shard; merging shards adds them. Kinetic energy
 * KE = (1/2M)·Σ|v_i|² is a regularised Fisher information (dD/dt = −2·KE); the max speed must
 * stay ≤ L. A class, not a record: Spark may ship it with Kryo, which cannot build records.
 */
public final class MoveStats implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final MoveStats EMPTY = new MoveStats(0, 0, 0);

    private double sumSquaredSpeed;
    private double maxSpeed;
    private long rows;

    public MoveStats(double sumSquaredSpeed, double maxSpeed, long rows) {
        this.sumSquaredSpeed = sumSquaredSpeed;
        this.maxSpeed = maxSpeed;
        this.rows = rows;
    }

    public MoveStats merge(MoveStats o) {
        return new MoveStats(sumSquaredSpeed + o.sumSquaredSpeed, Math.max(maxSpeed, o.maxSpeed), rows + o.rows);
    }

    public double sumSquaredSpeed() {
        return sumSquaredSpeed;
    }

    public double maxSpeed() {
        return maxSpeed;
    }

    public long rows() {
        return rows;
    }

    public double kineticEnergy() {
        return rows == 0 ? 0 : sumSquaredSpeed / (2.0 * rows);
    }
}
