package org.lipflow.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderClasspath;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigIncluderURL;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseable;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * HOCON {@code include} for configuration files that are data: a configuration file must not
 * fetch content from the network or read files it was not meant to.
 * <ul>
 *   <li>{@code include url(...)}, and a plain {@code include "..."} that names a URL, are refused;</li>
 *   <li>{@code include "name"} and {@code include file("path")} are allowed only for files inside
 *       an allowed directory tree: the configuration file's own directory, and the directories the
 *       caller allows explicitly ({@code LIPFLOW_CONFIG_INCLUDE_PATH} on the command line). Paths
 *       are compared after resolving {@code ..} and symbolic links;</li>
 *   <li>{@code include classpath(...)} reads lipflow's own class path (not user data) and is allowed.</li>
 * </ul>
 * Text that is not a file (a {@code --set} override) may include nothing. A refusal is a
 * {@link ConfigException} whose one-line message names the include and the rule.
 */
final class SafeIncluder implements ConfigIncluder, ConfigIncluderFile, ConfigIncluderURL, ConfigIncluderClasspath {
    /** Extensions HOCON tries for an include without one. */
    private static final String[] EXTENSIONS = {"", ".conf", ".json", ".properties"};

    private final List<Path> roots;
    private final ConfigIncluder fallback;

    /** @param roots directories whose trees files may be included from (real paths); empty = no file includes */
    SafeIncluder(List<Path> roots) {
        this(roots, null);
    }

    private SafeIncluder(List<Path> roots, ConfigIncluder fallback) {
        this.roots = List.copyOf(roots);
        this.fallback = fallback;
    }

    /** The real paths of {@code dirs} that exist (a missing directory allows nothing). */
    static List<Path> realDirectories(List<Path> dirs) {
        List<Path> out = new ArrayList<>();
        for (Path d : dirs) {
            try {
                out.add(d.toRealPath());
            } catch (IOException e) {
                // not there: nothing can be included from it
            }
        }
        return out;
    }

    @Override
    public ConfigIncluder withFallback(ConfigIncluder fallback) {
        return this.fallback == fallback ? this : new SafeIncluder(roots, fallback);
    }

    @Override
    public ConfigObject include(ConfigIncludeContext context, String what) {
        if (looksLikeUrl(what)) {
            throw refused(context, "include \"" + what + "\"", "names a URL; a configuration file must not fetch content "
                    + "from the network (include a local file instead)");
        }
        File base = directoryOf(context);
        if (base == null && !new File(what).isAbsolute()) {
            throw refused(context, "include \"" + what + "\"", "is not allowed here (only a configuration file may include "
                    + "files, relative to its own directory)");
        }
        File f = new File(what).isAbsolute() ? new File(what) : new File(base, what);
        for (String ext : EXTENSIONS) {
            check(context, "include \"" + what + "\"", new File(f.getPath() + ext));
        }
        return fallback.include(context, what);
    }

    @Override
    public ConfigObject includeFile(ConfigIncludeContext context, File what) {
        check(context, "include file(\"" + what + "\")", what);
        if (directoryOf(context) == null && roots.isEmpty()) {
            throw refused(context, "include file(\"" + what + "\")", "is not allowed here (only a configuration file may include files)");
        }
        return ((ConfigIncluderFile) fallback).includeFile(context, what);
    }

    @Override
    public ConfigObject includeURL(ConfigIncludeContext context, URL what) {
        throw refused(context, "include url(\"" + what + "\")", "is refused; a configuration file must not fetch content from "
                + "the network (include a local file instead)");
    }

    @Override
    public ConfigObject includeResources(ConfigIncludeContext context, String what) {
        return ((ConfigIncluderClasspath) fallback).includeResources(context, what);
    }

    /** Refuses {@code f} (when it exists) outside every allowed directory tree. */
    private void check(ConfigIncludeContext context, String include, File f) {
        Path p = f.toPath().toAbsolutePath().normalize();
        if (!Files.exists(p)) {
            return; // nothing would be read from it
        }
        Path real;
        try {
            real = p.toRealPath();
        } catch (IOException e) {
            return;
        }
        for (Path root : roots) {
            if (real.startsWith(root)) {
                return;
            }
        }
        throw refused(context, include, "reads " + real + ", outside the configuration file's directory"
                + (roots.size() > 1 ? " and the allowed directories " + roots.subList(1, roots.size()) : "")
                + "; allow its directory with LIPFLOW_CONFIG_INCLUDE_PATH=" + real.getParent());
    }

    /** The directory of the file being parsed, or null for text that is not a file. */
    private static File directoryOf(ConfigIncludeContext context) {
        ConfigParseable self = context.relativeTo(".");
        if (self == null || self.origin() == null || self.origin().filename() == null) {
            return null;
        }
        return new File(self.origin().filename()).getAbsoluteFile(); // the directory itself: "dir/."
    }

    private static boolean looksLikeUrl(String what) {
        try {
            new URL(what);
            return true;
        } catch (MalformedURLException e) {
            return what.matches("^[A-Za-z][A-Za-z0-9+.\\-]*://.*");
        }
    }

    private static ConfigException refused(ConfigIncludeContext context, String include, String rule) {
        return new ConfigException.Generic(include + " " + rule);
    }
}
