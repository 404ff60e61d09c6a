/**
 * A helper for reading a component's configuration so that a value that does not convert costs the property, not
 * the component. Not exported: the bundles that use it get a private copy at build time (bnd's
 * {@code -conditionalpackage}), as with {@link org.devrt.registry.condition}.
 */
package org.devrt.registry.config;
