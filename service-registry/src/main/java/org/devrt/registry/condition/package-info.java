/**
 * Helpers for publishing devrt's conditions: readiness, and the configurations that components refused. Not
 * exported: the bundles that use them get a private copy at build time (bnd's {@code -conditionalpackage}), as the
 * emulator gets the network's gateway code.
 */
package org.devrt.registry.condition;
