package org.lipflow.engine.spark;

import org.junit.jupiter.api.Test;
import org.lipflow.flow.Block;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A partition's blocks concatenated keep each row's velocity history in its slot (AB on Spark). */
class BlocksHistoryTest {
    @Test
    void concatenationKeepsEveryRowsVelocitiesSlotBySlot() {
        // two slots; block a: rows (1,2), (3,4); block b: row (5,6); history value = 10·slot + coordinate
        Block a = new Block(2, 2, new float[]{1, 2, 3, 4}, null, new long[]{0, 1}, new float[]{1, 2, 3, 4, 11, 12, 13, 14});
        Block b = new Block(1, 2, new float[]{5, 6}, null, new long[]{2}, new float[]{5, 6, 15, 16});
        Block c = Blocks.concatCopy(List.of(a, b).iterator());
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, c.x);
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6, 11, 12, 13, 14, 15, 16}, c.history);
        Block one = Blocks.concatCopy(List.of(a).iterator());
        assertArrayEquals(a.history, one.history);
        assertNotSame(a.history, one.history, "a copy: the cached parent block is never mutated");
        assertNull(Blocks.concatCopy(List.of(new Block(1, 2, new float[]{1, 2}, null, null)).iterator()).history);
    }
}
