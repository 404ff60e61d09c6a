package org.devrt.system.internal.diag;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;

/** Start levels of a bundle and of the framework. */
final class FakeStartLevels {
    private FakeStartLevels() {
    }

    record OfBundle(Bundle getBundle, int getStartLevel, boolean isPersistentlyStarted,
            boolean isActivationPolicyUsed) implements BundleStartLevel {
        @Override
        public void setStartLevel(int level) {
            throw new UnsupportedOperationException("not faked");
        }
    }

    record OfFramework(Bundle getBundle, int getStartLevel) implements FrameworkStartLevel {
        @Override
        public void setStartLevel(int level, FrameworkListener... listeners) {
            throw new UnsupportedOperationException("not faked");
        }

        @Override
        public int getInitialBundleStartLevel() {
            return 1;
        }

        @Override
        public void setInitialBundleStartLevel(int level) {
            throw new UnsupportedOperationException("not faked");
        }
    }
}
