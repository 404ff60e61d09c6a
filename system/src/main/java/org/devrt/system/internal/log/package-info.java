/**
 * The OSGi Log Service on SLF4J ({@code Slf4jLogService}) and the framework's events in the log
 * ({@code FrameworkEventLog}). Private to this bundle: other bundles use the {@code LoggerFactory} and
 * {@code LogService} services, or SLF4J.
 */
package org.devrt.system.internal.log;
