package org.devrt.emulator.internal.ahci;

import static org.devrt.emulator.internal.ahci.AhciRegs.ATA_CMD_READ_DMA_EXT;

import static org.junit.Assert.assertEquals;

import java.io.IOException;

import org.devrt.hw.DmaRegion;
import org.junit.After;

/**
 * What the AHCI test classes share: a fresh {@link AhciMachine} per test, closed afterwards, and the usual start: an
 * HBA with a 1 MiB disk on port 0, port 0 started by the test driver, and an 8 KiB buffer.
 */
abstract class AhciFixture {
    final AhciMachine machine = new AhciMachine();
    AhciTestDriver driver;
    AhciTestDriver.Port port;
    DmaRegion buffer;

    @After
    public void closeMachine() throws IOException {
        AhciModel model = machine.model;
        machine.close();
        assertEquals("the model itself failed (see the log): a bug of the model, not of the driver", 0,
                model == null ? 0 : model.modelFailures.get());
    }

    /** Plugs the HBA with {@code disk0=@d0 size0=1M} and {@code more} options; the driver does not start it. */
    AhciTestDriver plugWithDisk(String... more) throws IOException {
        String[] options = new String[more.length + 2];
        options[0] = "disk0=@d0";
        options[1] = "size0=1M";
        System.arraycopy(more, 0, options, 2, more.length);
        driver = new AhciTestDriver(machine.plug(options));
        return driver;
    }

    /** {@link #plugWithDisk}, then starts port 0 and allocates {@link #buffer}. */
    void startPort0(String... more) throws IOException {
        port = plugWithDisk(more).port(0).start();
        buffer = driver.dma.allocate(8192);
    }

    /** READ DMA EXT of {@code sectors} from LBA 0 into {@link #buffer} in slot 0; PxIS, acknowledged. */
    int readSectors(int sectors) {
        return port.run(AhciTestDriver.h2d(ATA_CMD_READ_DMA_EXT, 0, sectors, 0), false, buffer, sectors * 512);
    }
}
