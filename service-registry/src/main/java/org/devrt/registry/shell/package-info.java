/**
 * What devrt's shell commands share with Gogo: where a command's text goes ({@link
 * org.devrt.registry.shell.CommandOutput}) and which thread Ctrl-C interrupts ({@link
 * org.devrt.registry.shell.Foreground}). Not exported: the bundles that use it get a private copy at build time
 * (bnd's {@code -conditionalpackage}), as with {@link org.devrt.registry.config}.
 */
package org.devrt.registry.shell;
