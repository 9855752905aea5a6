"""Thin PySpark wrappers (JavaEstimator / JavaModel) around org.lipflow.ml.

The Java stages hold every param: one per lipflow configuration key in camelCase
(``divergence.lipschitz`` -> ``divergenceLipschitz``) plus featuresCol, featureCols, labelCol,
outputCol and trajectoryStride. Set them by name (``ParticleFlow(flowSteps=500)``,
``setParams(...)``) or by configuration key (``setConfig("flow.steps", 500)``); the Java side
converts numbers and lists and rejects invalid values with a message naming the param.
"""

from pyspark.ml.util import JavaMLReadable, JavaMLReader, JavaMLWritable
from pyspark.ml.wrapper import JavaEstimator, JavaModel
from pyspark.sql import DataFrame, SparkSession

_PACKAGE = "org.lipflow.ml"


class _LipflowReader(JavaMLReader):
    """Loads lipflow stages: their Java classes live in org.lipflow.ml, not org.apache.spark."""

    @classmethod
    def _java_loader_class(cls, clazz):
        return _PACKAGE + "." + clazz.__name__


class _LipflowStage(JavaMLReadable, JavaMLWritable):
    """Param access by name for a stage whose params are declared on the Java side only."""

    def setParams(self, **params):
        for name, value in params.items():
            self._java_obj.setParam(name, value)
        return self

    def setConfig(self, key, value):
        """Sets the param of a lipflow configuration key, e.g. setConfig("flow.steps", 500)."""
        self._java_obj.setConfig(key, value)
        return self

    def getParamValue(self, name):
        java_param = self._java_obj.getParam(name)
        return self._java_obj.getOrDefault(java_param)

    def explainJavaParams(self):
        return self._java_obj.explainParams()

    @classmethod
    def read(cls):
        return _LipflowReader(cls)

    @classmethod
    def _from_java(cls, java_stage):
        stage = cls.__new__(cls)
        super(cls, stage).__init__()
        stage._java_obj = java_stage
        stage._resetUid(java_stage.uid())
        return stage


class ParticleFlow(JavaEstimator, _LipflowStage):
    """The Lipschitz-regularized gradient flow as an Estimator; fit(df) returns a ParticleFlowModel."""

    def __init__(self, **params):
        super(ParticleFlow, self).__init__()
        self._java_obj = self._new_java_obj(_PACKAGE + ".ParticleFlow", self.uid)
        self.setParams(**params)

    def _create_model(self, java_model):
        return ParticleFlowModel(java_model)


class ParticleFlowModel(JavaModel, _LipflowStage):
    """A fitted flow: particles, per-step metrics, transform(df) and sample(n, seed)."""

    def _frame(self, jdf):
        return DataFrame(jdf, SparkSession.getActiveSession())

    def particles(self):
        return self._frame(self._java_obj.particles())

    def metrics(self):
        return self._frame(self._java_obj.metrics())

    def sample(self, n, seed=0):
        """n new points: fresh source draws transported along the fitted flow."""
        return self._frame(self._java_obj.sample(int(n), int(seed)))

    def withTrajectoryStride(self, stride):
        return ParticleFlowModel(self._java_obj.withTrajectoryStride(int(stride)))
