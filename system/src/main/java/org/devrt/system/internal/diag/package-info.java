/**
 * The {@code devrt:diag} shell command: why a bundle is not active or a component not satisfied, in
 * the spirit of Karaf's {@code bundle:diag}. {@link org.devrt.system.internal.diag.Diagnostics} holds the
 * logic and takes the framework objects, so that it can be tested with fakes.
 */
package org.devrt.system.internal.diag;
