package org.lipflow.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Quality monitors through {@code run}: the fields are on exactly the monitored steps (every
 * {@code monitor.every}-th step and the last; no line for step 0 exists), the last step's values
 * are the eval command's figures of the written particles, monitors.png is written, a resumed run
 * keeps the monitors of the steps before its checkpoint, and the Spark engine with one partition
 * records the in-process values.
 */
class MonitorCliTest {
    static final Pattern FIELD = Pattern.compile("\"(energy_distance|mmd2|sliced_w1|w1_dual|monitor_millis)\":([^,}]*)");

    @TempDir
    Path dir;

    Path dataset(String name, int n, long seed) {
        Path f = dir.resolve(name + "-" + n + "-" + seed + ".csv");
        CliTest.Result r = CliTest.lipflow("datasets", "--name", name, "--n", "" + n, "--seed", "" + seed, "--out", f.toString());
        assertEquals(0, r.code(), r.err());
        return f;
    }

    CliTest.Result run(Path target, Path reference, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("run", "--set", "output.progress=false", "--target", target.toString(), "--format", "csv",
                "--out", out.toString(), "--particles", "150", "--set", "seed=4", "--set", "output.discriminator=false",
                "--set", "monitor.reference=\"" + reference + "\""));
        a.addAll(Arrays.asList(extra));
        return CliTest.lipflow(a.toArray(String[]::new));
    }

    /** step → (field → value) of the lines that have monitor fields; every line's step in {@code steps}. */
    static Map<Integer, Map<String, Double>> monitors(Path out, List<Integer> steps) throws IOException {
        Map<Integer, Map<String, Double>> m = new TreeMap<>();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            Matcher s = Pattern.compile("\"step\":(\\d+)").matcher(line);
            assertTrue(s.find(), line);
            int step = Integer.parseInt(s.group(1));
            steps.add(step);
            Matcher f = FIELD.matcher(line);
            Map<String, Double> v = new TreeMap<>();
            while (f.find()) {
                v.put(f.group(1), Double.parseDouble(f.group(2)));
            }
            if (!v.isEmpty()) {
                m.put(step, v);
            }
            assertTrue(line.indexOf("\"millis\"") < line.indexOf("\"energy_distance\"") || v.isEmpty(),
                    "monitor fields come after the standard ones: " + line);
        }
        return m;
    }

    static double eval(Path particles, Path reference, String field) {
        CliTest.Result r = CliTest.lipflow("eval", "--generated", particles.toString(), "--reference", reference.toString(),
                "--seed", "4");
        assertEquals(0, r.code(), r.err());
        Matcher m = Pattern.compile("\"" + field + "\":([^,}]*)").matcher(r.out());
        assertTrue(m.find(), r.out());
        return Double.parseDouble(m.group(1));
    }

    @Test
    void fieldsAreOnEveryKthAndTheLastStepOnlyAndTheLastEqualsTheEvalOfTheWrittenParticles() throws IOException {
        Path target = dataset("mixture4", 120, 3), reference = dataset("mixture4", 80, 9), out = dir.resolve("out");
        CliTest.Result r = run(target, reference, out, "--steps", "7", "--set", "monitor.every=3", "--set", "monitor.w1=true",
                "--set", "estimate.steps=20");
        assertEquals(0, r.code(), r.err());
        List<Integer> steps = new ArrayList<>();
        Map<Integer, Map<String, Double>> m = monitors(out, steps);
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7), steps);
        assertEquals(List.of(3, 6, 7), new ArrayList<>(m.keySet()), "monitored: multiples of monitor.every, and the last step");
        for (Map<String, Double> v : m.values()) {
            assertEquals(List.of("energy_distance", "mmd2", "monitor_millis", "sliced_w1", "w1_dual"), new ArrayList<>(v.keySet()));
            assertTrue(v.get("energy_distance") > 0 && v.get("mmd2") > 0 && v.get("sliced_w1") > 0 && v.get("w1_dual") > 0, "" + v);
        }
        // all 150 particles are measured (max-rows 2000): the eval command's figures of the written particles
        Path particles = out.resolve("particles.csv");
        assertEquals(eval(particles, reference, "energy_distance"), m.get(7).get("energy_distance"), 1e-6);
        assertEquals(eval(particles, reference, "sliced_w1"), m.get(7).get("sliced_w1"), 1e-6);
        assertTrue(Files.size(out.resolve("monitors.png")) > 1000, "monitors.png written");
        String manifest = Files.readString(out.resolve("manifest.json"));
        assertTrue(manifest.contains("\"monitors\":{\"reference\":") && manifest.contains("\"steps\":[3,6,7]"), manifest);
    }

    @Test
    void everyZeroMeasuresOnlyTheLastStepAndWithoutPlotsNoPngIsWritten() throws IOException {
        Path target = dataset("mixture4", 60, 3), reference = dataset("mixture4", 40, 9), out = dir.resolve("out");
        CliTest.Result r = run(target, reference, out, "--steps", "4", "--set", "monitor.every=0", "--set", "output.plots=false");
        assertEquals(0, r.code(), r.err());
        Map<Integer, Map<String, Double>> m = monitors(out, new ArrayList<>());
        assertEquals(List.of(4), new ArrayList<>(m.keySet()));
        assertFalse(m.get(4).containsKey("w1_dual"), "no W1 dual estimate unless monitor.w1 = true");
        assertFalse(Files.exists(out.resolve("monitors.png")));
    }

    @Test
    void aResumedRunKeepsTheMonitorsOfTheStepsBeforeItsCheckpointAndPlotsThemAll() throws IOException {
        Path target = dataset("mixture4", 60, 3), reference = dataset("mixture4", 40, 9), out = dir.resolve("out");
        CliTest.Result first = run(target, reference, out, "--steps", "4", "--set", "monitor.every=3", "--set",
                "checkpoint.interval=2");
        assertEquals(0, first.code(), first.err());
        Map<Integer, Map<String, Double>> before = monitors(out, new ArrayList<>());
        assertEquals(List.of(3, 4), new ArrayList<>(before.keySet()));
        CliTest.Result again = run(target, reference, out, "--steps", "8", "--set", "monitor.every=3", "--set",
                "checkpoint.interval=2", "--resume");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("resuming from the checkpoint of step 4/8"), again.err());
        Map<Integer, Map<String, Double>> after = monitors(out, new ArrayList<>());
        assertEquals(List.of(3, 4, 6, 8), new ArrayList<>(after.keySet()), "restored steps 3, 4; measured 6, 8");
        assertEquals(before.get(3), after.get(3));
        assertEquals(before.get(4), after.get(4));
        assertTrue(Files.readString(out.resolve("manifest.json")).contains("\"steps\":[3,4,6,8]"), "monitors.png covers them all");
        assertTrue(Files.size(out.resolve("monitors.png")) > 1000);
    }

    @Test
    void aRunStoppedEarlyIsMeasuredAtTheStepItStopped() throws IOException {
        Path target = dataset("mixture4", 100, 3), reference = dataset("mixture4", 40, 9), out = dir.resolve("out");
        CliTest.Result r = CliTest.lipflow("run", "--quiet", "--target", target.toString(), "--source", target.toString(),
                "--format", "csv", "--out", out.toString(), "--steps", "100", "--set", "output.plots=false",
                "--set", "flow.stop.kinetic-energy=1e-4", "--set", "flow.stop.window=5",
                "--set", "monitor.reference=\"" + reference + "\"", "--set", "monitor.every=1000");
        assertEquals(0, r.code(), r.err());
        List<Integer> steps = new ArrayList<>();
        Map<Integer, Map<String, Double>> m = monitors(out, steps);
        int last = steps.get(steps.size() - 1);
        assertTrue(last < 100, "stopped early at " + last);
        assertEquals(List.of(last), new ArrayList<>(m.keySet()), "measured at the step it stopped");
    }

    @Test
    void aLatentRunIsMeasuredInDataSpace() throws IOException {
        Path wide = dir.resolve("wide.csv"), model = dir.resolve("pca"), out = dir.resolve("out");
        StringBuilder s = new StringBuilder("x1,x2,x3\n");
        for (int i = 0; i < 60; i++) {
            s.append(i % 7).append(',').append(i % 5).append(',').append((i % 7) + (i % 5)).append('\n');
        }
        Files.writeString(wide, s.toString());
        CliTest.Result pca = CliTest.lipflow("autoencoder", "--quiet", "--data", wide.toString(), "--out", model.toString(),
                "--set", "latent.type=pca", "--set", "latent.dimension=2");
        assertEquals(0, pca.code(), pca.err());
        CliTest.Result r = run(wide, wide, out, "--steps", "3", "--set", "monitor.every=0",
                "--set", "latent.model=\"" + model + "\"");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of(3), new ArrayList<>(monitors(out, new ArrayList<>()).keySet()));
        // all 150 particles measured, decoded: the eval of the written (decoded) particles against the data-space reference
        assertEquals(eval(out.resolve("particles.csv"), wide, "energy_distance"),
                monitors(out, new ArrayList<>()).get(3).get("energy_distance"), 1e-4);
        assertTrue(Files.readString(out.resolve("manifest.json")).contains("\"space\":\"data"));
    }

    @Test
    @Tag("spark")
    void theSparkEngineWithOnePartitionRecordsTheInProcessMonitors() throws IOException {
        Path target = dataset("mixture4", 60, 3), reference = dataset("mixture4", 40, 9);
        Path local = dir.resolve("local"), spark = dir.resolve("spark");
        CliTest.Result a = run(target, reference, local, "--steps", "5", "--set", "monitor.every=2", "--set", "output.plots=false");
        assertEquals(0, a.code(), a.err());
        CliTest.Result b = run(target, reference, spark, "--steps", "5", "--set", "monitor.every=2", "--set", "output.plots=false",
                "--engine", "spark", "--set", "engine.master=\"local[2]\"", "--set", "engine.partitions=1");
        assertEquals(0, b.code(), b.err());
        Map<Integer, Map<String, Double>> x = monitors(local, new ArrayList<>()), y = monitors(spark, new ArrayList<>());
        assertEquals(List.of(2, 4, 5), new ArrayList<>(y.keySet()));
        for (int step : x.keySet()) {
            for (String k : List.of("energy_distance", "mmd2", "sliced_w1")) {
                double e = x.get(step).get(k);
                assertEquals(e, y.get(step).get(k), 1e-6 * Math.abs(e), k + " at step " + step);
            }
        }
    }
}
