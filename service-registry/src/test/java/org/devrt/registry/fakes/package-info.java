/**
 * Hand-written fakes of the OSGi framework API for unit tests: a bundle, a bundle context with a tiny service
 * registry that fires service events, and a service reference. Only what the tests use is implemented; every
 * other method throws {@link java.lang.UnsupportedOperationException}.
 */
package org.devrt.registry.fakes;
