"""The mixture example through the PySpark wrapper, run from the repository root:

    spark-submit --jars target/lipflow-0.1.0-SNAPSHOT-job.jar \
        --driver-java-options "--add-modules=jdk.incubator.vector --add-opens=java.base/java.lang=ALL-UNNAMED ..." \
        python/examples/particle_flow.py

(the full option list is in README, "Notebooks and the Spark ML API"; in a notebook set spark.jars
and spark.driver.extraJavaOptions in PYSPARK_SUBMIT_ARGS before the JVM starts).
"""

import sys

from py4j.java_gateway import get_field
from pyspark.ml.linalg import Vectors
from pyspark.sql import SparkSession

sys.path.insert(0, "python")
from lipflow.ml import ParticleFlow, ParticleFlowModel  # noqa: E402


def main():
    spark = SparkSession.builder.appName("lipflow-python").getOrCreate()
    jvm = spark._jvm
    # 200 samples of the 4-mode mixture from lipflow's generator, as a vector column
    spec = jvm.org.lipflow.data.SyntheticData.Spec("mixture4", 200, 0, 2, 0.0, 0.5, 0.5, False)
    block = jvm.org.lipflow.data.SyntheticData.generate(spec)
    # a public Java field: py4j reaches fields only through get_field (PySpark's gateway has no auto_field)
    xs = list(get_field(block, "x"))
    target = spark.createDataFrame([(Vectors.dense(xs[2 * i], xs[2 * i + 1]),) for i in range(200)], ["features"])

    flow = ParticleFlow(sourceN=200, flowSteps=500, divergenceLipschitz=1.0).setConfig("source.std", 0.5)
    model = flow.fit(target)
    model.metrics().orderBy("step").show(5)
    model.sample(1000, seed=7).show(5)
    model.write().overwrite().save("out/python-particle-flow")
    again = ParticleFlowModel.load("out/python-particle-flow")
    print("reloaded:", again.sample(10, seed=1).count(), "samples")
    # the same estimator straight through py4j, without the wrapper:
    java_flow = jvm.org.lipflow.ml.ParticleFlow().setFlowSteps(100)
    print(java_flow.explainParams().splitlines()[0])


if __name__ == "__main__":
    main()
