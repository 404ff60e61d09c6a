#!/bin/sh
# Issue 5's VFS benchmarks: a 256 MiB file read and written through devrt's FAT32 code (on a 1 GiB sparse image made
# by devrt's mkfs, benchmarks/target/bench/vfs.img) against a raw FileChannel on the same image, and 10,000 small
# files created in one directory; prints MB/s, files/s, the ratios devrt/raw and the load average.
# Usage: benchmarks/run-vfs.sh [JMH options, e.g. -i 5]      (about a minute with the defaults)
# Needs benchmarks/target/benchmarks.jar: mvn -B -q -o -pl vfs install && mvn -B -q -o -pl benchmarks package
set -e
cd "$(dirname "$0")/.."
# a copy, so that a rebuild during the run does not pull the jar from under JMH's forks
jar=$(mktemp --suffix=.jar) && trap 'rm -f "$jar"' EXIT && cp benchmarks/target/benchmarks.jar "$jar"
"${JAVA_HOME:+$JAVA_HOME/bin/}java" $JAVA_OPTS -Ddevrt.bench.vfs.image=benchmarks/target/bench/vfs.img \
  -cp "$jar" org.devrt.benchmarks.vfs.VfsRatio "$@"
