package org.lipflow.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker/Dockerfile and docker/compose.yaml name only what exists: the files the image copies, the
 * job jar's name, a base image of the Spark version lipflow is built against, the Spark and lipflow
 * main classes the services run, the image paths they use (/opt/lipflow/X is the repository's X) and
 * the CLI flags of the submitted command. The image itself is built where a container runtime and
 * the base image are available (README "Docker").
 */
class DockerFilesTest {
    static final String DOCKERFILE = "docker/Dockerfile";
    static final String COMPOSE = "docker/compose.yaml";
    private static final Pattern IMAGE_PATH = Pattern.compile("/opt/lipflow/([\\w./-]*\\w)");

    @Test
    void theDockerfileCopiesExistingFilesAndNamesTheBuiltJar() throws Exception {
        String text = DeploymentFiles.read(DOCKERFILE);
        Matcher base = Pattern.compile("ARG SPARK_IMAGE=apache/spark:([0-9.]+)-scala2\\.12-java17-ubuntu").matcher(text);
        assertTrue(base.find(), "the official Spark image for Java 17 and Scala 2.12");
        String pom = DeploymentFiles.read("pom.xml");
        assertTrue(pom.contains("<spark.version>" + base.group(1) + "</spark.version>"),
                "the image's Spark " + base.group(1) + " is the one lipflow is built against");
        assertTrue(text.contains("FROM ${SPARK_IMAGE}"));

        List<String> sources = new ArrayList<>();
        for (Matcher m = Pattern.compile("(?m)^COPY\\s+(?:--\\S+\\s+)*(.+)\\s+(\\S+)$").matcher(text); m.find(); ) {
            for (String src : m.group(1).trim().split("\\s+")) {
                sources.add(src);
                if (!src.startsWith("target/")) { // built by `mvn package`, which the test run may precede
                    assertTrue(Files.exists(Path.of(src)), DOCKERFILE + " copies " + src + ", which does not exist");
                }
            }
        }
        String jar = DeploymentFiles.jobJarName();
        assertEquals(List.of("target/" + jar, "conf/", "jobs/"), sources, "the job jar, conf/ and jobs/");
        assertTrue(DeploymentFiles.assertJobJarNames(DOCKERFILE, text) >= 2, "copied and named in LIPFLOW_JOB_JAR");
        assertTrue(text.contains("LIPFLOW_JOB_JAR=/opt/lipflow/target/" + jar));
        assertImagePaths(DOCKERFILE, text);
        DeploymentFiles.assertRepoPaths(DOCKERFILE, text);
    }

    @Test
    void composeRunsAMasterTwoWorkersAndASubmitOfExistingThings() throws Exception {
        String text = DeploymentFiles.read(COMPOSE);
        for (String service : List.of("master", "worker-1", "worker-2", "submit")) {
            assertTrue(Pattern.compile("(?m)^  " + service + ":$").matcher(text).find(), "service " + service);
        }
        Matcher dockerfile = Pattern.compile("context: (\\S+)\\s+dockerfile: (\\S+)").matcher(text);
        assertTrue(dockerfile.find());
        assertTrue(Files.isRegularFile(Path.of("docker").resolve(dockerfile.group(1)).resolve(dockerfile.group(2)).normalize()),
                "the build context and Dockerfile exist");
        for (String mainClass : List.of("org.apache.spark.deploy.master.Master", "org.apache.spark.deploy.worker.Worker")) {
            assertTrue(text.contains("\"" + mainClass + "\""));
            Class.forName(mainClass, false, getClass().getClassLoader());
        }
        assertTrue(text.contains("\"--host\", \"master\", \"--port\", \"7077\""));
        assertEquals(3, text.split("spark://master:7077", -1).length - 1, "both workers and the driver use the master's URL");
        assertImagePaths(COMPOSE, text);

        Matcher submit = Pattern.compile("command: \\[\"(run)\",(.*?)\\]", Pattern.DOTALL).matcher(text);
        assertTrue(submit.find(), "the submit service runs lipflow run");
        Set<String> options = DeploymentFiles.options(submit.group(1));
        List<String> flags = new ArrayList<>();
        for (Matcher f = Pattern.compile("\"(--[a-z][\\w-]*)\"").matcher(submit.group(2)); f.find(); ) {
            assertTrue(options.contains(f.group(1)), "lipflow run has no option " + f.group(1));
            flags.add(f.group(1));
        }
        assertTrue(flags.containsAll(List.of("--engine", "--out")), flags.toString());
    }

    /** /opt/lipflow/X in the image is the repository's X (target/ is built by mvn package). */
    private static void assertImagePaths(String what, String text) throws Exception {
        for (Matcher m = IMAGE_PATH.matcher(text); m.find(); ) {
            String p = m.group(1);
            if (p.equals("home") || p.startsWith("target/")) {
                assertTrue(!p.startsWith("target/") || p.equals("target/" + DeploymentFiles.jobJarName()), what + ": " + p);
                continue;
            }
            assertTrue(Files.exists(Path.of(p)), what + " names /opt/lipflow/" + p + ", but the repository has no " + p);
        }
    }
}
