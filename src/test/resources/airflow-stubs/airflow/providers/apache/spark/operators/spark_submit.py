from airflow import Task
from airflow.exceptions import AirflowException


class SparkSubmitOperator(Task):
    """Records its arguments; execute() fails like the provider's hook when exit_code is set."""
    exit_code = 0

    def __init__(self, task_id, **kwargs):
        super().__init__(task_id)
        self.kwargs = kwargs

    def execute(self, context):
        if SparkSubmitOperator.exit_code:
            raise AirflowException("Cannot execute: spark-submit --master spark://m:7077 --name x app.jar. "
                                   f"Error code is: {SparkSubmitOperator.exit_code}.")
        return None
