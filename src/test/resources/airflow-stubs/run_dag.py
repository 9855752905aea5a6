"""Imports jobs/airflow/lipflow_dag.py against the stand-in Airflow next to this file and prints, as
one JSON object, what the DAG builds and how its tasks behave (AirflowDagTest checks it):
  tasks: task id -> the SparkSubmitOperator arguments (or "python" for the manifest check)
  edges: [upstream, downstream] pairs
  exit:  spark-submit exit code -> "fail" (AirflowFailException: no retry) or "retry"
  manifest: the manifest check's result for a finished run, and "fail" for non-finite monitors
Usage: python3 run_dag.py DAG_FILE MANIFEST_DIR"""
import importlib.util
import json
import os
import sys

from airflow.exceptions import AirflowException, AirflowFailException
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

dag_file, work = sys.argv[1], sys.argv[2]
os.environ["LIPFLOW_OUTPUT"] = work
spec = importlib.util.spec_from_file_location("lipflow_dag", dag_file)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
dag = module.dag

out = {"dag_id": dag.dag_id, "default_args": {k: str(v) for k, v in dag.kwargs["default_args"].items()},
       "tasks": {}, "edges": [], "exit": {}, "manifest": {}}
for tid, t in dag.tasks.items():
    out["tasks"][tid] = ({k: v for k, v in t.kwargs.items()} | {"operator": type(t).__name__}
                         if isinstance(t, SparkSubmitOperator) else "python")
    out["edges"] += [[tid, d.task_id] for d in t.downstream]

flow = dag.tasks["flow"]
for code in (1, 2, 3, 143):
    SparkSubmitOperator.exit_code = code
    try:
        flow.execute({})
        out["exit"][str(code)] = "success"
    except AirflowFailException:
        out["exit"][str(code)] = "fail"
    except AirflowException:
        out["exit"][str(code)] = "retry"
SparkSubmitOperator.exit_code = 0

check = dag.tasks["check_manifest"].function
ds = "2026-01-02"
os.makedirs(f"{work}/particles/dt={ds}")
manifest = {"command": "run", "seed": 0, "particles_file": "particles.csv",
            "final": {"step": 40, "divergence": 0.05, "kinetic_energy": 0.01, "max_speed": 0.2}}
with open(f"{work}/particles/dt={ds}/manifest.json", "w") as f:
    json.dump(manifest, f)
out["manifest"]["finished"] = check(ds=ds)
manifest["final"]["divergence"] = float("nan")
with open(f"{work}/particles/dt={ds}/manifest.json", "w") as f:
    json.dump(manifest, f)
try:
    check(ds=ds)
    out["manifest"]["non_finite"] = "accepted"
except AirflowFailException as e:
    out["manifest"]["non_finite"] = "fail: " + str(e)
print(json.dumps(out))
