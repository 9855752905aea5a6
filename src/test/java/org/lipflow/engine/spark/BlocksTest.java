package org.lipflow.engine.spark;

import org.junit.jupiter.api.Test;
import org.lipflow.flow.Block;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class BlocksTest {
    static final Block B = new Block(2, 2, new float[]{1, 2, 3, 4}, new int[]{0, 1}, new long[]{7, 8});
    static final Block C = new Block(1, 2, new float[]{5, 6}, new int[]{1}, new long[]{9});

    @Test
    void aMovableBlockCopiesTheCoordinatesAndSharesIdsAndLabelsWhichNoStepChanges() {
        Block m = Blocks.movable(List.of(B));
        assertNotSame(B.x, m.x, "the step moves the copy; the cached input stays as it was");
        assertArrayEquals(B.x, m.x);
        assertSame(B.ids, m.ids);
        assertSame(B.labels, m.labels);
    }

    @Test
    void severalBlocksOfAPartitionAreConcatenatedInOrder() {
        Block m = Blocks.movable(List.of(B, C));
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, m.x);
        assertArrayEquals(new long[]{7, 8, 9}, m.ids);
        assertArrayEquals(new int[]{0, 1, 1}, m.labels);
        assertSame(B, Blocks.concat(List.of(B)), "a read-only single block is used as it is");
    }
}
