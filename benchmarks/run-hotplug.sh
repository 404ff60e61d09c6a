#!/bin/sh
# The device manager's hot plug: JMH medians of plug -> driver attached (driver not installed / installed) and of
# a bare install+start of the same driver bundle, with their ratios; then the 1000-cycle leak check, whose report
# goes to benchmarks/target/hotplug-leak-check.txt.
# Usage: benchmarks/run-hotplug.sh [JMH options, e.g. -i 10]       (leak-check cycles: HOTPLUG_CYCLES, default 1000)
# Needs runtime/target/run.jar and benchmarks/target/benchmarks.jar:
#   mvn -B -q -pl runtime install -DskipTests && mvn -B -q -pl benchmarks package
# The runtime boots inside the benchmark's JVMs on the Felix framework of run.jar, put first on the class path.
set -e
cd "$(dirname "$0")/.."
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
felix=benchmarks/target/hotplug/felix.jar
mkdir -p benchmarks/target/hotplug
unzip -p runtime/target/run.jar 'jar/org.apache.felix.framework-*.jar' > "$felix"
cp="$felix:benchmarks/target/benchmarks.jar"
"$java" -cp "$cp" org.devrt.benchmarks.hotplug.HotPlugRun "$@"
"$java" -cp "$cp" org.devrt.benchmarks.hotplug.HotPlugLeakCheck "${HOTPLUG_CYCLES:-1000}"
