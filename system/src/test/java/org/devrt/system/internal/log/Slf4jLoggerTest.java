package org.devrt.system.internal.log;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.devrt.registry.fakes.FakeBundle;
import org.devrt.registry.fakes.FakeServiceReference;
import org.junit.Test;
import org.osgi.service.log.FormatterLogger;
import org.osgi.service.log.LogService;
import org.osgi.service.log.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;

public class Slf4jLoggerTest {
    /** One line as SLF4J got it. */
    private record Line(Level level, String message, Throwable exception) {
    }

    /** An SLF4J logger that records what it is given, at or above a level. */
    @SuppressWarnings("serial")
    private static final class Recorder extends LegacyAbstractLogger {
        final List<Line> lines = new ArrayList<>();
        Level threshold = Level.TRACE;

        Recorder() {
            this.name = "recorder";
        }

        private boolean on(Level level) {
            return level.toInt() >= threshold.toInt();
        }

        @Override
        public boolean isTraceEnabled() {
            return on(Level.TRACE);
        }

        @Override
        public boolean isDebugEnabled() {
            return on(Level.DEBUG);
        }

        @Override
        public boolean isInfoEnabled() {
            return on(Level.INFO);
        }

        @Override
        public boolean isWarnEnabled() {
            return on(Level.WARN);
        }

        @Override
        public boolean isErrorEnabled() {
            return on(Level.ERROR);
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String message, Object[] args,
                Throwable exception) {
            assertNull("the OSGi logger formats before SLF4J sees the line", args);
            lines.add(new Line(level, message, exception));
        }
    }

    private final Recorder out = new Recorder();
    private final Slf4jLogger logger = new Slf4jLogger("org.apache.felix.scr.Foo", out, false);
    private final FakeBundle vfs = new FakeBundle(12, "devrt.vfs");
    private final FakeServiceReference disk = new FakeServiceReference(42, vfs,
            new String[] {"org.devrt.device.BlockDevice"}, Map.of());

    @Test
    public void placeholdersAreFilledAndATrailingThrowableIsTheException() {
        IllegalStateException failure = new IllegalStateException("no config");

        logger.error("activate of {} failed after {} tries", "vfs", 3, failure);

        assertEquals(List.of(new Line(Level.ERROR, "activate of vfs failed after 3 tries", failure)), out.lines);
    }

    @Test
    public void aTrailingServiceAndExceptionInEitherOrderAreTakenAndTheServiceNamed() {
        IllegalStateException failure = new IllegalStateException("gone");

        logger.warn("lost {}", "sda", disk, failure);
        logger.warn("lost {}", "sdb", failure, disk);

        Line expected1 = new Line(Level.WARN, "lost sda [org.devrt.device.BlockDevice] (service 42)", failure);
        Line expected2 = new Line(Level.WARN, "lost sdb [org.devrt.device.BlockDevice] (service 42)", failure);
        assertEquals(List.of(expected1, expected2), out.lines);
    }

    @Test
    public void twoTrailingThrowablesLeaveTheFirstAsAMessageArgument() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second");

        logger.info("after {}", first, second);

        assertEquals(List.of(new Line(Level.INFO, "after java.lang.RuntimeException: first", second)), out.lines);
    }

    @Test
    public void aMessageWithoutArgumentsIsNotAFormat() {
        logger.debug("a map {} is empty \\{}");

        assertEquals("a map {} is empty \\{}", out.lines.get(0).message());
    }

    @Test
    public void aDisabledLevelNeitherFormatsNorCallsTheConsumer() {
        out.threshold = Level.INFO;
        Object noisy = new Object() {
            @Override
            public String toString() {
                throw new AssertionError("formatted for a disabled level");
            }
        };

        logger.debug("state {}", noisy);
        logger.trace("state {} {}", noisy, noisy);
        logger.debug(l -> {
            throw new AssertionError("consumer called for a disabled level");
        });

        assertTrue(out.lines.isEmpty());
        assertFalse(logger.isDebugEnabled());
        assertTrue(logger.isInfoEnabled());
    }

    @Test
    public void theConsumerGetsThisLoggerWhenTheLevelIsOn() {
        logger.info(l -> l.info("inside"));

        assertEquals(List.of(new Line(Level.INFO, "inside", null)), out.lines);
    }

    @Test
    public void auditIsWrittenAsInfo() {
        logger.audit("configuration {} changed", "devrt.vfs");

        assertEquals(List.of(new Line(Level.INFO, "configuration devrt.vfs changed", null)), out.lines);
    }

    @Test
    public void aFormatterLoggerUsesStringFormat() {
        Slf4jLogger printf = new Slf4jLogger("x", out, true);

        printf.info("port %d: %s", 0, "link up");

        assertEquals("port 0: link up", out.lines.get(0).message());
    }

    @Test
    public void aBadPrintfFormatIsStillWrittenAndNamesTheProblem() {
        Slf4jLogger printf = new Slf4jLogger("x", out, true);

        printf.warn("port %d", "zero");

        String message = out.lines.get(0).message();
        assertTrue(message, message.startsWith("port %d [zero] ("));
        assertTrue(message, message.contains("IllegalFormatConversionException"));
    }

    @Test
    public void theRootLoggerWritesToTheBundlesNameAndANamedLoggerToItsName() {
        assertEquals("devrt.vfs", Slf4jLogService.slf4jName(vfs, Logger.ROOT_LOGGER_NAME));
        assertEquals("devrt.vfs", Slf4jLogService.slf4jName(vfs, ""));
        assertEquals("osgi.log", Slf4jLogService.slf4jName(null, null));
        assertEquals("org.devrt.vfs.Mounts", Slf4jLogService.slf4jName(vfs, "org.devrt.vfs.Mounts"));
    }

    @Test
    public void theServiceMakesBothLoggerTypesAndRefusesOthersByName() {
        Slf4jLogService service = new Slf4jLogService(vfs);

        assertEquals("Mounts", service.getLogger("Mounts").getName());
        assertTrue(service.getLogger("Mounts", FormatterLogger.class) instanceof FormatterLogger);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> service.getLogger(vfs, "Mounts", CustomLogger.class));
        assertTrue(refused.getMessage(), refused.getMessage().contains(CustomLogger.class.getName()));
    }

    private interface CustomLogger extends Logger {
    }

    @Test
    @SuppressWarnings("deprecation") // LogService's int levels are what the old methods take
    public void theOldIntLevelsMapToSlf4jLevelsAndUnknownOnesToDebug() {
        assertSame(Level.ERROR, Slf4jLogService.level(LogService.LOG_ERROR));
        assertSame(Level.WARN, Slf4jLogService.level(LogService.LOG_WARNING));
        assertSame(Level.INFO, Slf4jLogService.level(LogService.LOG_INFO));
        assertSame(Level.DEBUG, Slf4jLogService.level(LogService.LOG_DEBUG));
        assertSame(Level.DEBUG, Slf4jLogService.level(17));
    }

    @Test
    public void anOldStyleEntryIsWrittenAsItIsWithItsServiceAndException() {
        IllegalStateException failure = new IllegalStateException("bad");

        logger.entry(Level.WARN, "not a {} format", disk, failure);

        assertEquals(List.of(new Line(Level.WARN, "not a {} format [org.devrt.device.BlockDevice] (service 42)", failure)),
                out.lines);
    }
}
