#!/bin/sh
# Issue 6's NIC benchmark: frames per second from one e1000 driver's transmit to another's receive through the
# emulated machine's virtual switch, against a DatagramChannel one way on 127.0.0.1 (loopback only), 64- and
# 1514-byte frames, with the bytes allocated per frame, in 3 rounds; prints each round and the medians of the
# ratios e1000/datagram.
# Usage: benchmarks/run-nic.sh [JMH options, e.g. -i 3 -r 3s]     (about 4 minutes with the defaults)
# JAVA_OPTS: -Drounds=N (default 3).
# Needs benchmarks/target/benchmarks.jar (see run-block.sh).
set -e
cd "$(dirname "$0")/.."
jar=$(mktemp --suffix=.jar) && trap 'rm -f "$jar"' EXIT && cp benchmarks/target/benchmarks.jar "$jar"
"${JAVA_HOME:+$JAVA_HOME/bin/}java" $JAVA_OPTS -cp "$jar" org.devrt.benchmarks.nic.NicRatio "$@"
