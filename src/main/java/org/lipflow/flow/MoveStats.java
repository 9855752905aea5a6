package org.lipflow.flow;

import java.io.Serializable;

/**
 * Partial sums of the particle monitors over a shard; merging shards adds them. Kinetic energy
 * KE = (1/2M)·Σ|v_i|² is a regularised Fisher information (dD/dt = −2·KE); the max speed must
 * stay ≤ L. The spread (RMS distance of the particles from the target's mean) is what the blow-up
 * guard watches. A class, not a record: Spark may ship it with Kryo, which cannot build records.
 */
public final class MoveStats implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final MoveStats EMPTY = new MoveStats(0, 0, 0, 0);

    private double sumSquaredSpeed;
    private double maxSpeed;
    private double sumSquaredDistance;
    private long rows;

    /**
     * @param sumSquaredDistance Σ|Y_i − mean(Q)|² after the move
     */
    public MoveStats(double sumSquaredSpeed, double maxSpeed, double sumSquaredDistance, long rows) {
        this.sumSquaredSpeed = sumSquaredSpeed;
        this.maxSpeed = maxSpeed;
        this.sumSquaredDistance = sumSquaredDistance;
        this.rows = rows;
    }

    public MoveStats merge(MoveStats o) {
        return new MoveStats(sumSquaredSpeed + o.sumSquaredSpeed, Math.max(maxSpeed, o.maxSpeed),
                sumSquaredDistance + o.sumSquaredDistance, rows + o.rows);
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

    /** RMS distance of the moved particles from the target's mean. */
    public double spread() {
        return rows == 0 ? 0 : Math.sqrt(sumSquaredDistance / rows);
    }

    public double kineticEnergy() {
        return rows == 0 ? 0 : sumSquaredSpeed / (2.0 * rows);
    }
}
