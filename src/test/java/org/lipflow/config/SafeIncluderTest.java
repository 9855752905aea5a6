package org.lipflow.config;

import com.typesafe.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A configuration file is data: includes of URLs are refused, includes of files only inside allowed trees. */
class SafeIncluderTest {
    @TempDir
    Path tmp;

    private Path write(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    private static IllegalArgumentException refused(Path conf, List<Path> allowed) {
        return assertThrows(IllegalArgumentException.class, () -> LipflowConfig.load(conf.toString(), List.of(), allowed));
    }

    @Test
    void includeUrlIsRefusedWithOneLineAndNothingIsFetched() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + server.getLocalPort() + "/evil.conf";
            for (String include : new String[]{"include url(\"" + url + "\")", "include \"" + url + "\"",
                    "include required(url(\"" + url + "\"))"}) {
                Path conf = write(tmp.resolve("run.conf"), include + "\nflow.steps = 7\n");
                IllegalArgumentException e = refused(conf, List.of());
                assertTrue(e.getMessage().startsWith(conf + ": "), e.getMessage());
                assertTrue(e.getMessage().contains(url) && e.getMessage().contains("network"), e.getMessage());
                assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            }
            server.setSoTimeout(200);
            assertThrows(SocketTimeoutException.class, server::accept, "no connection was made to the URL");
        }
    }

    @Test
    void filesInsideTheConfigurationFilesDirectoryTreeAreIncluded() throws IOException {
        write(tmp.resolve("conf/common/flow.conf"), "flow.steps = 7\n");
        write(tmp.resolve("conf/disc.conf"), "discriminator.steps = 4\n");
        Path conf = write(tmp.resolve("conf/run.conf"), "include \"common/flow.conf\"\ninclude \"disc\"\n"
                + "include file(\"" + tmp.resolve("conf/common/flow.conf") + "\")\nflow.dt = 0.25\n");
        Config c = LipflowConfig.load(conf.toString(), List.of(), List.of());
        assertEquals(7, c.getInt("flow.steps"));
        assertEquals(4, c.getInt("discriminator.steps"));
        assertEquals(0.25, c.getDouble("flow.dt"));
    }

    @Test
    void aFileOutsideTheTreeIsRefusedUnlessItsDirectoryIsAllowed() throws IOException {
        Path outside = write(tmp.resolve("elsewhere/secret.conf"), "flow.steps = 9\n");
        for (String include : new String[]{"include \"../elsewhere/secret.conf\"", "include file(\"" + outside + "\")",
                "include \"" + outside + "\"", "include required(file(\"" + outside + "\"))"}) {
            Path conf = write(tmp.resolve("conf/run.conf"), include + "\n");
            IllegalArgumentException e = refused(conf, List.of());
            assertTrue(e.getMessage().contains("outside the configuration file's directory")
                    && e.getMessage().contains("LIPFLOW_CONFIG_INCLUDE_PATH=" + outside.toRealPath().getParent()), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            assertEquals(9, LipflowConfig.load(conf.toString(), List.of(), List.of(tmp.resolve("elsewhere"))).getInt("flow.steps"),
                    "allowed explicitly: " + include);
        }
    }

    @Test
    void aSymbolicLinkDoesNotLeadOutOfTheTree() throws IOException {
        Path outside = write(tmp.resolve("elsewhere/x.conf"), "flow.steps = 9\n");
        Files.createDirectories(tmp.resolve("conf"));
        Files.createSymbolicLink(tmp.resolve("conf/link.conf"), outside);
        Path conf = write(tmp.resolve("conf/run.conf"), "include \"link.conf\"\n");
        assertTrue(refused(conf, List.of()).getMessage().contains("outside the configuration file's directory"));
    }

    @Test
    void commandLineOverridesIncludeNothing() throws IOException {
        Path f = write(tmp.resolve("x.conf"), "flow.steps = 9\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LipflowConfig.load(null, List.of("flow.dt = 0.5\ninclude file(\"" + f + "\")"), List.of(tmp)));
        assertEquals("--set flow.dt: the value must be one line", e.getMessage());
        // on one line, inside an object value: refused or read as text, never included
        String inline = "flow = { include file(\"" + f + "\") }";
        try {
            Config c = LipflowConfig.load(null, List.of(inline), List.of(tmp));
            assertFalse(c.hasPath("flow.steps") && c.getValue("flow.steps").unwrapped().equals(9), "the override's include was not read");
        } catch (IllegalArgumentException refused) {
            assertFalse(refused.getMessage().contains("\n"), "one line: " + refused.getMessage());
        }
    }
}
