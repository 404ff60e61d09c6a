/**
 * A PCI driver for the integration tests. These classes are never used from the test probe: {@code DriverBundle}
 * copies their class files into small driver bundles (one per test driver, each with its own manifest), which the
 * device manager installs from a test repository or the tests install by hand. Each bundle holds the package
 * privately, so the framework loads it from the driver bundle, never from the probe (which also contains it, but
 * exports nothing).
 */
package org.devrt.itests.testdriver;
