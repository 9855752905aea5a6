"""PySpark access to lipflow's Spark ML API (org.lipflow.ml).

The lipflow job jar must be on the driver's and executors' class path before the JVM starts
(``spark.jars`` / ``--jars``), with the JVM options lipflow needs (see README, "Notebooks and the
Spark ML API"). Then::

    from lipflow.ml import ParticleFlow, ParticleFlowModel
    model = ParticleFlow(flowSteps=500, divergenceLipschitz=1.0).fit(df)
    model.sample(1000, seed=7).show()
"""

from lipflow.ml import ParticleFlow, ParticleFlowModel

__all__ = ["ParticleFlow", "ParticleFlowModel"]
