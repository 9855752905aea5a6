package org.lipflow.engine.spark;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shaded job jar through spark-submit, as a cluster runs it: a fresh JVM whose class path is
 * only Spark and Hadoop (what a Spark distribution provides), SparkSubmit from that class path,
 * and lipflow, ND4J and DL4J only from the job jar.
 */
@Tag("cluster")
class SparkSubmitIT {
    @TempDir
    Path dir;

    @Test
    void jobJarRunsUnderSparkSubmitAndWritesItsOutput() throws Exception {
        Path out = dir.resolve("submitted");
        String log = submit("run", "conf/examples/gaussian-mixture.conf", "--engine", "spark", "--steps", "20", "--out",
                out.toString(), "--quiet");
        assertTrue(Files.isDirectory(out.resolve("particles.parquet")), log);
        assertTrue(Files.exists(out.resolve("particles.parquet/_SUCCESS")));
        assertEquals(20, Files.readAllLines(out.resolve("metrics.jsonl")).size());
        assertTrue(Files.size(out.resolve("discriminator.zip")) > 1000, "ND4J/DL4J from the job jar wrote the model");
    }

    /** DL4J Spark (dl4j-spark and what it needs, without Spark) comes from the job jar. */
    @Test
    void theAutoencoderTrainsWithDl4jSparkUnderSparkSubmit() throws Exception {
        StringBuilder csv = new StringBuilder("a,b,c,d\n");
        for (int r = 0; r < 200; r++) {
            double t = r / 20.0;
            csv.append(Math.sin(t)).append(',').append(Math.cos(t)).append(',').append(t / 10).append(',').append(Math.sin(2 * t))
                    .append('\n');
        }
        Path data = dir.resolve("data.csv");
        Files.writeString(data, csv);
        Path out = dir.resolve("model");
        String log = submit("autoencoder", "--data", data.toString(), "--out", out.toString(), "--engine", "spark", "--quiet",
                "--set", "latent.dimension=2", "--set", "latent.epochs=2", "--set", "latent.hidden=[8]");
        for (String f : List.of("encoder.zip", "decoder.zip", "latent.json", "manifest.json", "loss.png")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f + "\n" + log);
        }
    }

    /**
     * Runs the job jar through SparkSubmit on local[2] with conf/spark-defaults.conf; returns its log
     * after asserting exit code 0.
     */
    private String submit(String... args) throws Exception {
        Path jar = Path.of(System.getProperty("lipflow.jobJar"));
        assertTrue(Files.isRegularFile(jar), "job jar built: " + jar);
        String sparkClassPath = Files.readString(Path.of("target/provided-classpath.txt")).strip();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(SparkSessions.JAVA_OPTIONS.split(" ")));
        cmd.addAll(List.of("-Dlog4j2.configurationFile=" + new File("conf/log4j2.properties").getAbsolutePath(),
                "-cp", sparkClassPath, "org.apache.spark.deploy.SparkSubmit",
                "--master", "local[2]", "--class", "org.lipflow.cli.Main", "--conf", "spark.ui.enabled=false",
                // Kryo with lipflow's registrator, as jobs/submit.sh submits (DL4J Spark checks that INDArrays survive it)
                "--properties-file", new File("conf/spark-defaults.conf").getAbsolutePath(),
                jar.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "spark-submit finished");
        String log = Files.readString(dir.resolve("log.txt"));
        assertEquals(0, p.exitValue(), log);
        return log;
    }
}
