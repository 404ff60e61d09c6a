package org.devrt.emulator.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.devrt.pci.PciFunction;
import org.junit.After;
import org.junit.Test;

/** A devrt.emulator.function configuration plugs its function while it exists; a bad one is one error line. */
public class FunctionComponentTest {
    private final Machine machine = Machines.machine();
    private final List<String> errors = new ArrayList<>();
    /** The plugs a component put off until its address is free, run by the test. */
    private final List<Runnable> retries = new ArrayList<>();

    @After
    public void shutDown() {
        machine.close();
    }

    private FunctionComponent component(String... properties) {
        FunctionComponent component = new FunctionComponent();
        component.machine = machine;
        component.errors = errors::add;
        component.retries = retries::add;
        Map<String, Object> map = new HashMap<>();
        map.put("service.pid", "devrt.emulator.function~nic0");
        map.put("service.factoryPid", "devrt.emulator.function");
        map.put("felix.fileinstall.filename", "file:/srv/devrt/conf/devrt.emulator.function-nic0.cfg");
        map.put("component.name", "org.devrt.emulator.internal.FunctionComponent");
        for (String property : properties) {
            String[] kv = property.split("=", 2);
            map.put(kv[0], kv[1]);
        }
        component.activate(null, map); // no framework: the refusal is only said
        return component;
    }

    @Test
    public void aConfigurationPlugsItsFunctionWithTheModelOptions() {
        component("address=00:05.0", "model=generic", "vendor=0x8086", "device=0x100e");
        PciFunction f = machine.functions().get(0);
        assertEquals("0000:00:05.0 generic 8086:100e", f.toString());
        assertEquals("framework properties are not options", "device=0x100e vendor=0x8086",
                ((EmulatedFunction) f).options().toString());
        assertEquals(List.of(), errors);
    }

    @Test
    public void deletingTheConfigurationUnplugsTheFunction() {
        FunctionComponent component = component("address=00:05.0", "model=generic");
        component.deactivate();
        assertEquals(List.of(), machine.functions());
    }

    @Test
    public void aFunctionUnpluggedAndReplacedByHandIsLeftAlone() {
        FunctionComponent component = component("address=00:05.0", "model=generic");
        machine.unplug(Machines.SLOT5);
        Machines.plug(machine, Machines.SLOT5, "generic", "vendor=0x10ec");
        component.deactivate();
        assertEquals("the hand-plugged function stays", 0x10ec, machine.functions().get(0).vendorId());
    }

    @Test
    public void anUnknownModelIsOneErrorLineNamingTheFile() {
        component("address=00:05.0", "model=e1001");
        assertEquals(List.of("configuration devrt.emulator.function~nic0 "
                + "(/srv/devrt/conf/devrt.emulator.function-nic0.cfg): unknown model 'e1001' (models: generic); no "
                + "function plugged"),
                errors);
        assertEquals(List.of(), machine.functions());
    }

    @Test
    public void aMalformedAddressIsOneErrorLine() {
        component("address=00:5", "model=generic");
        assertEquals(1, errors.size());
        assertTrue(errors.get(0), errors.get(0).endsWith(
                "not a PCI address (want dddd:bb:dd.f, e.g. 0000:00:1f.2): 00:5; no function plugged"));
    }

    @Test
    public void aMissingModelIsOneErrorLine() {
        component("address=00:05.0");
        assertEquals(1, errors.size());
        assertTrue(errors.get(0), errors.get(0).contains("no 'model' property (e.g. model=generic)"));
    }

    @Test
    public void aBadConfigurationLeavesTheOthersWorking() {
        component("address=00:03.0", "model=generic");
        component("address=00:03.0", "model=generic");
        assertEquals(1, errors.size());
        assertTrue(errors.get(0), errors.get(0).contains("0000:00:03.0 is taken: "));
        component("address=00:05.0", "model=generic");
        assertEquals(2, machine.functions().size());
    }

    @Test
    public void aConfigurationRefusedForATakenAddressIsPluggedOnceTheAddressIsFree() {
        Machines.plug(machine, Machines.SLOT3, "generic", "vendor=0x10ec");
        FunctionComponent component = component("address=00:03.0", "model=generic", "vendor=0x8086");
        assertEquals(1, errors.size());
        assertTrue(errors.get(0), errors.get(0).endsWith("0000:00:03.0 is taken: generic 10ec:0005 is"
                + " plugged there ('unplug 0000:00:03.0' frees it); plugged there once it is free"));
        assertEquals("nothing to do while the address is taken", List.of(), retries);

        machine.unplug(Machines.SLOT3);
        assertEquals("a plug put off until the bus has let the address go", 1, retries.size());
        retries.remove(0).run();
        assertEquals("the configuration's function at 00:03.0", 0x8086, machine.functions().get(0).vendorId());
        assertEquals("said once", 1, errors.size());

        machine.unplug(Machines.SLOT3); // by hand: the configuration does not plug it again
        assertEquals(List.of(), retries);
        component.deactivate();
        assertEquals(List.of(), machine.functions());
    }

    @Test
    public void aRefusedConfigurationDeletedBeforeItsAddressFreesPlugsNothing() {
        Machines.plug(machine, Machines.SLOT3, "generic", "vendor=0x10ec");
        FunctionComponent component = component("address=00:03.0", "model=generic", "vendor=0x8086");
        component.deactivate();
        machine.unplug(Machines.SLOT3);
        retries.forEach(Runnable::run);
        assertEquals(List.of(), machine.functions());
    }
}
