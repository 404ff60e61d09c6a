#!/bin/sh
# Issue 4's block benchmarks: the AHCI driver's block device on the emulated machine against a raw FileChannel on
# the same image (benchmarks/target/bench/disk.img, 1 GiB, filled once), then `qemu-img bench` on that image
# (if qemu-img is installed: apt-get install qemu-utils), in 3 rounds; prints each round and the medians of the
# ratios devrt/raw and devrt/qemu-img.
# Usage: benchmarks/run-block.sh [JMH options, e.g. -i 3 -r 3s]     (about 4 minutes with the defaults)
# Needs benchmarks/target/benchmarks.jar:
#   mvn -B -q -pl emulator,ahci-driver,ethernet-driver install -DskipTests && mvn -B -q -pl benchmarks package
# JAVA_OPTS: -Drounds=N (default 3), -Dqemu.count=N (default 200000), -Ddevrt.bench.ahci=ncq=false (or workers=N,
# ...: options of the AHCI model).
set -e
cd "$(dirname "$0")/.."
# a copy, so that a rebuild during the run does not pull the jar from under JMH's forks
jar=$(mktemp --suffix=.jar) && trap 'rm -f "$jar"' EXIT && cp benchmarks/target/benchmarks.jar "$jar"
"${JAVA_HOME:+$JAVA_HOME/bin/}java" $JAVA_OPTS -cp "$jar" org.devrt.benchmarks.block.BlockRatio "$@"
