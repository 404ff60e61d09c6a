package org.devrt.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.devrt.vfs.MountInfo;
import org.devrt.vfs.Vfs;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.condition.Condition;

/**
 * The second shipped machine, machines/two-disks, boots as its README says: on first start its MBR disk and its
 * GPT disk are set up and all six volumes mounted, and both NICs are up on their own networks, each gateway
 * answering ping.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TwoDiskMachineIT extends RuntimeTestSupport {

    @Override
    protected Path confSource(Path shipped) {
        return Path.of(required("devrt.home"), "machines", "two-disks");
    }

    @Test
    public void bothDisksAreSetUpOnFirstStartAndEveryVolumeIsMounted() throws Exception {
        awaitRuntimeStarted();
        assertNotNull("devrt.ready not registered within " + TIMEOUT + ":\n" + shell("devrt:ready -w 0"),
            awaitService(Condition.class, "(osgi.condition.id=devrt.ready)"));
        Vfs vfs = awaitService(Vfs.class, null);
        assertEquals("mounts", List.of(
            "/mnt/sda1 FAT16 SYSTEM", "/mnt/sda2 FAT32 DATA",
            "/mnt/sdb1 FAT32 PHOTOS", "/mnt/sdb2 FAT32 MUSIC", "/mnt/sdb3 FAT16 LOGS", "/mnt/sdb4 FAT32 SPARE"),
            vfs.mounts().stream().map(m -> m.mountPoint() + " " + m.variant() + " " + m.label()).sorted().toList());
        for (MountInfo m : vfs.mounts()) {
            assertTrue(m.mountPoint() + " is read-write", !m.readOnly());
        }
        String lsblk = shell("devrt:lsblk");
        assertTrue("lsblk shows sda 512M and sdb 1G:\n" + lsblk,
            lsblk.lines().anyMatch(l -> l.matches("sda\\s+512M\\s+0\\s+disk.*"))
                && lsblk.lines().anyMatch(l -> l.matches("sdb\\s+1G\\s+0\\s+disk.*")));
        Path host = Path.of(required("devrt.itests.dir"), "two-disks-hello.txt");
        Files.writeString(host, "hello from sdb4\n");
        shell("devrt:put '" + host + "' /mnt/sdb4/hello.txt");
        assertEquals("put, then cat, on the GPT disk's last volume", "hello from sdb4",
            shell("devrt:cat /mnt/sdb4/hello.txt").trim());
    }

    @Test
    public void bothNicsAreUpOnTheirOwnNetworksAndEachGatewayAnswers() throws Exception {
        awaitRuntimeStarted();
        assertNotNull(awaitService(Condition.class, "(osgi.condition.id=devrt.ready)"));
        String addr = shell("devrt:ip addr");
        assertTrue("eth0 10.0.2.15/24 and eth1 10.0.3.15/24 in:\n" + addr,
            addr.contains("inet 10.0.2.15/24 brd 10.0.2.255 scope global eth0")
                && addr.contains("inet 10.0.3.15/24 brd 10.0.3.255 scope global eth1"));
        for (String gateway : List.of("10.0.2.2", "10.0.3.2")) {
            String ping = shell("devrt:ping -c 2 -W 2 " + gateway);
            assertTrue("ping " + gateway + ":\n" + ping, ping.contains("2 packets transmitted, 2 received"));
        }
    }
}
