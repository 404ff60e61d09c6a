package org.devrt.registry.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.devrt.registry.fakes.FakeBundle;
import org.devrt.registry.fakes.FakeServiceReference;
import org.junit.Test;
import org.osgi.service.log.LogLevel;
import org.slf4j.event.Level;

public class LogBridgeTest {
    /** One forwarded line, as SLF4J would get it. */
    private record Line(String logger, Level level, String message, Throwable exception) {
    }

    private final List<Line> forwarded = new ArrayList<>();
    private final FakeLogReaderService reader = new FakeLogReaderService();
    private final LogBridge bridge = new LogBridge((logger, level, message, e) -> forwarded.add(new Line(logger, level, message, e)));
    private final FakeBundle scrBundle = new FakeBundle(5, "org.apache.felix.scr");

    {
        bridge.reader = reader;
    }

    @Test
    public void forwardsNewEntriesWithLoggerLevelMessageAndException() {
        bridge.activate();
        IllegalStateException failure = new IllegalStateException("no config");

        reader.log(new FakeLogEntry(1, scrBundle, "org.apache.felix.scr.Foo", LogLevel.ERROR, "activate failed", failure));

        assertEquals(List.of(new Line("org.apache.felix.scr.Foo", Level.ERROR, "activate failed", failure)), forwarded);
    }

    @Test
    public void forwardsTheHistoryOldestFirstAndMarked() {
        reader.log(entry(1, "first"));
        reader.log(entry(2, "second"));

        bridge.activate();

        assertEquals(2, forwarded.size());
        assertTrue(forwarded.get(0).message(), forwarded.get(0).message().startsWith("(logged earlier, at "));
        assertTrue(forwarded.get(0).message(), forwarded.get(0).message().endsWith(") first"));
        assertTrue(forwarded.get(1).message(), forwarded.get(1).message().endsWith(") second"));
    }

    @Test
    public void anEntryInTheHistoryAndDeliveredAgainIsForwardedOnce() {
        reader.log(entry(1, "first"));
        bridge.activate();

        reader.listeners.get(0).logged(entry(1, "first"));
        reader.log(entry(2, "second"));

        assertEquals(2, forwarded.size());
        assertEquals("second", forwarded.get(1).message());
    }

    @Test
    public void anEntryAboutAServiceNamesIt() {
        bridge.activate();
        FakeServiceReference disk = new FakeServiceReference(42, scrBundle, new String[] {"org.devrt.device.BlockDevice"},
                Map.of());

        reader.log(new FakeLogEntry(1, scrBundle, "Events.Service.devrt.ahci-driver", LogLevel.INFO,
                "ServiceEvent REGISTERED", null, disk));

        assertEquals("ServiceEvent REGISTERED [org.devrt.device.BlockDevice] (service 42)", forwarded.get(0).message());
    }

    @Test
    public void withoutALoggerNameTheBundleNames() {
        assertEquals("org.apache.felix.scr", LogBridge.loggerName(new FakeLogEntry(1, scrBundle, "", LogLevel.INFO, "m", null)));
        assertEquals("osgi.log", LogBridge.loggerName(new FakeLogEntry(1, null, null, LogLevel.INFO, "m", null)));
    }

    @Test
    public void levelsMapToSlf4j() {
        assertEquals(Level.ERROR, level(LogLevel.ERROR));
        assertEquals(Level.WARN, level(LogLevel.WARN));
        assertEquals(Level.INFO, level(LogLevel.INFO));
        assertEquals(Level.INFO, level(LogLevel.AUDIT));
        assertEquals(Level.DEBUG, level(LogLevel.DEBUG));
        assertEquals(Level.TRACE, level(LogLevel.TRACE));
    }

    @Test
    public void entriesFromSlf4jAreNotSentBack() {
        bridge.activate();
        FakeBundle slf4jSimple = new FakeBundle(2, "slf4j.simple");

        reader.log(new FakeLogEntry(1, scrBundle, "org.slf4j.Foo", LogLevel.INFO, "loop", null));
        reader.log(new FakeLogEntry(2, slf4jSimple, "org.devrt.vfs.Mounts", LogLevel.INFO, "loop", null));
        reader.log(new FakeLogEntry(3, slf4jSimple, "Events.Bundle.slf4j.simple", LogLevel.INFO, "BundleEvent STARTED", null));

        assertEquals(1, forwarded.size());
        assertEquals("BundleEvent STARTED", forwarded.get(0).message());
    }

    @Test
    public void deactivationStopsListening() {
        bridge.activate();
        bridge.deactivate();

        reader.log(entry(1, "after"));

        assertTrue(forwarded.isEmpty());
        assertEquals(0, reader.listeners.size());
    }

    private FakeLogEntry entry(long sequence, String message) {
        return new FakeLogEntry(sequence, scrBundle, "org.apache.felix.scr", LogLevel.INFO, message, null);
    }

    private Level level(LogLevel level) {
        return LogBridge.level(new FakeLogEntry(1, scrBundle, "x", level, "m", null));
    }
}
