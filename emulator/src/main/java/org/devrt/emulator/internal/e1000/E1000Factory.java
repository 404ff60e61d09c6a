package org.devrt.emulator.internal.e1000;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.devrt.device.MacAddress;
import org.devrt.emulator.internal.model.BarSpec;
import org.devrt.emulator.internal.model.DeviceModel;
import org.devrt.emulator.internal.model.ModelFactory;
import org.devrt.emulator.internal.model.ModelHost;
import org.devrt.emulator.internal.model.ModelIdentity;
import org.devrt.emulator.internal.model.ModelOptions;
import org.devrt.emulator.internal.net.Backend;
import org.devrt.emulator.internal.net.Backends;
import org.devrt.emulator.internal.net.Switches;
import org.devrt.pci.ClassCode;
import org.devrt.pci.PciAddress;

/**
 * Makes {@link E1000Model}s; every option has a default, so {@code plug 00:03.0 e1000} works alone and joins
 * {@code switch:default}.
 */
final class E1000Factory implements ModelFactory {
    /** 82540EM: Intel 8086:100E, Ethernet controller 02.00.00, subsystem 8086:001E, INTA#. */
    static final ModelIdentity IDENTITY = new ModelIdentity(0x8086, 0x100E, ClassCode.of(0x020000), 0x02, 0x8086,
            0x001E, 1);
    private static final Map<String, String> OPTIONS = new LinkedHashMap<>();

    static {
        OPTIONS.put("mac", "Ethernet address, e.g. 52:54:00:12:34:56 (default 52:54:00:<bus>:<device>:<function>)");
        OPTIONS.put("backend", "what the cable is plugged into: " + Backends.SYNTAX + " (default "
                + Backends.DEFAULT + ")");
        OPTIONS.put("pcap", "capture file for every frame, both directions, e.g. var/capture/nic0.pcap "
                + "(default none)");
        OPTIONS.put("io", "whether BAR 1, the I/O window IOADDR/IODATA, exists (default true)");
        OPTIONS.put("tx-hang", "fault: the transmit unit hangs after N frames (TDH stops, no descriptor is written"
                + " back) until the driver resets the controller; once (default 0: never)");
        OPTIONS.put("bad-fcs", "fault: every Nth frame received arrives with a bad FCS, as over a damaged cable:"
                + " counted in CRCERRS and dropped, or stored with ERRORS.CE if the driver sets RCTL.SBP"
                + " (default 0: never)");
    }

    private final Switches switches;

    E1000Factory(Switches switches) {
        this.switches = switches;
    }

    @Override
    public String name() {
        return "e1000";
    }

    @Override
    public String description() {
        return "Intel 82540EM Gigabit Ethernet (8086:100e): EEPROM, PHY, legacy RX/TX rings, filters, statistics";
    }

    @Override
    public Map<String, String> options() {
        return OPTIONS;
    }

    @Override
    public DeviceModel create(ModelOptions options, ModelHost host) {
        MacAddress mac = mac(options, host.address());
        int txHang = (int) options.number("tx-hang", 0, 0, Integer.MAX_VALUE); // checked before the backend opens
        int badFcs = (int) options.number("bad-fcs", 0, 0, Integer.MAX_VALUE);
        List<BarSpec> bars = new ArrayList<>();
        bars.add(BarSpec.memory32(0, E1000Model.BAR0_SIZE));
        if (options.flag("io", true)) {
            bars.add(BarSpec.io(E1000Model.IO_BAR, E1000Model.IO_SIZE));
        }
        Backend backend;
        try {
            backend = Backends.open(options.string("backend", Backends.DEFAULT), host.address().toString(), switches);
        } catch (IllegalArgumentException e) {
            throw options.invalid("backend", e.getMessage());
        }
        String pcap = options.string("pcap", null);
        if (pcap != null) {
            try {
                backend = Backends.capture(backend, pcap);
            } catch (IllegalArgumentException e) {
                throw options.invalid("pcap", e.getMessage());
            }
        }
        try {
            E1000Model model = new E1000Model(host, IDENTITY, bars, mac, backend);
            if (txHang > 0) {
                model.hangTransmitAfter(txHang);
            }
            model.badFcsEvery(badFcs);
            return model;
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    private static MacAddress mac(ModelOptions options, PciAddress address) {
        String text = options.string("mac", null);
        if (text == null) {
            return defaultMac(address);
        }
        MacAddress mac;
        try {
            mac = MacAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw options.invalid("mac", e.getMessage());
        }
        if (mac.isMulticast() || mac.equals(MacAddress.of(new byte[6]))) {
            throw options.invalid("mac", "a NIC's address must be unicast (bit 0 of the first byte clear) and not 0");
        }
        return mac;
    }

    /** 52:54:00 (locally administered, QEMU's prefix), then bus, device and function: stable per slot. */
    static MacAddress defaultMac(PciAddress address) {
        return MacAddress.of(new byte[] {0x52, 0x54, 0x00, (byte) address.bus(), (byte) address.device(),
            (byte) address.function()});
    }
}
