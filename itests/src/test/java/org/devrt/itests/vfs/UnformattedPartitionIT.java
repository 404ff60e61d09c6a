package org.devrt.itests.vfs;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * A disk whose partition table says FAT32 (type 0x0c) for a partition that was never formatted: a warning names the
 * partition and says what makes a filesystem, and nothing is mounted. (A partition of another type without a FAT is
 * left alone without a word: it is some other system's.)
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class UnformattedPartitionIT extends VfsTestSupport {
    static final String SLOT = "00:18.0";
    static final String IMAGE = "unformatted.img";

    @Override
    protected void makeImages(Path dir) throws Exception {
        DiskImage.partitioned(dir.resolve(IMAGE), DISK_BYTES, new Object[] {P1_START, P1_SECTORS, "c"});
    }

    @Test
    public void aFatPartitionWithoutAFilesystemIsAWarningNamingItAndIsNotMounted() throws Exception {
        String controller = plugAhci(SLOT, DiskImage.at(imageDir().resolve(IMAGE)));
        try {
            String warning = awaitLogLine("for the FAT32 partition without a filesystem", " WARN ",
                "(" + controller + "/port0)", "(type 0x0c) holds no FAT filesystem");
            assertTrue("the warning does not say what makes one: " + warning, warning.contains("'mkfs sd")
                && warning.endsWith("1' makes one, which replaces what is there)"));
            String name = warning.substring(warning.indexOf("disk ") + 5, warning.indexOf(" (" + controller));
            assertFalse("the partition without a filesystem is mounted\n" + state(),
                mountPoints().contains("/mnt/" + name + "1"));
        } finally {
            unplug(controller);
        }
    }
}
