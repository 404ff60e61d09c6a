package org.devrt.itests.net;

import org.junit.AssumptionViolatedException;
import org.junit.runner.Description;
import org.junit.runner.notification.Failure;
import org.junit.runner.notification.RunNotifier;
import org.junit.runners.model.InitializationError;
import org.ops4j.pax.exam.junit.PaxExam;

/**
 * {@link PaxExam} for a class that needs {@link LinuxPeer}: when the machine cannot make one, the class's tests are
 * reported skipped with the reason (or failed, in CI, for a missing tool or namespace support) before any framework
 * boots. The check runs here, in the test JVM's JUnit runner, because Pax Exam reports an assumption that fails
 * inside the framework as a pass.
 */
public final class NeedsLinuxPeer extends PaxExam {
    public NeedsLinuxPeer(Class<?> klass) throws InitializationError {
        super(klass);
    }

    @Override
    public void run(RunNotifier notifier) {
        LinuxPeer.Unusable unusable = LinuxPeer.unusable();
        if (unusable == null) {
            super.run(notifier);
            return;
        }
        boolean fail = unusable.failsInCi() && LinuxPeer.inCi();
        String why = "the Linux peer test cannot run: " + unusable.why()
                + (fail ? " (CI=true: failed)" : unusable.failsInCi() ? "; skipped (in CI it fails)" : "; skipped");
        System.out.println(getDescription().getDisplayName() + ": " + why);
        for (Description test : getDescription().getChildren()) {
            notifier.fireTestStarted(test);
            if (fail) {
                notifier.fireTestFailure(new Failure(test, new AssertionError(why)));
            } else {
                notifier.fireTestAssumptionFailed(new Failure(test, new AssumptionViolatedException(why)));
            }
            notifier.fireTestFinished(test);
        }
    }
}
