package org.devrt.hw;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;

public class RegistersTest {
    private static final int CTRL = 0x00;
    private static final int STATUS = 0x08;
    private final MemoryRegisterFile file = new MemoryRegisterFile(0x20);
    private final Registers regs = new Registers(file, Map.of(CTRL, "CTRL", STATUS, "STATUS"));

    @Test
    public void setFlagsSetsOnlyTheMaskBits() {
        file.write32(CTRL, 0x0000_00f0);
        regs.setFlags(CTRL, 0x8000_0001);
        assertEquals("setFlags must OR the mask in", 0x8000_00f1, file.read32(CTRL));
    }

    @Test
    public void clearFlagsClearsOnlyTheMaskBits() {
        file.write32(CTRL, 0xffff_0000);
        regs.clearFlags(CTRL, 0x0001_0000);
        // the Java ixy port's bug was 'reg | ~mask', which sets every other bit: 0xffffffff here
        assertEquals("clearFlags must AND with ~mask, keeping the other bits", 0xfffe_0000, file.read32(CTRL));
    }

    @Test
    public void clearFlagsOnZeroStaysZero() {
        regs.clearFlags(CTRL, 0x4);
        assertEquals("clearing a bit of a zero register must leave it zero", 0, file.read32(CTRL));
    }

    @Test
    public void isSetNeedsEveryBitOfTheMask() {
        file.write32(STATUS, 0b0110);
        assertTrue(regs.isSet(STATUS, 0b0110));
        assertFalse("one bit of two set is not 'set'", regs.isSet(STATUS, 0b0011));
    }

    @Test
    public void waitSetReturnsOnceTheDeviceSetsTheBits() throws Exception {
        // the 'device' sets bit 1 on the fifth read, like a reset that completes
        AtomicLong reads = new AtomicLong();
        file.afterRead(STATUS, v -> reads.incrementAndGet() >= 4 ? v | 0b10 : v);
        int value = regs.waitSet(STATUS, 0b10, Duration.ofSeconds(5));
        assertEquals(0b10, value & 0b10);
        assertEquals("the wait polls until the bit appears on the fifth read", 5, file.reads);
    }

    @Test
    public void waitClearReturnsImmediatelyWhenAlreadyClear() throws Exception {
        file.write32(STATUS, 0x1);
        regs.waitClear(STATUS, 0x8, Duration.ofMillis(1));
        assertEquals("a satisfied wait reads once", 1, file.reads);
    }

    @Test
    public void waitThatNeverSucceedsTimesOutWithNameConditionAndDump() {
        file.write32(CTRL, 0x1234_5678);
        long[] now = {0};
        Registers fakeTime = new Registers(file, Map.of(CTRL, "CTRL", STATUS, "STATUS"), () -> now[0] += 1_000_000);
        DeviceTimeoutException e = assertThrows(DeviceTimeoutException.class,
                () -> fakeTime.waitSet(STATUS, 0x1, Duration.ofMillis(50)));
        assertTrue("message names the register: " + e.getMessage(), e.getMessage().contains("STATUS(0x0008)"));
        assertTrue("message gives the condition: " + e.getMessage(), e.getMessage().contains("& 0x00000001 == 0x00000001"));
        assertTrue("message gives the time waited: " + e.getMessage(), e.getMessage().contains("50 ms"));
        assertTrue("dump shows every named register: " + e.registerDump(), e.registerDump().contains("0x12345678"));
    }

    @Test
    public void realClockWaitIsBounded() {
        long start = System.nanoTime();
        assertThrows(DeviceTimeoutException.class, () -> regs.waitSet(STATUS, 0x1, Duration.ofMillis(30)));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue("a 30 ms wait took " + tookMs + " ms", tookMs >= 30 && tookMs < 2_000);
    }

    @Test
    public void expectedBitsOutsideTheMaskAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> regs.waitMasked(STATUS, 0x1, 0x2, Duration.ofMillis(1)));
    }

    @Test
    public void unnamedRegisterIsNamedByOffset() {
        assertEquals("register 0x0010", regs.name(0x10));
        assertEquals("CTRL(0x0000)", regs.name(CTRL));
    }

    @Test
    public void dumpReportsAnUnreadableWindowInsteadOfThrowing() {
        RegisterIo revoked = new RegisterIo() {
            public long size() { return 8; }
            public int read32(int offset) { throw new HandleRevokedException("driver detached"); }
            public void write32(int offset, int value) { throw new HandleRevokedException("driver detached"); }
        };
        String dump = new Registers(revoked, Map.of(0, "CTRL")).dump();
        assertTrue(dump, dump.contains("unreadable: driver detached"));
    }
}
