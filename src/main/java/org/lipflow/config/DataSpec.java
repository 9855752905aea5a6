package org.lipflow.config;

import org.lipflow.data.SyntheticData;
import org.lipflow.io.ReadOptions;

/** Where a data set comes from: a file read with {@code read}, or a generated data set. */
public record DataSpec(String path, SyntheticData.Spec synthetic, ReadOptions read) {
    public DataSpec {
        if ((path == null) == (synthetic == null)) {
            throw new IllegalArgumentException("a data set needs exactly one of path or synthetic");
        }
    }

    public String describe() {
        return path != null ? path : "synthetic:" + synthetic.name();
    }
}
