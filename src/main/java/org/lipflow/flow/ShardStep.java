package org.lipflow.flow;

import java.io.Serializable;

/**
 * What one shard returns from a fused step, and how shards combine: the discriminator states
 * for parameter averaging, the move monitors, and the divergence estimate weighted by shard size.
 * Merging is associative and commutative up to float rounding; merging an empty step is a no-op.
 */
public final class ShardStep implements Serializable {
    private static final long serialVersionUID = 1L;

    private ParameterAverage average = new ParameterAverage();
    private MoveStats move = MoveStats.EMPTY;
    private double weightedDivergence;
    private long trainedRows;

    /** A shard's contribution: its trained state (or null), its move (or null) and its H. */
    public static ShardStep of(DiscriminatorState trained, double divergence, MoveStats moved, long rows) {
        ShardStep s = new ShardStep();
        if (trained != null) {
            s.average.add(trained, rows);
            s.weightedDivergence = divergence * rows;
            s.trainedRows = rows;
        }
        if (moved != null) {
            s.move = moved;
        }
        return s;
    }

    public ShardStep merge(ShardStep o) {
        average = average.merge(o.average);
        move = move.merge(o.move);
        weightedDivergence += o.weightedDivergence;
        trainedRows += o.trainedRows;
        return this;
    }

    public MoveStats move() {
        return move;
    }

    /** The size-weighted mean of the shards' H. */
    public double divergence() {
        return trainedRows == 0 ? Double.NaN : weightedDivergence / trainedRows;
    }

    public boolean trained() {
        return trainedRows > 0;
    }

    public DiscriminatorState averagedState(FlowOptions o) {
        return average.result(o);
    }
}
