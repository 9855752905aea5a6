package org.lipflow.engine.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lipflow.cli.LogCapture;
import org.lipflow.io.DirectoryOwner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session lipflow starts leaves nothing behind on this machine once stopped: its block-manager
 * files live in a lipflow-owned spark.local.dir that stop removes (and that the next session
 * removes when its process was killed), and the local-cluster work directory of the application
 * (executor logs under $SPARK_HOME/work/app-*) is removed too.
 */
@Tag("cluster")
class SparkSessionsCleanupTest {
    @Test
    void stoppingASessionLipflowStartedRemovesItsLocalAndWorkDirectoriesAndStaleOnesOfKilledRuns() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path stale = Files.createDirectories(tmp.resolve(SparkSessions.LOCAL_DIR_PREFIX + "test-stale-" + gone.pid()));
        Files.writeString(stale.resolve(DirectoryOwner.FILE), "host=" + java.net.InetAddress.getLocalHost().getHostName()
                + "\npid=" + gone.pid() + "\nstarted=\n");
        Files.createDirectories(stale.resolve("blockmgr-x"));
        Path unowned = Files.createDirectories(tmp.resolve(SparkSessions.LOCAL_DIR_PREFIX + "test-unowned-" + gone.pid()));
        SparkTestSession.stop(); // one Spark context per JVM: this test starts its own
        SparkSessions.Handle h;
        try (LogCapture log = new LogCapture()) {
            h = SparkSessions.open("local-cluster[1,1,1024]");
            assertTrue(log.lines().stream().noneMatch(l -> l.contains("loopback") || l.contains("spark.local.dir")), log.lines().toString());
        }
        try {
            assertTrue(h.started());
            assertFalse(Files.exists(stale), "a stale local directory of a killed run is removed");
            assertTrue(Files.exists(unowned), "a directory without an owner file is never touched");
            Path local = h.localDir();
            assertEquals(local.toString(), h.session().sparkContext().getConf().get("spark.local.dir"));
            assertTrue(local.getFileName().toString().startsWith(SparkSessions.LOCAL_DIR_PREFIX) && Files.exists(local.resolve(DirectoryOwner.FILE)));
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(h.session().sparkContext());
            List<Integer> data = IntStream.range(0, 10_000).boxed().toList();
            assertEquals(10_000, sc.parallelize(data, 2).persist(StorageLevel.DISK_ONLY()).count());
            Path work = SparkSessions.workerDir().resolve(sc.sc().applicationId());
            assertTrue(Files.isDirectory(work), "executors run in " + work);
            try (Stream<Path> s = Files.list(local)) {
                assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith("blockmgr-")), "the driver's blocks are under " + local);
            }
            h.stop();
            assertFalse(Files.exists(local), "local directory removed at stop");
            assertFalse(Files.exists(work), "work directory removed at stop");
        } finally {
            if (!h.session().sparkContext().isStopped()) {
                h.stop();
            }
            org.apache.spark.sql.SparkSession.clearActiveSession();
            org.apache.spark.sql.SparkSession.clearDefaultSession();
            Files.deleteIfExists(unowned);
        }
    }
}
