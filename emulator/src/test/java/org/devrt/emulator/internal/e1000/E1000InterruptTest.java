package org.devrt.emulator.internal.e1000;

import static org.devrt.emulator.internal.e1000.E1000Registers.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.devrt.hw.InterruptLine;
import org.junit.After;
import org.junit.Test;

/** ICR, ICS, IMS, IMC and the level of INTA#; link changes and ICR.LSC. */
public class E1000InterruptTest {
    private final Nics nics = new Nics();

    @After
    public void shutDown() {
        nics.close();
    }

    @Test
    public void icrIsClearedOnRead() throws IOException {
        TestNic nic = nics.plug(Nics.SLOT3);
        nic.set(ICS, ICR_TXDW | ICR_RXT0);
        assertEquals("8254x SDM 13.4.19: ICS sets the causes in ICR", ICR_TXDW | ICR_RXT0, nic.get(ICR));
        assertEquals("8254x SDM 13.4.17: ICR is cleared on read", 0, nic.get(ICR));
    }

    @Test
    public void writingOneToAnIcrBitClearsIt() throws IOException {
        TestNic nic = nics.plug(Nics.SLOT3);
        nic.set(ICS, ICR_TXDW | ICR_RXT0);
        nic.set(ICR, ICR_TXDW);
        assertEquals("8254x SDM 13.4.17: writing 1b clears that bit, 0b leaves it", ICR_RXT0, nic.get(ICR));
    }

    @Test
    public void imsSetsAndImcClearsTheMask() throws IOException {
        TestNic nic = nics.plug(Nics.SLOT3);
        nic.set(IMS, ICR_RXT0 | ICR_LSC);
        nic.set(IMS, ICR_TXDW);
        assertEquals("8254x SDM 13.4.20: IMS: 1b enables, 0b leaves the bit alone",
                ICR_RXT0 | ICR_LSC | ICR_TXDW, nic.get(IMS));
        nic.set(IMC, ICR_LSC);
        assertEquals("8254x SDM 13.4.21: IMC: 1b disables", ICR_RXT0 | ICR_TXDW, nic.get(IMS));
        nic.set(IMS, -1);
        assertEquals("reserved bits stay clear", ICR_VALID, nic.get(IMS));
    }

    @Test
    public void intaIsAssertedWhileAnEnabledCauseIsPending() throws Exception {
        TestNic nic = nics.plug(Nics.SLOT3);
        LinkedBlockingQueue<Integer> seen = new LinkedBlockingQueue<>();
        InterruptLine line = nic.function.interruptLine();
        line.attach(() -> seen.add(nic.get(ICR)));
        nic.set(ICS, ICR_RXT0);
        assertEquals("8254x SDM 13.4.17: a masked cause does not interrupt", null,
                seen.poll(50, TimeUnit.MILLISECONDS));
        nic.set(IMS, ICR_RXT0);
        Integer causes = seen.poll(2, TimeUnit.SECONDS);
        assertNotNull("13.4.20: enabling a pending cause asserts INTA#", causes);
        assertEquals("the handler reads the cause", ICR_RXT0, causes.intValue());
        assertEquals("reading ICR lowered INTA#: no further call", null, seen.poll(50, TimeUnit.MILLISECONDS));
        line.detach();
    }

    @Test
    public void aCauseLeftPendingKeepsTheLevelUp() throws Exception {
        TestNic nic = nics.plug(Nics.SLOT3);
        AtomicInteger calls = new AtomicInteger();
        InterruptLine line = nic.function.interruptLine();
        line.attach(calls::incrementAndGet);
        nic.set(IMS, ICR_TXDW);
        nic.set(ICS, ICR_TXDW);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (calls.get() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertTrue("level-triggered: a handler that does not acknowledge is called again", calls.get() >= 3);
        nic.set(IMC, ICR_TXDW);
        Thread.sleep(20);
        int after = calls.get();
        Thread.sleep(30);
        assertEquals("13.4.21: masking the cause lowers INTA#", after, calls.get());
        line.detach();
    }

    @Test
    public void setLinkUpBringsTheLinkUpWithLsc() throws IOException {
        TestNic nic = nics.plug(Nics.SLOT3);
        assertEquals("13.4.2: no link before CTRL.SLU", 0, nic.get(STATUS) & STATUS_LU);
        nic.set(CTRL, CTRL_SLU);
        assertEquals("13.4.2: STATUS.LU once CTRL.SLU is set and the switch port is attached", STATUS_LU,
                nic.get(STATUS) & STATUS_LU);
        assertEquals("13.4.17: ICR.LSC on the change", ICR_LSC, nic.get(ICR) & ICR_LSC);
    }

    @Test
    public void pullingTheCableDropsTheLinkWithLsc() throws IOException {
        TestNic nic = nics.plug(Nics.SLOT3);
        nic.set(CTRL, CTRL_SLU);
        nic.get(ICR);
        nics.last().backend().setCableConnected(false);
        assertEquals("13.4.2: STATUS.LU follows the backend", 0, nic.get(STATUS) & STATUS_LU);
        assertEquals("13.4.17: ICR.LSC when the link goes down", ICR_LSC, nic.get(ICR));
        nics.last().backend().setCableConnected(true);
        assertEquals("13.4.2: and up again", STATUS_LU, nic.get(STATUS) & STATUS_LU);
        assertEquals("13.4.17: ICR.LSC when it comes back", ICR_LSC, nic.get(ICR));
    }

    @Test
    public void backendNoneHasNoLink() throws IOException {
        TestNic nic = nics.plug(Nics.SLOT3, "backend=none");
        nic.set(CTRL, CTRL_SLU);
        assertEquals("no cable, no link", 0, nic.get(STATUS) & (STATUS_LU | STATUS_FD));
    }
}
