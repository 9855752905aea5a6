"""lipflow on Airflow: a daily latent generative-particles pipeline.

    fit_autoencoder  ->  flow  ->  check_manifest

* ``fit_autoencoder`` fits the latent stage (``lipflow autoencoder``) and writes a model directory,
* ``flow`` transports particles in that model's latent space (``lipflow run --resume``),
* ``check_manifest`` reads the run's ``manifest.json`` and publishes its final monitors (XCom).

Both Spark tasks are ``SparkSubmitOperator`` s of the apache-spark provider
(``pip install apache-airflow-providers-apache-spark``) submitting lipflow's job jar with
``conf/spark-defaults.conf`` (Kryo with lipflow's registrator, ``spark.task.cpus``, the Java 17
options). The Spark master comes from the Airflow connection ``spark_default`` (or
``LIPFLOW_SPARK_CONN``), e.g. ``spark://master:7077``.

Every output path is partitioned by the logical date (``dt={{ ds }}``), so a run, a retry and a
backfill of one day all write the same directory and never another day's. lipflow commits each
output atomically (a hidden temporary sibling renamed at the end), so a failed attempt leaves
nothing behind that looks finished.

Retries: lipflow exits with 2 for bad input or configuration and 3 for a numerical blow-up. Running
the same command again gives the same answer, so those fail the task at once; anything else (1: an
executor or driver lost, a cluster hiccup; 143: the attempt was stopped by SIGTERM after writing a
checkpoint) is retried, and ``--resume`` makes the retry continue from the killed attempt's newest
checkpoint instead of step 0 (the first attempt starts from step 0; the result is the uninterrupted
run's, bit for bit). See ``LipflowSparkSubmitOperator``.

Environment of the Airflow workers (defaults in brackets):
    LIPFLOW_HOME        a checkout or image with the job jar, conf/ and jobs/ [/opt/lipflow]
    LIPFLOW_JOB_JAR     the job jar [$LIPFLOW_HOME/target/lipflow-0.1.0-SNAPSHOT-job.jar]
    LIPFLOW_OUTPUT      root of the outputs, a path every worker and the driver see [/data/lipflow]
    LIPFLOW_SPARK_CONN  Airflow connection of the Spark master [spark_default]
"""
from __future__ import annotations

import json
import math
import os
import re
from datetime import datetime, timedelta

try:  # Airflow 3
    from airflow.sdk import DAG, task
except ImportError:  # Airflow 2.x
    from airflow import DAG
    from airflow.decorators import task
from airflow.exceptions import AirflowException, AirflowFailException
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

LIPFLOW_HOME = os.environ.get("LIPFLOW_HOME", "/opt/lipflow")
JOB_JAR = os.environ.get("LIPFLOW_JOB_JAR", f"{LIPFLOW_HOME}/target/lipflow-0.1.0-SNAPSHOT-job.jar")
MAIN_CLASS = "org.lipflow.cli.Main"
SPARK_DEFAULTS = f"{LIPFLOW_HOME}/conf/spark-defaults.conf"
LOG4J = f"{LIPFLOW_HOME}/conf/log4j2.properties"
AUTOENCODER_CONF = f"{LIPFLOW_HOME}/conf/examples/fashion-mnist-autoencoder.conf"
FLOW_CONF = f"{LIPFLOW_HOME}/conf/examples/fashion-mnist-latent.conf"
OUTPUT = os.environ.get("LIPFLOW_OUTPUT", "/data/lipflow")
SPARK_CONN = os.environ.get("LIPFLOW_SPARK_CONN", "spark_default")

MODEL_DIR = OUTPUT + "/model/dt={{ ds }}"
FLOW_DIR = OUTPUT + "/particles/dt={{ ds }}"

# lipflow's exit codes that a retry cannot change (README "Exit codes")
BAD_INPUT = 2
NUMERICAL_BLOWUP = 3
NOT_RETRIED = {BAD_INPUT: "bad input or configuration", NUMERICAL_BLOWUP: "numerical blow-up"}

# the hook's message when spark-submit fails: "Cannot execute: <command>. Error code is: <n>."
_EXIT_CODE = re.compile(r"Error code is: (\d+)")


class LipflowSparkSubmitOperator(SparkSubmitOperator):
    """SparkSubmitOperator that turns lipflow's non-retryable exit codes into a final failure.

    The provider's hook raises a plain ``AirflowException`` for any non-zero exit of spark-submit,
    with the exit code only in its message ("... Error code is: 2."), and Airflow retries every
    ``AirflowException``. Airflow has no per-exit-code retry setting for this operator, so this
    subclass reads the code (from the message, else from the hook's finished spark-submit process)
    and raises ``AirflowFailException`` for 2 and 3, which fails the task without using its
    retries. Other codes keep the ``AirflowException`` and are retried.

    The exit code is lipflow's own only where spark-submit waits for the driver and returns its
    exit status: client deploy mode (the default here), or local masters. In YARN or Kubernetes
    cluster mode spark-submit reports 1 for any failed driver, so there every failure is retried
    (a bad input then fails again quickly; its one-line message is in the driver's log).
    """

    def execute(self, context):
        try:
            return super().execute(context)
        except AirflowException as e:
            code = exit_code(e, getattr(self, "_hook", None))
            if code in NOT_RETRIED:
                raise AirflowFailException(
                    f"lipflow exited with {code} ({NOT_RETRIED[code]}): not retried; see the task log for its one-line error"
                ) from e
            raise


def exit_code(error, hook=None):
    """spark-submit's exit code from the hook's exception (or its process), or None."""
    m = _EXIT_CODE.search(str(error))
    if m:
        return int(m.group(1))
    process = getattr(hook, "_submit_sp", None)
    return getattr(process, "returncode", None)


def lipflow_submit(task_id, application_args, **kwargs):
    """A lipflow command submitted with the job jar and conf/spark-defaults.conf."""
    return LipflowSparkSubmitOperator(
        task_id=task_id,
        conn_id=SPARK_CONN,
        application=JOB_JAR,
        java_class=MAIN_CLASS,
        # replaces $SPARK_HOME/conf/spark-defaults.conf for this submission (spark-submit reads one file)
        properties_file=SPARK_DEFAULTS,
        deploy_mode="client",
        conf={
            # ND4J's off-heap ceiling; counted in spark.executor.memoryOverhead below
            "spark.driver.extraJavaOptions": f"-Dorg.bytedeco.javacpp.maxbytes=2G -Dlog4j2.configurationFile=file:{LOG4J}",
            "spark.executor.extraJavaOptions": "-Dorg.bytedeco.javacpp.maxbytes=2G",
            "spark.executor.memoryOverhead": "3g",
        },
        executor_memory="4g",
        driver_memory="2g",
        name=f"lipflow-{task_id}",
        application_args=application_args,
        **kwargs,
    )


with DAG(
    dag_id="lipflow_latent_particles",
    description="lipflow: fit the latent autoencoder, run the particle flow in its latent space, check the manifest",
    start_date=datetime(2026, 1, 1),
    schedule="@daily",
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 3, "retry_delay": timedelta(minutes=5)},
    tags=["lipflow", "spark"],
) as dag:
    fit_autoencoder = lipflow_submit(
        "fit_autoencoder",
        # --overwrite: a rerun of the day (cleared task) replaces that day's model; lipflow only ever
        # replaces a previous lipflow output there
        ["autoencoder", "--conf", AUTOENCODER_CONF, "--engine", "spark", "--out", MODEL_DIR, "--overwrite", "--quiet"],
    )

    flow = lipflow_submit(
        "flow",
        # --resume: every attempt gets the same command; a retry continues from the newest checkpoint
        # (kept beside the output, .dt=<ds>.checkpoints) and replaces the killed attempt's output
        ["run", "--conf", FLOW_CONF, "--engine", "spark", "--set", f'latent.model="{MODEL_DIR}"',
         "--out", FLOW_DIR, "--resume", "--quiet"],
    )

    @task(task_id="check_manifest")
    def check_manifest(ds=None):
        """Reads the run's manifest.json (on a file system this worker mounts) and returns its summary."""
        path = f"{OUTPUT}/particles/dt={ds}/manifest.json"
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
        final = manifest.get("final") or {}
        if manifest.get("command") != "run" or not final:
            raise AirflowFailException(f"{path} is not the manifest of a finished lipflow run")
        bad = [k for k, v in final.items() if isinstance(v, float) and not math.isfinite(v)]
        if bad:
            raise AirflowFailException(f"{path}: non-finite final monitors {bad}")
        return {
            "manifest": path,
            "steps": final.get("step"),
            "divergence": final.get("divergence"),
            "kinetic_energy": final.get("kinetic_energy"),
            "max_speed": final.get("max_speed"),
            "particles_file": manifest.get("particles_file"),
            "seed": manifest.get("seed"),
        }

    fit_autoencoder >> flow >> check_manifest()
