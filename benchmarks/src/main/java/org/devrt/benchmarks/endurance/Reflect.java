package org.devrt.benchmarks.endurance;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import org.osgi.framework.Bundle;

/** Calls into the runtime's class space: API methods looked up once, the callee's own exception rethrown as is. */
final class Reflect {
    private Reflect() {
    }

    /** {@code type}'s method, the type loaded through {@code exporter} (the bundle that exports its package). */
    static Method method(Bundle exporter, String type, String name, Class<?>... parameters) throws Exception {
        return exporter.loadClass(type).getMethod(name, parameters);
    }

    /**
     * Invokes {@code method}; what the callee threw comes out unwrapped, so that a client records the exception
     * devrt gave it (its class and message), not InvocationTargetException.
     */
    static Object call(Method method, Object target, Object... args) throws Exception {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception x) {
                throw x;
            }
            if (cause instanceof Error x) {
                throw x;
            }
            throw e;
        }
    }
}
