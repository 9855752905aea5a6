package org.lipflow.cli;

import org.lipflow.config.DataSpec;
import org.lipflow.data.SyntheticData;
import org.lipflow.flow.Block;
import org.lipflow.io.FileSystems;
import org.lipflow.io.IdxFiles;
import org.lipflow.io.Labels;
import org.lipflow.io.Table;
import org.lipflow.io.Tables;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Loads target and source as {@link Table}s and describes them for the manifest. */
public final class DataLoader {
    private DataLoader() {
    }

    /**
     * Loads the data set of the keys {@code <prefix>.*} (target, source): a bad-input error of its
     * file names {@code <prefix>.path} (or {@code .labels-path}) as well as the file.
     */
    static Table load(String prefix, DataSpec spec) {
        return new InputFiles().data(prefix, spec).read(() -> load(spec));
    }

    static Table load(DataSpec spec) {
        if (spec.path() != null) {
            return Tables.read(spec.path(), spec.read());
        }
        SyntheticData.Spec s = spec.synthetic();
        Block b;
        try {
            b = SyntheticData.generate(s);
        } catch (SyntheticData.InvalidSpec e) {
            throw new IllegalArgumentException(spec.describe() + ": " + e.field() + " " + e.rule());
        }
        return new Table(SyntheticData.columns(s), b, b.labels == null ? null : "label");
    }

    /** A generated source takes the target's dimension unless its own is configured. */
    static DataSpec withDimension(DataSpec spec, int d) {
        SyntheticData.Spec s = spec.synthetic();
        return new DataSpec(null, new SyntheticData.Spec(s.name(), s.n(), s.seed(), d, s.mean(), s.std(), s.nu(), s.labels()),
                spec.read());
    }

    /**
     * A labelled source file must use the target's classes 0..K-1 (the error names the file, row
     * and label); an unlabelled target cannot take a labelled source (its labels would select
     * classes the discriminator does not have). Unlabelled particles of a conditional flow get
     * their classes from the engine's {@link org.lipflow.flow.LabelSampler}.
     */
    static void checkLabels(Block source, long[] targetClassCounts, DataSpec sourceSpec) {
        if (source.labels == null) {
            return;
        }
        if (targetClassCounts == null) {
            throw new IllegalArgumentException(unlabelledTarget(sourceSpec));
        }
        Labels.requireWithin(source, targetClassCounts.length, InputFiles.named("source", sourceSpec));
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

    static Map<String, Object> describe(DataSpec spec, Table t) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uri", spec.describe());
        m.put("rows", t.block().rows);
        m.put("columns", java.util.List.of(t.columns()));
        m.put("label_column", t.labelColumn());
        if (t.ids() != null) {
            m.put("id_column", t.ids().name());
        }
        if (spec.path() != null) {
            m.put("sha256", FileSystems.sha256(spec.path()));
            String labels = spec.read().formatOf(spec.path()).equals("idx") ? IdxFiles.labelsFile(spec.path(), spec.read()) : null;
            if (labels != null) {
                Map<String, Object> file = new LinkedHashMap<>();
                file.put("uri", labels);
                file.put("sha256", FileSystems.sha256(labels));
                m.put("labels_file", file);
            }
        } else {
            m.put("synthetic", spec.synthetic().toString());
        }
        return m;
    }
}
