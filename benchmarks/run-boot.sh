#!/bin/sh
# devrt's boot time against a bare Felix + SCR + Gogo boot, as a ratio measured in one run.
# Usage: benchmarks/run-boot.sh [--restart] [rounds [warm-up rounds]]     (defaults: 15 and 2)
# --restart: each runtime boots again and again on the state its first (unmeasured) start kept.
# Runs on $JAVA_HOME/bin/java if JAVA_HOME is set, else on the java in PATH; the boots use the same JVM.
# Needs benchmarks/target/benchmarks.jar and bare.jar, and runtime/target/run.jar:
#   mvn -B -q -pl runtime install -DskipTests && mvn -B -q -pl benchmarks package
# and util-linux `script` (each runtime boots on a pseudo-terminal).
set -e
cd "$(dirname "$0")/.."
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp benchmarks/target/benchmarks.jar org.devrt.benchmarks.BootRatio "$@"
