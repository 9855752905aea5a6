package org.lipflow.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What deployment files outside the Java build (the Airflow DAG, the Dockerfile, compose.yaml)
 * may name, checked against the build itself: the job jar's file name (from pom.xml), lipflow's
 * classes, the repository's files, and the CLI's real options (picocli's model of {@link Main}).
 */
final class DeploymentFiles {
    private static final Pattern JOB_JAR = Pattern.compile("[\\w.-]+-job\\.jar");
    private static final Pattern LIPFLOW_CLASS = Pattern.compile("org\\.lipflow(\\.[A-Za-z_]\\w*)+");
    /** Repository paths as files name them: under conf/, jobs/ or docker/, or the job jar under target/. */
    private static final Pattern REPO_PATH = Pattern.compile("(?<![\\w.-])(conf|jobs|docker)/[\\w./-]*[\\w]");

    private DeploymentFiles() {
    }

    static String read(String path) throws IOException {
        return Files.readString(Path.of(path));
    }

    /** {@code <artifactId>-<version>-job.jar}, the shade plugin's name for the job jar. */
    static String jobJarName() throws IOException {
        String pom = read("pom.xml");
        String project = pom.substring(pom.indexOf("<modelVersion>"));
        return first(project, "<artifactId>([^<]+)</artifactId>") + "-" + first(project, "<version>([^<]+)</version>") + "-job.jar";
    }

    private static String first(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex);
        return m.group(1);
    }

    /** Every job jar the text names is the one the build makes; returns how many names it found. */
    static int assertJobJarNames(String what, String text) throws IOException {
        String expected = jobJarName();
        int n = 0;
        for (Matcher m = JOB_JAR.matcher(text); m.find(); n++) {
            assertEquals(expected, m.group(), what + " names the job jar the build makes");
        }
        return n;
    }

    /** Every org.lipflow class the text names exists; returns the names. */
    static List<String> assertLipflowClasses(String what, String text) {
        List<String> names = new ArrayList<>();
        for (Matcher m = LIPFLOW_CLASS.matcher(text); m.find(); ) {
            String name = m.group();
            try {
                Class.forName(name, false, DeploymentFiles.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                fail(what + " names class " + name + ", which does not exist");
            }
            names.add(name);
        }
        return names;
    }

    /** Every conf/, jobs/ or docker/ path the text names exists in the repository; returns them. */
    static List<String> assertRepoPaths(String what, String text) {
        List<String> paths = new ArrayList<>();
        for (Matcher m = REPO_PATH.matcher(text); m.find(); ) {
            assertTrue(Files.exists(Path.of(m.group())), what + " names " + m.group() + ", which does not exist");
            paths.add(m.group());
        }
        return paths;
    }

    /** The long option names of a lipflow command ({@code run}, {@code autoencoder}, ...). */
    static Set<String> options(String command) {
        CommandLine sub = new CommandLine(new Main()).getSubcommands().get(command);
        assertTrue(sub != null, "lipflow has a command " + command);
        return sub.getCommandSpec().optionsMap().keySet();
    }
}
