from airflow import Task


def task(task_id=None, **_):
    def wrap(fn):
        def make(*args, **kwargs):
            t = Task(task_id or fn.__name__)
            t.function = fn
            return t
        make.function = fn
        return make
    return wrap
