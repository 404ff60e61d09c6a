package org.devrt.benchmarks.endurance;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.devrt.benchmarks.LeakCounts;
import org.devrt.benchmarks.hotplug.EmbeddedRuntime;

/**
 * The endurance suite: the runtime of run.jar in this JVM, with an AHCI controller whose disk is a FAT32 image made by
 * the host's dosfstools and an e1000 on a virtual switch, then
 * <ol>
 * <li>install/uninstall cycles of each real driver bundle, the device services (and the disk's volume) gone after
 * the uninstall and back after the install;</li>
 * <li>hot plug/unplug cycles of the AHCI controller and of the e1000 through the EmulatedMachine service;</li>
 * <li>the {@link MixedLoad} under {@link Chaos}, then the disk removed cleanly (Vfs sync, driver uninstalled: the
 * VFS flushes and unmounts), unplugged, and its volume checked by {@code fsck.fat -n} and every synced file by
 * mtools ({@link DataCheck}).</li>
 * </ol>
 * Leak counts around each kind of cycle and the mixed load. The report goes to
 * benchmarks/target/endurance-report.txt (or {@code -Dendurance.report}) and is printed; the exit status is 1 when
 * it found a leak, a data loss, an fsck error or a failed chaos action.
 *
 * <p>Settings (system properties): {@code endurance.cycles} (default 1000, for each kind), {@code endurance.minutes}
 * (default 10), {@code devrt.root} (the repository, default the working directory).
 */
public final class EnduranceSuite {
    static final long DISK_BYTES = 256L << 20;

    public static void main(String[] args) throws Exception {
        int cycles = Integer.getInteger("endurance.cycles", 1000);
        double minutes = Double.parseDouble(System.getProperty("endurance.minutes", "10"));
        Path root = Path.of(System.getProperty("devrt.root", ".")).toAbsolutePath().normalize();
        Path report = Path.of(System.getProperty("endurance.report",
                root.resolve("benchmarks/target/endurance-report.txt").toString()));
        Path work = root.resolve("benchmarks/target/endurance");
        clean(work);
        Files.createDirectories(work);
        Path image = work.resolve("disk.img");
        FatImage.create(image, DISK_BYTES);

        long t0 = System.nanoTime();
        StringBuilder out = new StringBuilder(String.format("devrt endurance suite, %s%n"
                + "java %s, %d processors, load average %.1f at the start; %d cycles of each kind, %.1f min of mixed load%n"
                + "disk: %d MiB image, MBR + FAT32 made by sfdisk and mkfs.fat (%s)%n", Instant.now(),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), loadAverage(), cycles,
                minutes, DISK_BYTES >> 20, image));
        List<String> problems = new ArrayList<>();
        String gatewaySwitch = "endurance-" + ProcessHandle.current().pid();
        Function disk = Function.disk(image.toString());
        Function nic = Function.nic("nic0", "00:03.0", "52:54:00:e0:02:0f", "switch:" + gatewaySwitch);
        try (EnduranceRig rig = new EnduranceRig(work.resolve("runtime"))) {
            try {
                rig.plug(disk);
                rig.plug(nic);
                rig.awaitDevice(disk, true);
                rig.awaitDevice(nic, true);

                out.append("\n== 1. driver bundle install/uninstall cycles, devices plugged ==\n");
                for (Function f : List.of(disk, nic)) {
                    CycleCheck.Result r = CycleCheck.run(rig, f.driverBsn() + " with " + f.name(), cycles,
                            CycleCheck.driverCycle(rig, f));
                    out.append(r.text());
                    r.leaks().forEach(l -> problems.add(r.title() + ": leak of " + l));
                }
                out.append("\n== 2. hot plug/unplug cycles through EmulatedMachine ==\n");
                for (Function f : List.of(disk, nic)) {
                    CycleCheck.Result r = CycleCheck.run(rig, f.name() + ", " + f.driverBsn(), cycles,
                            CycleCheck.plugCycle(rig, f));
                    out.append(r.text());
                    r.leaks().forEach(l -> problems.add(r.title() + ": leak of " + l));
                }
                out.append(mixedLoad(rig, disk, nic, gatewaySwitch, image, work, minutes, problems));
            } catch (Exception | Error e) {
                System.err.println(rig.diagnosis());
                throw e;
            } finally {
                Files.copy(rig.dir().resolve(EmbeddedRuntime.LOG), work.resolve("devrt.log"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
        out.append(String.format("%n== verdict ==%n%s%ntotal %.1f min; load average %.1f at the end; the runtime's log: %s%n",
                problems.isEmpty() ? "no problems found" : "PROBLEMS:\n  " + String.join("\n  ", problems),
                (System.nanoTime() - t0) / 60e9, loadAverage(), work.resolve("devrt.log")));
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, out);
        System.out.print(out);
        System.out.println("written to " + report);
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    private static String mixedLoad(EnduranceRig rig, Function disk, Function nic, String gatewaySwitch, Path image,
            Path work, double minutes, List<String> problems) throws Exception {
        StringBuilder out = new StringBuilder("\n== 3. mixed load under chaos ==\n");
        NetApi net = new NetApi(rig);
        DataCheck.Result data;
        try (MixedLoad load = new MixedLoad(rig, net, disk, nic, gatewaySwitch)) {
            load.awaitNetwork();
            System.out.printf("mixed load: %.1f min%n", minutes);
            load.run(minutes);
            out.append(String.format("%.1f min; chaos actions (removal and restore, devices back before the next):%n",
                    load.seconds / 60)).append(load.chaos.text());
            load.chaos.failures.forEach(f -> problems.add("chaos: " + f.lines().findFirst().orElse(f)));
            out.append(String.format("vfs: %d writers wrote %d files, %d synced (%d bytes); %d readers verified %d reads"
                    + " (%d bytes) during the load, %d mismatches%n", MixedLoad.WRITERS,
                    load.writers.stream().mapToLong(w -> w.written.get()).sum(), load.files.syncedFiles(),
                    load.files.syncedBytes(), MixedLoad.READERS,
                    load.readers.stream().mapToLong(r -> r.verified.get()).sum(),
                    load.readers.stream().mapToLong(r -> r.verifiedBytes.get()).sum(),
                    load.readers.stream().mapToLong(r -> r.mismatches.size()).sum()));
            load.readers.forEach(r -> r.mismatches.forEach(m -> problems.add("read back during the load: " + m)));
            out.append(String.format("udp: %d sent, %d echoed intact, %d lost, %d corrupt (peer echoed %d)%n",
                    load.udp.sent.get(), load.udp.echoed.get(), load.udp.lost.get(), load.udp.corrupt.get(),
                    load.peerEchoed())).append(String.format("ping: %d sent, %d replies, %d lost%n", load.ping.sent.get(),
                    load.ping.replies.get(), load.ping.lost.get()));
            if (load.udp.corrupt.get() > 0) {
                problems.add(load.udp.corrupt.get() + " corrupt UDP echoes");
            }
            out.append(String.format("client errors during removals: %d clear, %d unclear%n", load.errors.total(true),
                    load.errors.total(false))).append(load.errors.text());
            out.append("leak counts, start of the load to its end (the same devices plugged, drivers installed):\n")
                    .append(LeakCounts.table(load.start, load.end, load.settled, MixedLoad.SETTLE_SECONDS));
            load.leaks().forEach(l -> problems.add("mixed load: leak of " + l));

            rig.vfs.sync();
            rig.uninstallDriver(disk.driverBsn());
            rig.awaitDevice(disk, false);
            rig.unplug(disk);
            out.append("the disk removed cleanly: Vfs sync, ").append(disk.driverBsn())
                    .append(" uninstalled (the VFS flushed and unmounted its volume), the controller unplugged\n");
            data = DataCheck.check(image, work, load.files.expected());
            out.append(String.format("synced files: %d (%d bytes) in all, %d (%d bytes) deleted afterwards by their writer"
                    + " (each keeps its newest %d), %d (%d bytes) expected on the disk%n", load.files.syncedFiles(),
                    load.files.syncedBytes(), load.files.retiredFiles(), load.files.retiredBytes(), VfsWriter.KEEP,
                    data.expectedFiles(), data.expectedBytes()));
        }
        out.append(String.format("verified with mtools: %d of %d files, %d of %d bytes%n", data.verifiedFiles(),
                data.expectedFiles(), data.verifiedBytes(), data.expectedBytes()));
        data.failures().forEach(f -> out.append("  NOT VERIFIED ").append(f).append('\n'));
        data.failures().forEach(f -> problems.add("synced file not on the disk as written: " + f));
        out.append("fsck.fat -n (exit status ").append(data.fsckStatus()).append("):\n  ")
                .append(data.fsck().replace("\n", "\n  ")).append('\n');
        if (data.fsckStatus() != 0) {
            problems.add("fsck.fat -n exit status " + data.fsckStatus());
        }
        return out.toString();
    }

    private static void clean(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
