package org.devrt.emulator.internal;

import static org.devrt.emulator.internal.Machines.SLOT5;
import static org.devrt.emulator.internal.generic.GenericModel.DMA_CMD;
import static org.devrt.emulator.internal.generic.GenericModel.DMA_LEN;
import static org.devrt.emulator.internal.generic.GenericModel.DOORBELL;
import static org.devrt.emulator.internal.generic.GenericModel.ID;
import static org.devrt.emulator.internal.generic.GenericModel.SCRATCH;
import static org.devrt.emulator.internal.generic.GenericModel.STATUS;
import static org.devrt.emulator.internal.generic.GenericModel.STATUS_DMA_ERROR;
import static org.devrt.emulator.internal.generic.GenericModel.STATUS_DOORBELL;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.IOException;
import java.util.List;

import org.devrt.hw.RegisterIo;
import org.devrt.pci.BarInfo;
import org.devrt.pci.ClassCode;
import org.devrt.pci.PciFunction;
import org.junit.After;
import org.junit.Test;

/** The generic device's identity from options, and its register file, as a test driver sees them. */
public class GenericDeviceTest {
    private final Machine machine = Machines.machine();

    @After
    public void shutDown() {
        machine.close();
    }

    @Test
    public void withoutOptionsItIsQemusTestDevice() {
        PciFunction f = Machines.plug(machine, SLOT5, "generic");
        assertEquals("vendor", 0x1b36, f.vendorId());
        assertEquals("device", 0x0005, f.deviceId());
        assertEquals(ClassCode.of(0xff0000), f.classCode());
        assertEquals("subsystem vendor", 0x1af4, f.subsystemVendorId());
        assertEquals("subsystem", 0x1100, f.subsystemId());
        assertEquals("INTA#", 1, f.interruptPin());
        assertEquals(List.of(0x01), f.capabilities());
        assertEquals(1, f.bars().size());
        assertEquals(BarInfo.Kind.MEMORY32, f.bars().get(0).kind());
        assertEquals(4096, f.bars().get(0).size());
    }

    @Test
    public void optionsSetTheIdentityAndBars() {
        PciFunction f = Machines.plug(machine, SLOT5, "generic", "vendor=0x8086", "device=4110", "class=0x010601",
                "subsystem-vendor=0x15ad", "subsystem=0x0790", "revision=2", "pin=0", "bar0size=128k",
                "bar64=true", "bar2size=0x40");
        assertEquals(0x8086, f.vendorId());
        assertEquals(0x100e, f.deviceId());
        assertEquals(new ClassCode(1, 6, 1), f.classCode());
        assertEquals(0x15ad, f.subsystemVendorId());
        assertEquals(0x0790, f.subsystemId());
        assertEquals(2, f.revision());
        assertEquals("no interrupt pin", 0, f.interruptPin());
        assertEquals(List.of(BarInfo.Kind.MEMORY64, BarInfo.Kind.IO), f.bars().stream().map(BarInfo::kind).toList());
        assertEquals(128 << 10, f.bars().get(0).size());
        assertEquals(2, f.bars().get(1).index());
        assertThrows("pin=0: no interrupt line", IOException.class, f::interruptLine);
    }

    @Test
    public void badOptionValuesNameTheOptionAndTheRule() {
        assertEquals("option vendor=0xffff of model generic: must be from 0x0 to 0xfffe", plugError("vendor=0xffff"));
        assertEquals("option class=0x1000000 of model generic: must be from 0x0 to 0xffffff", plugError("class=0x1000000"));
        assertEquals("option bar0size=64 of model generic: must be from 128 to 1m", plugError("bar0size=64"));
        assertEquals("option bar64=maybe of model generic: want true or false", plugError("bar64=maybe"));
        assertEquals("option device=nic of model generic: not a number (want decimal, 0x hex, or a size such as 4k, 256m, 2g, 1t)",
                plugError("device=nic"));
    }

    private String plugError(String option) {
        return assertThrows(IllegalArgumentException.class,
                () -> Machines.plug(machine, SLOT5, "generic", option)).getMessage();
    }

    @Test
    public void scratchRegistersHoldWhatIsWrittenAndIdIsReadOnly() throws IOException {
        RegisterIo bar0 = Machines.plug(machine, SLOT5, "generic", "vendor=0x8086", "bar2size=16").bar(0);
        bar0.write32(SCRATCH, 0xdeadbeef);
        bar0.write32(0xffc, 42);
        assertEquals(0xdeadbeef, bar0.read32(SCRATCH));
        assertEquals(42, bar0.read32(0xffc));
        bar0.write32(ID, 0);
        assertEquals("ID: vendor | device << 16", 0x0005_8086, bar0.read32(ID));
        bar0.write32(0x28, 1);
        assertEquals("reserved registers read 0", 0, bar0.read32(0x28));
        assertEquals("DMA_CMD reads 0", 0, bar0.read32(DMA_CMD));
    }

    @Test
    public void theIoBarIsAPlainRegisterFile() throws IOException {
        RegisterIo bar2 = Machines.plug(machine, SLOT5, "generic", "bar2size=16").bar(2);
        bar2.write32(12, 7);
        assertEquals(7, bar2.read32(12));
        assertEquals(16, bar2.size());
    }

    @Test
    public void statusIsWriteOneToClearAndTheDoorbellSetsIt() throws IOException {
        RegisterIo bar0 = Machines.plug(machine, SLOT5, "generic").bar(0);
        bar0.write32(DOORBELL, 0x55);
        assertEquals(STATUS_DOORBELL, bar0.read32(STATUS));
        assertEquals("the doorbell keeps its value", 0x55, bar0.read32(DOORBELL));
        bar0.write32(STATUS, 0);
        assertEquals("writing 0 clears nothing", STATUS_DOORBELL, bar0.read32(STATUS));
        bar0.write32(STATUS, STATUS_DOORBELL);
        assertEquals(0, bar0.read32(STATUS));
    }

    @Test
    public void aCopyLongerThanTheLimitIsADeviceError() throws IOException {
        PciFunction f = Machines.plug(machine, SLOT5, "generic");
        GenericDriver driver = new GenericDriver(f).busMaster(true);
        long region = f.dmaMemory().allocate(4096).physicalAddress();
        assertEquals(STATUS_DMA_ERROR, driver.copy(region, region, (1 << 20) + 1));
        assertEquals("DMA_LEN keeps what was written", (1 << 20) + 1, driver.bar0.read32(DMA_LEN));
    }
}
