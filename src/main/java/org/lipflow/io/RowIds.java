package org.lipflow.io;

import java.io.Serializable;

/**
 * The id side column of one partition of a distributed source: the particles' numeric ids (as
 * their blocks carry them) and the source's id text of each, so the writer can put the text next
 * to the transported rows without the flow ever carrying it.
 *
 * @param ids    the block's particle ids
 * @param values the id-column text of each, aligned with {@code ids}
 */
public record RowIds(long[] ids, String[] values) implements Serializable {
    public RowIds {
        if (ids.length != values.length) {
            throw new IllegalArgumentException(values.length + " ids for " + ids.length + " rows");
        }
    }
}
