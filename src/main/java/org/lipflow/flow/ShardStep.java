package org.lipflow.flow;

import org.lipflow.discriminator.LipschitzConstraint;

import java.io.Serializable;

/**
 * What one shard returns from a job of one or more local outer steps, and how shards combine:
 * the discriminator state for parameter averaging, and per local step the move monitors and the
 * divergence estimate weighted by shard size. Merging is associative and commutative up to float
 * rounding; merging an empty step is a no-op.
 */
public final class ShardStep implements Serializable {
    private static final long serialVersionUID = 2L;

    private ParameterAverage average = new ParameterAverage();
    private MoveStats[] moves = new MoveStats[0];
    private double[] weightedDivergence = new double[0];
    private long[] trainedRows = new long[0];

    /** An empty step with room for {@code steps} local steps. */
    public static ShardStep empty(int steps) {
        ShardStep s = new ShardStep();
        s.moves = new MoveStats[steps];
        java.util.Arrays.fill(s.moves, MoveStats.EMPTY);
        s.weightedDivergence = new double[steps];
        s.trainedRows = new long[steps];
        return s;
    }

    /** Records local step i: its move (or null) and the H of its training (NaN if none). */
    public void record(int i, MoveStats moved, double divergence, long rows) {
        if (moved != null) {
            moves[i] = moved;
        }
        if (!Double.isNaN(divergence)) {
            weightedDivergence[i] = divergence * rows;
            trainedRows[i] = rows;
        }
    }

    /** The shard's state after its last training, weighted by its rows. */
    public void finish(DiscriminatorState trained, long rows) {
        if (trained != null) {
            average.add(trained, rows);
        }
    }

    public ShardStep merge(ShardStep o) {
        if (o.moves.length == 0) {
            return this;
        }
        if (moves.length == 0) {
            return o;
        }
        average = average.merge(o.average);
        for (int i = 0; i < moves.length; i++) {
            moves[i] = moves[i].merge(o.moves[i]);
            weightedDivergence[i] += o.weightedDivergence[i];
            trainedRows[i] += o.trainedRows[i];
        }
        return this;
    }

    public int steps() {
        return moves.length;
    }

    public MoveStats move(int i) {
        return moves[i];
    }

    /** The size-weighted mean of the shards' H at local step i (NaN when nothing trained). */
    public double divergence(int i) {
        return trainedRows[i] == 0 ? Double.NaN : weightedDivergence[i] / trainedRows[i];
    }

    public boolean trained() {
        return average.weight() > 0;
    }

    public DiscriminatorState averagedState(LipschitzConstraint constraint) {
        return average.result(constraint);
    }
}
