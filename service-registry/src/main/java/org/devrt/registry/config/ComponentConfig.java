package org.devrt.registry.config;

import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;

/**
 * A component's configuration whose values that do not convert fall back to their defaults.
 *
 * <p>SCR hands a component its configuration as a component property type (an annotation type, DS 1.4 112.8) and
 * converts each value when one of its methods is called: a value that does not convert to the element's type
 * ({@code attachTimeoutMillis = 10s} for a {@code long}) throws from that call, wherever the component makes it.
 * Called in {@code activate}, it fails the component (no AHCI driver for a mistyped time-out); called later, it
 * fails whatever the component was doing (every attach of the device manager, each with a
 * NumberFormatException that names no property). {@link #withDefaults} returns the same configuration in which
 * such a value is replaced by the element's default, said once in a line that names the configuration, the
 * property and the value. The configuration check of {@code diag} reports the same value against the
 * configuration's file.
 */
public final class ComponentConfig {
    /** The property File Install gives a configuration: the URL of the file it read it from. */
    public static final String FILE = "felix.fileinstall.filename";

    private ComponentConfig() {
    }

    /**
     * {@code config}, as SCR passed it to the component, with each value that does not convert replaced by its
     * element's default. Every value is converted here, once; when all of them convert (the usual case) the result is
     * {@code config} itself, and otherwise a proxy of {@code type} that answers the replaced values and passes the
     * others on.
     *
     * @param type       the component property type, an annotation type
     * @param properties the component's properties, as SCR passes them beside {@code config}: the configuration's
     *                   PID and file, and the value that did not convert, are taken from them for the message
     * @param log        where a replaced value is said, at WARN
     * @throws IllegalArgumentException from the proxy's method for an element whose value does not convert and that
     *                                  has no default (at its call, as SCR's own configuration would throw)
     */
    public static <T> T withDefaults(Class<T> type, T config, Map<String, ?> properties, Logger log) {
        if (!type.isAnnotation()) {
            throw new IllegalArgumentException(type.getName() + " is not an annotation type");
        }
        String name = name(properties);
        Map<Method, Object> replaced = new HashMap<>();
        Method[] elements = type.getDeclaredMethods();
        Arrays.sort(elements, Comparator.comparing(Method::getName)); // the same order of messages at each start
        for (Method element : elements) {
            RuntimeException failure = conversionFailure(element, config);
            if (failure == null) {
                failure = notABoolean(element, properties);
            }
            if (failure != null) {
                replaced.put(element, replacement(element, failure, properties, name, log));
            }
        }
        if (replaced.isEmpty()) {
            return config;
        }
        Map<String, Method> elementsByName = new HashMap<>();
        for (Method element : elements) {
            elementsByName.put(element.getName(), element);
        }
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                switch (method.getName()) {
                    case "equals":
                        return proxy == args[0];
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    default:
                        return name + " with defaults for what does not convert: " + config;
                }
            }
            if (method.getDeclaringClass() == Annotation.class) {
                return type; // annotationType(), the only method an annotation type inherits
            }
            // the elements made accessible above, not the proxy's own Method objects: the type may be package-private
            Object value = replaced.containsKey(method) ? replaced.get(method)
                    : elementsByName.get(method.getName()).invoke(config);
            if (value instanceof NoDefault noDefault) {
                throw noDefault.exception();
            }
            return value;
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    /** An element whose value does not convert and that has no default: its call throws this. */
    private record NoDefault(IllegalArgumentException exception) {
    }

    /**
     * For a boolean element whose value is text other than true or false: SCR converts it without complaint, to
     * false ({@code enabled = maybe} turned the host's PCI bus off), while the configuration check said its default
     * was used.
     */
    private static RuntimeException notABoolean(Method element, Map<String, ?> properties) {
        if (element.getReturnType() != boolean.class) {
            return null;
        }
        Object value = properties.get(propertyName(element.getName()));
        if (value instanceof String text && !text.trim().equalsIgnoreCase("true")
                && !text.trim().equalsIgnoreCase("false")) {
            return new IllegalArgumentException("not true or false");
        }
        return null;
    }

    /** What SCR's conversion of {@code element}'s value threw, or null if it converts. */
    private static RuntimeException conversionFailure(Method element, Object config) {
        try {
            element.setAccessible(true); // a component's property type is commonly package-private
            element.invoke(config);
            return null;
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                return failure;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object replacement(Method element, RuntimeException failure, Map<String, ?> properties,
            String name, Logger log) {
        String property = propertyName(element.getName());
        String wanted = element.getReturnType().getSimpleName();
        String value = text(properties.get(property));
        Object fallback = element.getDefaultValue();
        if (fallback == null) {
            return new NoDefault(new IllegalArgumentException(name + ": " + property + " = '" + value
                + "' does not convert to " + wanted + " (" + failure.getMessage()
                + "), and the property has no default"));
        }
        log.warn("{}: {} = '{}' does not convert to {}; its default {} is used instead", name, property, value, wanted,
            text(fallback));
        return fallback;
    }

    /**
     * The property an element of a component property type reads (DS 1.4 112.8.2.2): {@code $$} is {@code $},
     * {@code $_$} is {@code -}, {@code __} is {@code _}, {@code _} is {@code .}, and a lone {@code $} is dropped.
     * (A single-element type's {@code PREFIX_} field is not looked at: none of devrt's types uses one.)
     */
    static String propertyName(String element) {
        StringBuilder name = new StringBuilder(element.length());
        for (int i = 0; i < element.length(); i++) {
            char c = element.charAt(i);
            if (element.startsWith("$$", i)) {
                name.append('$');
                i++;
            } else if (element.startsWith("$_$", i)) {
                name.append('-');
                i += 2;
            } else if (element.startsWith("__", i)) {
                name.append('_');
                i++;
            } else if (c == '_') {
                name.append('.');
            } else if (c != '$') {
                name.append(c);
            }
        }
        return name.toString();
    }

    /**
     * How devrt names a component's configuration in what it says: {@code configuration <pid> (<file>)}, from the
     * component's properties; the file is the one File Install read it from ({@code felix.fileinstall.filename}, a
     * URL) as a path, and left out when there is none; a component without configuration goes by its name.
     */
    public static String name(Map<String, ?> properties) {
        Object pid = properties.get("service.pid");
        return name(pid instanceof String ? pid : properties.get("component.name"), properties.get(FILE));
    }

    /** File Install's file URL ({@link #FILE}) as a path; null when it is not a file URL. */
    public static Path file(Object fileUrl) {
        try {
            return Path.of(URI.create(String.valueOf(fileUrl)));
        } catch (RuntimeException notAFileUrl) {
            return null;
        }
    }

    /** {@code configuration <pid> (<file>)}, as {@link #name(Map)}, from a PID and File Install's file URL. */
    public static String name(Object pid, Object fileUrl) {
        return "configuration " + pid + (fileUrl == null ? "" : " (" + path(fileUrl) + ")");
    }

    private static String path(Object fileUrl) {
        Path file = file(fileUrl);
        return file == null ? String.valueOf(fileUrl) : file.toString();
    }

    /** A value as it reads in a configuration file; an array (of any type) as {@code [a, b]}. */
    private static String text(Object value) {
        String wrapped = Arrays.deepToString(new Object[] {value}); // "[" + the value's text + "]", arrays too
        return wrapped.substring(1, wrapped.length() - 1);
    }
}
