#!/bin/sh
# devrt's boot time against a bare Felix + SCR + Gogo boot, as a ratio measured in one run.
# Usage: benchmarks/run-boot.sh [--restart] [rounds [warm-up rounds]]     (defaults: 15 and 2)
# --restart: each runtime boots again and again on the state its first (unmeasured) start kept.
#        benchmarks/run-boot.sh --variants rounds variant...
# --variants: first starts of several runtimes against the same bare boot, to compare changes to how devrt is built
#   or launched; a variant is devrt, bare or the path of a run.jar, optionally @ and JVM options separated by commas,
#   e.g. --variants 8 devrt devrt@-XX:TieredStopAtLevel=1 /tmp/other/run.jar
# Runs on $JAVA_HOME/bin/java if JAVA_HOME is set, else on the java in PATH; the boots use the same JVM.
# Needs benchmarks/target/benchmarks.jar and bare.jar, and runtime/target/run.jar:
#   mvn -B -q -pl runtime install -DskipTests && mvn -B -q -pl benchmarks package
# and util-linux `script` (each runtime boots on a pseudo-terminal).
set -e
cd "$(dirname "$0")/.."
main=org.devrt.benchmarks.BootRatio
if [ "$1" = --variants ]; then
    shift
    main=org.devrt.benchmarks.BootVariants
fi
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp benchmarks/target/benchmarks.jar "$main" "$@"
