package org.lipflow.io;

import org.lipflow.flow.Block;

/**
 * The rules for class labels of a conditional flow. A label is an integer in [0, MAX_CLASSES):
 * the discriminator has one output per class (K = 1 + the target's largest label), so a label
 * such as 2,000,000,000 would ask for that many outputs in every layer's last row. Particles
 * must use the target's classes, 0 .. K - 1.
 */
public final class Labels {
    /** The largest number of classes lipflow accepts. */
    public static final int MAX_CLASSES = 10_000;

    private Labels() {
    }

    /** What every reader says about a label it refuses (after file, position and column). */
    static String rule(String got) {
        return "labels must be integers >= 0 and < " + MAX_CLASSES + " (the discriminator has one output per class; at most "
                + MAX_CLASSES + " classes), got " + got;
    }

    /** A label read from CSV text, or -1 when it breaks the rule. */
    static int parse(String s) {
        try {
            int v = Integer.parseInt(s);
            return v >= 0 && v < MAX_CLASSES ? v : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** True for a numeric label (Parquet, Spark columns) that follows the rule. */
    static boolean valid(double v) {
        return v >= 0 && v < MAX_CLASSES && v == Math.rint(v);
    }

    /** The first row of {@code b} whose label is outside [0, classes), or -1 (also for an unlabelled block). */
    public static int firstOutside(Block b, int classes) {
        if (b.labels != null) {
            for (int r = 0; r < b.rows; r++) {
                if (b.labels[r] < 0 || b.labels[r] >= classes) {
                    return r;
                }
            }
        }
        return -1;
    }

    /** The error for a particle label the target has no class for. */
    public static String outsideTarget(String file, String position, int label, int classes) {
        return file + " " + position + ": label " + label + " is not one of the target's classes 0.." + (classes - 1)
                + " (K = " + classes + ", one more than the target's largest label)";
    }

    /** Refuses a block (read on the driver) with a label outside the target's classes; rows count from 1. */
    public static void requireWithin(Block b, int classes, String file) {
        int r = firstOutside(b, classes);
        if (r >= 0) {
            throw new IllegalArgumentException(outsideTarget(file, "row " + (r + 1), b.labels[r], classes));
        }
    }
}
