package org.devrt.pci.sysfs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.devrt.pci.BarInfo;
import org.devrt.pci.BarInfo.Kind;
import org.junit.Test;

public class ResourceFileTest {
    private static final String ZERO = "0x0000000000000000 0x0000000000000000 0x0000000000000000";
    private final List<String> problems = new ArrayList<>();

    private List<BarInfo> bars(String... lines) {
        return ResourceFile.bars(List.of(lines), "/sys/bus/pci/devices/0000:00:1f.2/resource", problems::add);
    }

    @Test
    public void readsMemoryIoAnd64BitBarsAtTheirIndex() {
        List<BarInfo> bars = bars(
                "0x00000000febc0000 0x00000000febdffff 0x0000000000040200",
                "0x000000000000c000 0x000000000000c03f 0x0000000000040101",
                "0x00000000e0000000 0x00000000efffffff 0x000000000014220c",
                ZERO, ZERO, ZERO,
                "0x00000000feb80000 0x00000000febbffff 0x0000000000046200");
        assertEquals(List.of(
                new BarInfo(0, Kind.MEMORY32, 0xfebc0000L, 0x20000, false),
                new BarInfo(1, Kind.IO, 0xc000, 0x40, false),
                new BarInfo(2, Kind.MEMORY64, 0xe0000000L, 0x10000000, true)), bars);
        assertEquals(List.of(), problems);
    }

    /**
     * A line from the machine this was written on (a virtio VM), where lspci -v said
     * "Memory at 4000000000 (64-bit, non-prefetchable) [size=512K]".
     */
    @Test
    public void readsAVirtioBarAsLspciDescribesIt() {
        assertEquals(List.of(new BarInfo(0, Kind.MEMORY64, 0x4000000000L, 512 * 1024, false)),
                bars("0x0000004000000000 0x000000400007ffff 0x0000000000140204", ZERO));
    }

    @Test
    public void ignoresTheRomAndBridgeWindowsAfterBar5() {
        List<String> lines = new ArrayList<>(List.of(ZERO, ZERO, ZERO, ZERO, ZERO, ZERO));
        lines.add("0x00000000fea00000 0x00000000fea7ffff 0x0000000000046200");
        assertEquals(List.of(), ResourceFile.bars(lines, "resource", problems::add));
        assertEquals(List.of(), problems);
    }

    @Test
    public void reportsEachMalformedLineWithTheFileAndLineAndKeepsTheOthers() {
        List<BarInfo> bars = bars(
                "0x00000000febd2000 0x00000000febd20ff",
                "0x00000000febd3000 0x00000000febd30ff 0x0000000000040200",
                "0xfebd4000 zz 0x200",
                "0x00000000febd5000 0x00000000febd5fff 0x0000000000000400",
                "0x00000000febd6000 0x00000000febd6ffe 0x0000000000040200",
                "0x00000000febd7000 0x00000000febd6fff 0x0000000000040200");
        assertEquals(List.of(new BarInfo(1, Kind.MEMORY32, 0xfebd3000L, 0x100, false)), bars);
        assertEquals(problems.toString(), 5, problems.size());
        String file = "/sys/bus/pci/devices/0000:00:1f.2/resource";
        assertTrue(problems.get(0), problems.get(0).startsWith(file + " line 1: want 'start end flags'"));
        assertTrue(problems.get(1), problems.get(1).startsWith(file + " line 3: not hexadecimal"));
        assertTrue(problems.get(2), problems.get(2).contains("line 4: resource type 0x400 is neither"));
        assertTrue(problems.get(3), problems.get(3).contains("line 5: size 0xfff is not a power of two"));
        assertTrue(problems.get(4), problems.get(4).contains("line 6: end is not above start"));
    }

    @Test
    public void aShortFileGivesTheBarsItHas() {
        assertEquals(List.of(new BarInfo(0, Kind.IO, 0x1000, 0x100, false)),
                bars("0x0000000000001000 0x00000000000010ff 0x0000000000040101"));
        assertEquals(List.of(), bars());
    }
}
