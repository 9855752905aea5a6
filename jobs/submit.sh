#!/usr/bin/env bash
# spark-submit for lipflow's job jar: conf/spark-defaults.conf (Kryo, spark.task.cpus, the Java 17
# options), the ND4J off-heap limit and lipflow's log4j2 configuration on every run. Spark options
# go before --, lipflow's arguments after. `jobs/submit.sh --help` lists what users need to know.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  cat <<'EOF'
Usage: jobs/submit.sh [--secure] [spark-submit options] -- <lipflow command> [arguments]

Submits lipflow's job jar (target/lipflow-<version>-job.jar, built by `mvn -B -DskipTests package`)
with spark-submit, main class org.lipflow.cli.Main. Everything before -- goes to spark-submit,
everything after it to lipflow:

  jobs/submit.sh --master spark://HOST:7077 --deploy-mode client --executor-memory 4g \
      -- run conf/examples/gaussian-mixture.conf --engine spark --partitions 8 --out /shared/out/mix
  jobs/submit.sh --master yarn --deploy-mode cluster --num-executors 8 --executor-memory 8g \
      --conf spark.executor.memoryOverhead=3g -- run my.conf --engine spark --out hdfs:///out/x

Added to every submission (your own --conf of the same key wins):
  conf/spark-defaults.conf, each line as --conf:
    spark.serializer=KryoSerializer with spark.kryo.registrator=org.lipflow.engine.spark.LipflowKryoRegistrator
        (lipflow's classes are registered; spark.kryo.registrationRequired=true works for `run`)
    spark.task.cpus=1 (Spark sets the executors' OMP_NUM_THREADS to it; raise it together with
        --set engine.task-threads=N)
    spark.{driver,executor}.defaultJavaOptions: Java 17 flags, i.e. --add-modules=jdk.incubator.vector
        (lipflow's vector kernel) and Spark's --add-opens=java.base/...=ALL-UNNAMED list. They are the
        "default" options, so --conf spark.executor.extraJavaOptions=... adds to them.
  -Dorg.bytedeco.javacpp.maxbytes=$LIPFLOW_OFFHEAP on driver and executors (ND4J off-heap ceiling).
  -Dlog4j2.configurationFile=conf/log4j2.properties on the driver in client mode (Spark at WARN,
        lipflow at INFO).

Memory (ND4J keeps its arrays off the Java heap):
  --executor-memory 4g                      heap of each executor (particle blocks are on-heap float[])
  --conf spark.executor.memoryOverhead=3g   off-heap room per executor: at least LIPFLOW_OFFHEAP plus
                                            1-2 GB for Spark/netty; YARN and Kubernetes kill an executor
                                            whose process outgrows heap + overhead
  --driver-memory 2g                        the driver holds the target when it is broadcast
                                            (engine.broadcast-limit-mb) and writes the DL4J model

Security (see README "Security"):
  --secure   turns on spark.authenticate, spark.network.crypto.enabled (AES for RPC and block
             transfers) and spark.io.encryption.enabled (shuffle and spilled particle blocks on local
             disk). YARN and Kubernetes generate the shared secret themselves. A standalone or local
             master needs the cluster's secret: give a file holding it (readable only by you) in
             LIPFLOW_SPARK_SECRET_FILE, or the secret itself in _SPARK_AUTH_SECRET (the variable Spark
             reads). It travels in the environment, never on a command line or in Spark's
             configuration. The Master and Workers must run with spark.authenticate=true, the same
             secret (spark.authenticate.secret or _SPARK_AUTH_SECRET) and spark.network.crypto.enabled=true.

Environment:
  SPARK_SUBMIT               the spark-submit to run (default: spark-submit on the PATH)
  LIPFLOW_JOB_JAR            the job jar (default: target/lipflow-*-job.jar; a URI such as
                             local:///opt/lipflow/target/lipflow-<version>-job.jar is passed as is)
  LIPFLOW_OFFHEAP            ND4J off-heap limit per JVM (default 2G; count it in memoryOverhead)
  LIPFLOW_SPARK_DEFAULTS     Spark properties file to apply (default conf/spark-defaults.conf; none = skip)
  LIPFLOW_LOG4J              driver log4j2 configuration (default conf/log4j2.properties)
  LIPFLOW_SPARK_SECRET_FILE  with --secure: file holding the cluster's shared secret

Exit codes are lipflow's (0 ok, 2 bad input, 3 numerical blow-up, 1 other) in client mode; submit.sh
itself exits 2 on a missing job jar, missing -- or missing secret.
EOF
}

fail() { echo "submit.sh: $*" >&2; exit 2; }

secure=0
spark_args=()
master="" deploy_mode="client" user_properties=""
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --secure) secure=1; shift; continue ;;
    --properties-file) user_properties="${2:-}"; shift 2 || fail "--properties-file needs a file"; continue ;;
    --properties-file=*) user_properties="${1#--properties-file=}"; shift; continue ;;
    --master) master="${2:-}" ;;
    --master=*) master="${1#--master=}" ;;
    --deploy-mode) deploy_mode="${2:-}" ;;
    --deploy-mode=*) deploy_mode="${1#--deploy-mode=}" ;;
  esac
  spark_args+=("$1"); shift
done
[ "${1:-}" = "--" ] && shift
[ $# -gt 0 ] || fail "lipflow arguments expected after -- (jobs/submit.sh --help)"

jar="${LIPFLOW_JOB_JAR:-$(ls "$here"/target/lipflow-*-job.jar 2>/dev/null | head -n 1)}"
[ -n "$jar" ] || fail "no job jar; run 'mvn -B -DskipTests package' first"
case "$jar" in
  *://*) ;; # local:///opt/lipflow/... in an image (Kubernetes), hdfs://, s3a://: spark-submit resolves it
  *) [ -f "$jar" ] || fail "no job jar $jar; run 'mvn -B -DskipTests package' first" ;;
esac

# One Spark properties file for the submission, in this order (a later line of a key wins, and
# spark-submit's --conf options win over all of it):
#   1. the file spark-submit would read: --properties-file, else $SPARK_CONF_DIR/spark-defaults.conf
#   2. lipflow's conf/spark-defaults.conf (LIPFLOW_SPARK_DEFAULTS), the default Java options with the
#      per-run additions (ND4J off-heap limit, the driver's log4j2 configuration in client mode)
#   3. with --secure: authentication and encryption, and on a standalone or local master the secret
# It is written privately (umask 077) and removed when spark-submit ends, so the secret is never on
# a command line.
offheap="-Dorg.bytedeco.javacpp.maxbytes=${LIPFLOW_OFFHEAP:-2G}"
driver_extra="$offheap"
if [ "$deploy_mode" = "client" ]; then
  driver_extra="$driver_extra -Dlog4j2.configurationFile=file:${LIPFLOW_LOG4J:-$here/conf/log4j2.properties}"
fi
cluster_defaults="${user_properties:-${SPARK_CONF_DIR:-${SPARK_HOME:-/nonexistent}/conf}/spark-defaults.conf}"
[ -z "$user_properties" ] || [ -r "$user_properties" ] || fail "cannot read --properties-file $user_properties"
defaults="${LIPFLOW_SPARK_DEFAULTS:-$here/conf/spark-defaults.conf}"
[ "$defaults" = "none" ] || [ -r "$defaults" ] || fail "cannot read Spark properties file $defaults (LIPFLOW_SPARK_DEFAULTS)"

secret=""
if [ $secure = 1 ]; then
  if [ -n "${LIPFLOW_SPARK_SECRET_FILE:-}" ]; then
    [ -r "$LIPFLOW_SPARK_SECRET_FILE" ] || fail "cannot read LIPFLOW_SPARK_SECRET_FILE $LIPFLOW_SPARK_SECRET_FILE"
    secret="$(tr -d '\r\n' < "$LIPFLOW_SPARK_SECRET_FILE")"
    [ -n "$secret" ] || fail "LIPFLOW_SPARK_SECRET_FILE $LIPFLOW_SPARK_SECRET_FILE is empty"
  else
    secret="${_SPARK_AUTH_SECRET:-}"
  fi
  case "$master" in
    yarn*|k8s://*) secret="" ;; # YARN and Kubernetes generate a secret per application
    *) [ -n "$secret" ] || fail "--secure with master '${master:-local}' needs the cluster's shared secret in LIPFLOW_SPARK_SECRET_FILE or _SPARK_AUTH_SECRET" ;;
  esac
fi

props="$(umask 077 && mktemp "${TMPDIR:-/tmp}/lipflow-submit-XXXXXX.properties")"
trap 'rm -f "$props"' EXIT
{
  if [ -r "$cluster_defaults" ]; then cat "$cluster_defaults"; echo; fi
  if [ "$defaults" != "none" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      trimmed="${line#"${line%%[![:space:]]*}"}"
      case "$trimmed" in
        spark.driver.defaultJavaOptions[[:space:]=]*) echo "$trimmed $driver_extra"; driver_extra="" ;;
        spark.executor.defaultJavaOptions[[:space:]=]*) echo "$trimmed $offheap"; offheap="" ;;
        *) echo "$line" ;;
      esac
    done < "$defaults"
  fi
  # without lipflow's file (or one without these keys) the additions still reach both JVMs
  [ -z "$driver_extra" ] || echo "spark.driver.defaultJavaOptions $driver_extra"
  [ -z "$offheap" ] || echo "spark.executor.defaultJavaOptions $offheap"
  if [ $secure = 1 ]; then
    echo "spark.authenticate true"
    echo "spark.network.crypto.enabled true"
    echo "spark.io.encryption.enabled true"
    # java.util.Properties format: a backslash escapes, so double it
    [ -z "$secret" ] || printf 'spark.authenticate.secret %s\n' "${secret//\\/\\\\}"
  fi
} > "$props"

# The driver JVM (client mode) announces the incubator module on stderr at every start ("WARNING: Using
# incubator modules: jdk.incubator.vector"); that one line is dropped, as jobs/lipflow does, so that
# --quiet is quiet. Everything else on stderr passes as it is (stdout goes past the filter untouched),
# and the filter ends before this script does, so all of it is out when spark-submit's exit code is.
drop_jvm_note() {
  trap '' INT TERM HUP # drains what the driver prints while it stops
  grep -v -x -F --line-buffered -e 'WARNING: Using incubator modules: jdk.incubator.vector' >&2 || true
}
exec 3>&1
set +e
"${SPARK_SUBMIT:-spark-submit}" --properties-file "$props" --class org.lipflow.cli.Main "${spark_args[@]}" "$jar" "$@" \
  2>&1 1>&3 3>&- | drop_jvm_note
status=${PIPESTATUS[0]}
set -e
exit $status
