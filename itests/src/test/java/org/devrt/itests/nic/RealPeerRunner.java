package org.devrt.itests.nic;

import java.util.ArrayList;
import java.util.List;

import org.junit.AssumptionViolatedException;
import org.junit.Test;
import org.junit.runner.Description;
import org.junit.runner.Runner;
import org.junit.runner.manipulation.Filter;
import org.junit.runner.manipulation.Filterable;
import org.junit.runner.manipulation.NoTestsRemainException;
import org.junit.runner.manipulation.Sortable;
import org.junit.runner.manipulation.Sorter;
import org.junit.runner.notification.Failure;
import org.junit.runner.notification.RunNotifier;
import org.junit.runners.model.FrameworkMethod;
import org.junit.runners.model.InitializationError;
import org.junit.runners.model.TestClass;
import org.ops4j.pax.exam.junit.PaxExam;

/**
 * {@link PaxExam} for tests that need root and host tools ({@link HostTools}): it checks them in the test JVM
 * before any framework boots. When they are there it is PaxExam. Otherwise every test of the class is, without a
 * framework being started, skipped with the reason if this process is not root, or if a tool is missing outside CI;
 * and failed with the reason if a tool is missing in CI (CI=true), where the tests must run. (An assumption that fails
 * inside the Pax Exam container would be reported as a pass, so the check is made here.)
 */
public final class RealPeerRunner extends Runner implements Filterable, Sortable {
    private final PaxExam exam;
    private final String skip;
    private final String failure;
    private final Class<?> testClass;
    private final List<Description> children = new ArrayList<>();

    public RealPeerRunner(Class<?> testClass) throws InitializationError {
        this.testClass = testClass;
        String notRoot = HostTools.notRoot();
        String missing = notRoot == null ? HostTools.missing() : null;
        skip = notRoot != null ? notRoot : missing != null && !HostTools.inCi() ? missing + " (not CI: skipped)" : null;
        failure = missing != null && HostTools.inCi() ? missing + " (CI=true: the real-peer tests must run)" : null;
        if (skip == null && failure == null) {
            exam = new PaxExam(testClass);
        } else {
            exam = null;
            for (FrameworkMethod m : new TestClass(testClass).getAnnotatedMethods(Test.class)) {
                children.add(Description.createTestDescription(testClass, m.getName()));
            }
        }
    }

    @Override
    public Description getDescription() {
        if (exam != null) {
            return exam.getDescription();
        }
        Description suite = Description.createSuiteDescription(testClass);
        children.forEach(suite::addChild);
        return suite;
    }

    @Override
    public void run(RunNotifier notifier) {
        if (exam != null) {
            exam.run(notifier);
            return;
        }
        for (Description child : children) {
            notifier.fireTestStarted(child);
            if (failure != null) {
                notifier.fireTestFailure(new Failure(child, new AssertionError(failure)));
            } else {
                notifier.fireTestAssumptionFailed(new Failure(child, new AssumptionViolatedException(skip)));
            }
            notifier.fireTestFinished(child);
        }
    }

    @Override
    public void filter(Filter filter) throws NoTestsRemainException {
        if (exam != null) {
            exam.filter(filter);
            return;
        }
        children.removeIf(child -> !filter.shouldRun(child));
        if (children.isEmpty()) {
            throw new NoTestsRemainException();
        }
    }

    @Override
    public void sort(Sorter sorter) {
        if (exam != null) {
            exam.sort(sorter);
        } else {
            children.sort(sorter);
        }
    }
}
