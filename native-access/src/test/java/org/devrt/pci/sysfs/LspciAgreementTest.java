package org.devrt.pci.sysfs;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.devrt.pci.PciFunction;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The real lspci, reading the same sysfs, must see the same functions with the same ids: on this machine, and on
 * the fixture tree the other tests use (which shows the fixture is laid out as the kernel lays out sysfs).
 */
public class LspciAgreementTest {
    private static final Path HOST_ROOT = Path.of(SysfsPciBus.DEFAULT_ROOT);

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    /** The host's functions; call after {@link Lspci#installed()}, so that CI fails on a missing lspci first. */
    private static List<PciFunction> hostFunctions() {
        Assume.assumeTrue(HOST_ROOT + " does not exist here (not Linux, or no sysfs): nothing to compare",
                Files.isDirectory(HOST_ROOT));
        SysfsPciBus bus = new SysfsPciBus(HOST_ROOT);
        bus.rescan();
        return bus.functions();
    }

    @Test
    public void theHostBusListsWhatLspciListsWithTheSameIdsClassesAndRevisions() throws Exception {
        Lspci lspci = Lspci.installed();
        List<PciFunction> functions = hostFunctions();
        List<String> expected = lspci.terse(Optional.empty());
        assertEquals(expected, Lspci.render(functions, Lspci::terse));
        System.out.printf("lspci -n and the host bus agree on %d functions%n", expected.size());
    }

    @Test
    public void theHostBusHasLspcisSubsystemsProgIfsAndKernelDrivers() throws Exception {
        Lspci lspci = Lspci.installed();
        List<PciFunction> functions = hostFunctions();
        List<String> expected = lspci.machine(Optional.empty());
        assertEquals(expected, Lspci.render(functions, Lspci::machine));
        System.out.printf("lspci -vmmnkD and the host bus agree on %d functions%n", expected.size());
    }

    @Test
    public void lspciReadsTheFixtureTreeAsTheBusDoes() throws Exception {
        Lspci lspci = Lspci.installed();
        SysfsFixture sysfs = new SysfsFixture(temp.getRoot().toPath()).sampleMachine();
        SysfsPciBus bus = new SysfsPciBus(sysfs.devicesRoot());
        bus.rescan();
        Optional<Path> fixture = Optional.of(sysfs.lspciSysfsPath());
        assertEquals(lspci.terse(fixture), Lspci.render(bus.functions(), Lspci::terse));
        assertEquals(lspci.machine(fixture), Lspci.render(bus.functions(), Lspci::machine));
    }
}
