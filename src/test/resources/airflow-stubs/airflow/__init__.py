"""A stand-in for Airflow 2's public API, just enough to import and exercise jobs/airflow/lipflow_dag.py
without Airflow installed (AirflowDagTest). Not Airflow: it records what the DAG builds."""


class DAG:
    current = None

    def __init__(self, dag_id, **kwargs):
        self.dag_id = dag_id
        self.kwargs = kwargs
        self.tasks = {}

    def __enter__(self):
        DAG.current = self
        return self

    def __exit__(self, *exc):
        DAG.current = None
        return False


class Task:
    """A node that registers itself with the current DAG and records its downstream tasks."""

    def __init__(self, task_id):
        self.task_id = task_id
        self.downstream = []
        if DAG.current is not None:
            DAG.current.tasks[task_id] = self

    def __rshift__(self, other):
        self.downstream.append(other)
        return other
