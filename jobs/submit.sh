#!/usr/bin/env bash
# spark-submit for lipflow's job jar with the JVM options lipflow needs on every JVM (driver and
# executors): the Vector API module, Java 17 --add-opens, ND4J off-heap limit, one OpenMP thread
# per task. Spark options go before --, lipflow's arguments after:
#   jobs/submit.sh --master yarn --deploy-mode cluster --num-executors 8 -- run my.conf --engine spark --out hdfs:///out/x
# Environment: SPARK_SUBMIT (default spark-submit), LIPFLOW_JOB_JAR (default target/lipflow-*-job.jar),
# LIPFLOW_OFFHEAP (ND4J off-heap per JVM, default 2G; add it to spark.executor.memoryOverhead).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${LIPFLOW_JOB_JAR:-$(ls "$here"/target/lipflow-*-job.jar 2>/dev/null | head -n 1)}"
[ -n "$jar" ] && [ -f "$jar" ] || { echo "submit.sh: no job jar; run 'mvn -B -DskipTests package' first" >&2; exit 2; }
spark_args=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do spark_args+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
[ $# -gt 0 ] || { echo "submit.sh: lipflow arguments expected after --" >&2; exit 2; }
opts="--add-modules=jdk.incubator.vector -Dorg.bytedeco.javacpp.maxbytes=${LIPFLOW_OFFHEAP:-2G}"
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  opts="$opts --add-opens=java.base/$p=ALL-UNNAMED"
done
exec "${SPARK_SUBMIT:-spark-submit}" --class org.lipflow.cli.Main \
  --conf "spark.driver.extraJavaOptions=$opts" \
  --conf "spark.executor.extraJavaOptions=$opts" \
  --conf "spark.executorEnv.OMP_NUM_THREADS=1" \
  "${spark_args[@]}" "$jar" "$@"
