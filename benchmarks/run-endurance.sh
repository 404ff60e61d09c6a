#!/bin/sh
# The endurance suite: the runtime of run.jar in one JVM with an AHCI controller (a FAT32 disk image made by sfdisk
# and mkfs.fat) and an e1000 NIC; install/uninstall cycles of devrt.ahci-driver and devrt.ethernet-driver with their
# devices plugged, hot plug/unplug cycles of both functions, then a mixed load (VFS writers and readers, UDP echo to a
# peer stack, ping to the emulated gateway) while a chaos thread removes and restores drivers and devices; leak
# counts (bundles, services, threads, heap) around each, fsck.fat -n and an mtools read-back of every synced file.
# Report: benchmarks/target/endurance-report.txt (printed too); work files and the runtime's log in
# benchmarks/target/endurance/. Exit status 1 when it found a problem.
# Usage: benchmarks/run-endurance.sh [JVM options, e.g. -Dendurance.cycles=50 -Dendurance.minutes=1]
#   (defaults: 1000 cycles of each of the four kinds, 10 minutes of mixed load)
# Takes about 15-20 minutes with the defaults on 2 CPUs (cycles about 4, mixed load 10, checks 1); about 3 minutes
# with -Dendurance.cycles=10 -Dendurance.minutes=2.
# Needs runtime/target/run.jar and runtime/target/drivers, benchmarks/target/benchmarks.jar, sfdisk (util-linux),
# dosfstools (mkfs.fat, fsck.fat) and mtools (mcopy); 256 MiB of disk (a sparse image):
#   mvn -B -q -pl runtime install -DskipTests && mvn -B -q -pl benchmarks package
# Traffic stays in the process: the virtual switch, the emulated gateway, and a UDP cable on 127.0.0.1.
set -e
cd "$(dirname "$0")/.."
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
felix=benchmarks/target/hotplug/felix.jar
mkdir -p benchmarks/target/hotplug
unzip -p runtime/target/run.jar 'jar/org.apache.felix.framework-*.jar' > "$felix"
"$java" "$@" -cp "$felix:benchmarks/target/benchmarks.jar" org.devrt.benchmarks.endurance.EnduranceSuite
