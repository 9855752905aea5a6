package org.lipflow.io;

import org.lipflow.flow.StepMetrics;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * metrics.jsonl: one JSON object per step with step, divergence, kinetic_energy, max_speed, spread, millis, and
 * on monitored steps the quality monitors after them (energy_distance, mmd2, sliced_w1, w1_dual, monitor_millis).
 * Each line is flushed as it is written (one small write per outer step).
 */
public final class MetricsLog implements AutoCloseable {
    public static final String FILE = "metrics.jsonl";

    private final BufferedWriter out;

    public MetricsLog(Path dir) throws IOException {
        out = Files.newBufferedWriter(dir.resolve(FILE), StandardCharsets.UTF_8);
    }

    public static String line(StepMetrics m) {
        return line(m, Map.of());
    }

    /** The step's line with further fields after the standard ones (the quality monitors of a monitored step). */
    public static String line(StepMetrics m, Map<String, ?> extra) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("step", m.step());
        o.put("divergence", m.divergence());
        o.put("kinetic_energy", m.kineticEnergy());
        o.put("max_speed", m.maxSpeed());
        o.put("spread", m.spread());
        o.put("millis", m.millis());
        o.putAll(extra);
        return Json.write(o);
    }

    public void write(StepMetrics m) {
        write(m, Map.of());
    }

    /** Writes the step's line with {@code extra} fields after the standard ones. */
    public void write(StepMetrics m, Map<String, ?> extra) {
        try {
            out.write(line(m, extra));
            out.write('\n');
            out.flush(); // a killed run keeps the metrics of every step it finished
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
