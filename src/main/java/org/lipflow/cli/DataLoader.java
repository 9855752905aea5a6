package org.lipflow.cli;

import org.lipflow.config.DataSpec;
import org.lipflow.data.SyntheticData;
import org.lipflow.flow.Block;
import org.lipflow.io.FileSystems;
import org.lipflow.io.Table;
import org.lipflow.io.Tables;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Loads target and source as {@link Table}s and describes them for the manifest. */
public final class DataLoader {
    private DataLoader() {
    }

    static Table load(DataSpec spec) {
        if (spec.path() != null) {
            return Tables.read(spec.path(), spec.read());
        }
        SyntheticData.Spec s = spec.synthetic();
        Block b = SyntheticData.generate(s);
        return new Table(SyntheticData.columns(s), b, b.labels == null ? null : "label");
    }

    /** A generated source takes the target's dimension unless its own is configured. */
    static DataSpec withDimension(DataSpec spec, int d) {
        SyntheticData.Spec s = spec.synthetic();
        return new DataSpec(null, new SyntheticData.Spec(s.name(), s.n(), s.seed(), d, s.mean(), s.std(), s.nu(), s.labels()),
                spec.read());
    }

    static Map<String, Object> describe(DataSpec spec, Table t) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uri", spec.describe());
        m.put("rows", t.block().rows);
        m.put("columns", java.util.List.of(t.columns()));
        m.put("label_column", t.labelColumn());
        if (spec.path() != null) {
            m.put("sha256", FileSystems.sha256(spec.path()));
        } else {
            m.put("synthetic", spec.synthetic().toString());
        }
        return m;
    }
}
