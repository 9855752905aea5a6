package org.lipflow.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigOrigin;

/**
 * Which layer of the configuration gave a key its value, in precedence order: lipflow's defaults,
 * a configuration file, or the command line (flags and {@code --set}). Rules that must tell
 * "left at its default" from "asked for" read it from the value's origin.
 */
enum KeyOrigin {
    DEFAULTS, FILE, COMMAND_LINE;

    static KeyOrigin of(Config c, String key) {
        ConfigOrigin o = c.getValue(key).origin();
        if (o.resource() != null && o.resource().equals(LipflowConfig.DEFAULTS)) {
            return DEFAULTS;
        }
        return o.filename() != null || o.url() != null || o.resource() != null ? FILE : COMMAND_LINE;
    }

    /** True when the key was set by the user (a file or the command line), not left at its default. */
    static boolean explicit(Config c, String key) {
        return of(c, key) != DEFAULTS;
    }

    /**
     * A generated data set's size ({@code section.n}, {@code --particles} for the source) is
     * meaningless for a file, whose rows are the data set. Refused when it was set at the same or a
     * later layer than the file's path (a run file's n for its own generated source is replaced
     * together with that source by a {@code --source} on the command line).
     */
    static void requireNoSizeWithFile(Config c, String section) {
        KeyOrigin n = of(c, section + ".n");
        if (n != DEFAULTS && n.compareTo(of(c, section + ".path")) >= 0) {
            String flag = section.equals("source") ? "--particles / " : "";
            throw new IllegalArgumentException(flag + section + ".n = " + c.getValue(section + ".n").unwrapped() + " sizes a generated "
                    + section + ", but " + section + ".path = '" + c.getString(section + ".path") + "' is a file whose rows are the "
                    + section + ": drop " + flag + section + ".n or " + section + ".path");
        }
    }
}
