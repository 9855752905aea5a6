package org.lipflow.cli;

import org.lipflow.config.DataSpec;
import org.lipflow.data.SyntheticData;
import org.lipflow.flow.Block;
import org.lipflow.io.FileSystems;
import org.lipflow.io.Labels;
import org.lipflow.io.Table;
import org.lipflow.io.Tables;
import org.lipflow.util.Rng;

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

    /**
     * The particles' labels of a conditional flow. A labelled target: an unlabelled source draws
     * each particle's class from the target's labels ({@link #labelLike}); a labelled source must
     * use the target's classes 0..K-1. An unlabelled target: the source must be unlabelled too
     * (its labels would select classes the discriminator does not have).
     */
    static Block sourceLabels(Block target, Block source, DataSpec sourceSpec, long seed) {
        if (target.labels == null) {
            if (source.labels != null) {
                throw new IllegalArgumentException(unlabelledTarget(sourceSpec));
            }
            return source;
        }
        if (source.labels == null) {
            return labelLike(source, target, seed);
        }
        Labels.requireWithin(source, classes(target.labels), sourceSpec.describe());
        return source;
    }

    /** The error for a labelled source with an unlabelled target, and how to fix it. */
    static String unlabelledTarget(DataSpec source) {
        String fix = source.path() != null
                ? "remove the source's label column '" + source.read().labelColumn() + "', or set source.label-column = \"\" and "
                        + "list the source's feature columns in source.features"
                : "set source.labels = false";
        return "source " + source.describe() + " has labels but the target has none: labels select the class of a "
                + "conditional flow, which needs a labelled target; label the target, or " + fix;
    }

    /** K: one more than the largest label of any of the arrays given; 1 without labels. */
    static int classes(int[]... labelArrays) {
        int max = -1;
        for (int[] labels : labelArrays) {
            if (labels != null) {
                for (int l : labels) {
                    max = Math.max(max, l);
                }
            }
        }
        return Math.max(1, max + 1);
    }

    /**
     * Labels for an unlabelled source when the target is labelled (conditional flow): each
     * particle draws its class from the target's empirical label distribution.
     */
    public static Block labelLike(Block source, Block target, long seed) {
        int[] labels = new int[source.rows];
        long stream = Rng.stream(seed, Rng.SOURCE, 7);
        for (int i = 0; i < labels.length; i++) {
            long id = source.ids == null ? i : source.ids[i]; // by particle id: the same whatever the partitioning
            labels[i] = target.labels[Rng.index(stream, id, target.rows)];
        }
        return new Block(source.rows, source.dimension, source.x, labels, source.ids);
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
