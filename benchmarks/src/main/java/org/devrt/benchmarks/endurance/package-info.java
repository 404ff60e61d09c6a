/**
 * The endurance suite (issue 8): the runtime of run.jar embedded in a plain JVM, with the real AHCI and e1000 models
 * and drivers; driver install/uninstall cycles, hot plug/unplug cycles, then a mixed load of file, UDP and ping
 * clients under a chaos thread, with leak checks, fsck and a checksum of every synced byte. Entry point:
 * {@link org.devrt.benchmarks.endurance.EnduranceSuite}, run by benchmarks/run-endurance.sh.
 *
 * <p>This class space has its own copies of devrt's packages (benchmarks.jar holds them), which are not the
 * runtime's: devrt services are called by reflection through the API interfaces loaded from the bundles that
 * export them ({@link org.devrt.benchmarks.endurance.Reflect}), with Java types only crossing over.
 */
package org.devrt.benchmarks.endurance;
