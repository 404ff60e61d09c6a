/**
 * A helper for publishing devrt's readiness conditions. Not exported: the bundles that use it get a private copy
 * at build time (bnd's {@code -conditionalpackage}), as the emulator gets the network's gateway code.
 */
package org.devrt.registry.condition;
