/**
 * devrt's system services that belong to no device: the JVM shutdown hook that stops the framework and the
 * {@code exit} command, and the bundle activator that deletes configurations whose {@code conf/} file went while
 * devrt was stopped. The subpackages hold the OSGi Log Service on SLF4J ({@code log}), {@code diag} with the
 * bundle commands and the configuration check ({@code diag}), and the mended interactive shell ({@code shell}).
 * Nothing here is exported.
 */
package org.devrt.system.internal;
