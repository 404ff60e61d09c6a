/**
 * Helpers for a component's configuration: reading it so that a value that does not convert costs the property, not
 * the component, and naming it in messages as the configuration check does. Not exported: the bundles that use them
 * get a private copy at build time (bnd's {@code -conditionalpackage}), as with {@link org.devrt.registry.condition}.
 */
package org.devrt.registry.config;
