package org.devrt.ahci.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.devrt.device.DeviceService;
import org.devrt.emulator.internal.Machine;
import org.devrt.pci.PciAddress;
import org.devrt.pci.PciFunction;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The driver brought up against the emulator's AHCI model (AHCI 1.3.1 §10.1.2 and IDENTIFY DEVICE). */
public class AhciBringUpTest {
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void attachFindsTheDiskWithModelSerialAndCapacity() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath(), "model0=TEST DISK 1", "serial0=SN-0042")) {
            rig.attach(TIMEOUT);
            assertEquals("one BlockDevice service for the one disk", 1, rig.published.size());
            SataDisk disk = rig.disk(0);
            assertEquals("model from IDENTIFY words 27-46", "TEST DISK 1", disk.model());
            assertEquals("serial from IDENTIFY words 10-19", "SN-0042", disk.serial());
            assertEquals("16 MiB of 512-byte sectors from IDENTIFY words 100-103", 32768, disk.blockCount());
            assertEquals(512, disk.blockSize());
            assertFalse(disk.isReadOnly());
        }
    }

    @Test
    public void serviceCarriesTheContextPropertiesWithThePortInTheDeviceId() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath(), "model0=TEST DISK 1")) {
            rig.attach(TIMEOUT);
            Map<String, Object> p = rig.published.get(0).properties();
            assertEquals(ModelRig.DEVICE_ID + "/port0", p.get(DeviceService.DEVICE_ID));
            assertEquals(DeviceService.TYPE_BLOCK, p.get(DeviceService.DEVICE_TYPE));
            assertEquals("TEST DISK 1", p.get(DeviceService.DESCRIPTION));
            assertEquals("0000:00:1f.2", p.get(DeviceService.PCI_ADDRESS));
            assertEquals("ahci", p.get(DeviceService.DRIVER_ID));
        }
    }

    @Test
    public void everyPortWithADiskBecomesOneServiceAndEmptyPortsNone() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath(), "disk2=" + tmp.getRoot().toPath().resolve("d2.img"),
                "size2=1M", "serial2=TWO")) {
            rig.attach(TIMEOUT);
            assertEquals("disks on ports 0 and 2 of 6", 2, rig.published.size());
            assertEquals(ModelRig.DEVICE_ID + "/port2", rig.published.get(1).properties().get(DeviceService.DEVICE_ID));
            assertEquals("TWO", rig.disk(1).serial());
            assertEquals(2048, rig.disk(1).blockCount());
        }
    }

    @Test
    public void aBiosOwnedHbaIsAskedForAndWaitedForWhileTheBiosFinishesItsCommands() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath(), "bios-owned=300")) {
            long start = System.nanoTime();
            rig.attach(TIMEOUT);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue("AHCI 1.3.1 §10.6.3: a busy BIOS (BOHC.BB) is given up to 2 s; the attach took " + millis
                    + " ms, under the BIOS's 300", millis >= 300);
            assertEquals("the disk comes up after the handoff", 1, rig.published.size());
            assertEquals("the BIOS let go in time: no problem", List.of(), rig.problems);
            assertEquals("BOHC: the OS owns the HBA (OOS), the BIOS no longer (BOS, BB clear)", Ahci.BOHC_OOS,
                    rig.model.read32(AhciController.ABAR, Ahci.BOHC) & (Ahci.BOHC_OOS | Ahci.BOHC_BOS | Ahci.BOHC_BB));
        }
    }

    @Test
    public void aBiosThatDoesNotAnswerIsOverriddenAfter25MillisecondsAndSaidSo() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath(), "bios-owned=never")) {
            long start = System.nanoTime();
            rig.attach(TIMEOUT);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue("§10.6.3: without BB within 25 ms the OS takes the HBA; the attach took " + millis + " ms",
                    millis < 1500);
            assertEquals("the disk comes up anyway", 1, rig.published.size());
            assertEquals(1, rig.problems.size());
            assertTrue(rig.problems.get(0), rig.problems.get(0).contains("the BIOS did not hand the HBA over within")
                    && rig.problems.get(0).contains("still owned") && rig.problems.get(0).contains("taken anyway"));
        }
    }

    @Test
    public void aBiosStillBusyAfterTwoSecondsIsOverriddenAndSaidSo() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath(), "bios-owned=6000")) {
            long start = System.nanoTime();
            rig.attach(TIMEOUT);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue("§10.6.3: a busy BIOS gets 2 s, not its 6; the attach took " + millis + " ms",
                    millis >= 2000 && millis < 5000);
            assertEquals("the disk comes up anyway", 1, rig.published.size());
            assertTrue(String.valueOf(rig.problems), rig.problems.size() == 1
                    && rig.problems.get(0).contains("still busy") && rig.problems.get(0).contains("taken anyway"));
        }
    }

    @Test
    public void hbaWithoutDisksAttachesAndRegistersNothing() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath(), "disk0=")) {
            rig.attach(TIMEOUT);
            assertEquals(0, rig.published.size());
        }
    }

    @Test
    public void detachUnregistersTheServicesAndFreesEveryDmaRegion() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath())) {
            long before = rig.freeMemoryKiB();
            rig.attach(TIMEOUT).detach();
            rig.attachment = null;
            assertFalse("service unregistered on detach", rig.published.get(0).registered().get());
            assertEquals("DMA memory after detach (KiB free)", before, rig.freeMemoryKiB());
            assertThrows("the disk refuses I/O after detach", org.devrt.device.DeviceGoneException.class,
                    () -> rig.disk(0).read(0, java.nio.ByteBuffer.allocate(512)));
        }
    }

    @Test
    public void probeRefusesAFunctionThatIsNotAnAhciHba() {
        Machine machine = Machine.standalone(1 << 20);
        try {
            PciFunction generic = machine.plug(PciAddress.parse("00:05.0"), "generic", Map.of());
            IOException e = assertThrows(IOException.class, () -> AhciDriver.probe(generic));
            assertTrue(e.getMessage(), e.getMessage().contains("not an AHCI HBA"));
        } finally {
            machine.close();
        }
    }
}
