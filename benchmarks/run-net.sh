#!/bin/sh
# Issue 7's network benchmark: ICMP echo and UDP request/response round trips per second between two devrt
# interfaces (two e1000 NICs with the real driver on the emulator's in-process virtual switch, each with its own
# devrt stack and stack thread), against DatagramChannel ping-pong on 127.0.0.1 (loopback only), 56-byte payload,
# with the bytes allocated per round trip; prints ratios devrt/datagram.
# Usage: benchmarks/run-net.sh [JMH options, e.g. -i 5 -r 5s -p payload=56,1024]    (about 1 minute with the defaults)
# Needs benchmarks/target/benchmarks.jar: cd /work/main && mvn -B -q -o -pl benchmarks package
set -e
cd "$(dirname "$0")/.."
jar=$(mktemp --suffix=.jar) && trap 'rm -f "$jar"' EXIT && cp benchmarks/target/benchmarks.jar "$jar"
"${JAVA_HOME:+$JAVA_HOME/bin/}java" $JAVA_OPTS -cp "$jar" org.devrt.benchmarks.net.NetRatio "$@"
