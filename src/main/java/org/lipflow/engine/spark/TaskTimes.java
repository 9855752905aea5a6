package org.lipflow.engine.spark;

import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Where a job's time goes, from Spark's own task metrics: per stage the tasks' wall time on the
 * executor (launch to finish), the part spent running the step (and the CPU time of that part: a task that waits shows less), deserializing the task and
 * serializing its result. Registered by {@link ScaleProbe}; not used by runs.
 */
final class TaskTimes extends SparkListener {
    /** One finished task: stage, launch and finish (ms since epoch), run, CPU, deserialize and result-serialize time (ms). */
    record Task(int stage, long launch, long finish, long run, long cpu, long deserialize, long resultSerialize) {
        long wall() {
            return finish - launch;
        }
    }

    /** The tasks of one stage: the slowest task's wall time, the mean run time, and the spread (slowest − fastest). */
    record Stage(int tasks, double slowest, double meanRun, double meanCpu, double spread, double deserialize, double resultSerialize) {
    }

    private final ConcurrentLinkedQueue<Task> tasks = new ConcurrentLinkedQueue<>();

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
        TaskInfo i = e.taskInfo();
        TaskMetrics m = e.taskMetrics();
        if (i == null || m == null) {
            return;
        }
        tasks.add(new Task(e.stageId(), i.launchTime(), i.finishTime(), m.executorRunTime(), m.executorCpuTime() / 1_000_000, m.executorDeserializeTime(),
                m.resultSerializationTime()));
    }

    void clear() {
        tasks.clear();
    }

    /** The stages seen since the last {@link #clear()}, in stage order. */
    List<Stage> stages() {
        Map<Integer, List<Task>> byStage = new TreeMap<>();
        for (Task t : tasks) {
            byStage.computeIfAbsent(t.stage(), k -> new ArrayList<>()).add(t);
        }
        List<Stage> out = new ArrayList<>();
        for (List<Task> ts : byStage.values()) {
            double slowest = 0, fastest = Double.MAX_VALUE, run = 0, cpu = 0, deser = 0, ser = 0;
            for (Task t : ts) {
                slowest = Math.max(slowest, t.wall());
                fastest = Math.min(fastest, t.wall());
                run += t.run();
                cpu += t.cpu();
                deser += t.deserialize();
                ser += t.resultSerialize();
            }
            int n = ts.size();
            out.add(new Stage(n, slowest, run / n, cpu / n, slowest - fastest, deser / n, ser / n));
        }
        return out;
    }
}
