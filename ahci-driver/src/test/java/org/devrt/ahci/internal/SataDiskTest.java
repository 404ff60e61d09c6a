package org.devrt.ahci.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/**
 * Where a PRD may point, for a caller's buffer mapped for the HBA: a mapped buffer at an odd address failed the request
 * (the PRD's word-alignment check threw), and one above 4 GiB on an HBA without CAP.S64A went out with its high half
 * dropped, into low memory. Both now go through the slot buffers.
 */
public class SataDiskTest {
    private static final long FOUR_GIB = 1L << 32;

    @Test
    public void aWordAlignedBufferBelow4GiBIsMappedWithOrWithoutS64a() {
        assertTrue(SataDisk.prdCanPointAt(0x1000, 64 << 10, false));
        assertTrue(SataDisk.prdCanPointAt(FOUR_GIB - 0x1000, 0x1000, false));
        assertTrue(SataDisk.prdCanPointAt(0x1000, 64 << 10, true));
    }

    @Test
    public void aBufferReachingAbove4GiBIsMappedOnlyWithS64a() {
        assertFalse("ends past 4 GiB", SataDisk.prdCanPointAt(FOUR_GIB - 0x1000, 0x2000, false));
        assertFalse("starts above 4 GiB", SataDisk.prdCanPointAt(0x100_0000_0000L, 0x1000, false));
        assertTrue(SataDisk.prdCanPointAt(0x100_0000_0000L, 0x1000, true));
    }

    @Test
    public void aBufferAtAnOddAddressIsNeverMapped() {
        assertFalse("AHCI §4.2.3.3: DBA bit 0 is reserved", SataDisk.prdCanPointAt(0x1001, 0x1000, true));
    }
}
