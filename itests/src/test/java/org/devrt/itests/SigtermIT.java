package org.devrt.itests;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The runtime as a person or a service manager runs it, {@code java -jar run.jar} in its own JVM, ended with SIGTERM
 * ({@link Process#destroy}) once ready, then started again on the same framework storage: the framework must stop, so
 * the VFS flushes and unmounts its volume, and the next start must find the volume clean and the bundles it kept
 * as they were. Headless ({@code gosh.args=--nointeractive}): the shell is not needed. The bnd launcher traces
 * ({@code launch.trace}) what it does with each bundle of run.jar.
 */
public class SigtermIT {
    private static final long READY_SECONDS = 90;
    private static final long EXIT_SECONDS = 40;
    private static Path dir;
    private static String first;
    private static String second;

    @BeforeClass
    public static void bootTwiceEndingEachWithSigterm() throws Exception {
        dir = RuntimeTestSupport.freshRuntimeFolder("sigterm");
        first = bootUntilReadyThenSigterm();
        second = bootUntilReadyThenSigterm();
    }

    @AfterClass
    public static void cleanUp() throws IOException {
        RuntimeTestSupport.deleteFolder(dir);
    }

    @Test
    public void sigtermStopsTheFrameworkSoTheVolumeIsUnmountedAndFoundCleanAtTheNextStart() {
        assertTrue("the shutdown hook did not stop the framework:\n" + first,
                first.contains("the JVM is ending: stopping the framework"));
        assertTrue("the volume was not unmounted at SIGTERM:\n" + first, first.contains("unmounted /mnt/sda1"));

        assertFalse("the next start found the volume dirty:\n" + second, second.contains("not unmounted cleanly"));
        assertTrue("the volume was not mounted at the next start:\n" + second, second.contains("mounted sda1"));
    }

    /**
     * run.jar's manifest carries a digest of each bundle it embeds (-digests in run.bndrun); without one the launcher
     * updates every kept bundle at each start, a new revision and a refresh of all of them.
     */
    @Test
    public void aRestartKeepsTheBundlesOfTheFirstStartWithoutUpdatingThem() {
        assertTrue("the first start did not install run.jar's bundles:\n" + first, first.contains("# installing jar/"));
        assertFalse("the restart updated bundles that had not changed:\n" + second, second.contains("# updating jar/"));
        assertTrue("the restart did not compare run.jar's bundles with the kept ones:\n" + second,
                second.contains("# not updating jar/"));
    }

    /**
     * Starts run.jar in {@link #dir} with its output to a file, waits for "devrt ready", sends SIGTERM and waits for
     * the JVM to end; returns what it wrote. The signal goes through {@link ProcessHandle#destroy}, which only sends
     * it: {@link Process#destroy} would also close the pipes, and the runtime's last lines would be lost.
     */
    private static String bootUntilReadyThenSigterm() throws Exception {
        Path log = dir.resolve("run.log");
        List<String> command = List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Dgosh.args=--nointeractive", "-Dlaunch.trace=true", "-Duser.home=" + dir, "-Djava.io.tmpdir=" + dir,
                "-Dfelix.fileinstall.dir=conf", "-Dlaunch.storage.dir=var/framework",
                "-jar", System.getProperty("devrt.runtime.jar"));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
            while (!Files.readString(log).contains("devrt ready")) {
                assertTrue("not ready within " + READY_SECONDS + " s:\n" + Files.readString(log),
                        System.nanoTime() < deadline && process.isAlive());
                Thread.sleep(50);
            }
            assertTrue("cannot send SIGTERM", process.toHandle().destroy());
            assertTrue("the runtime did not end within " + EXIT_SECONDS + " s of SIGTERM:\n" + Files.readString(log),
                    process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS));
            return Files.readString(log);
        } finally {
            process.destroyForcibly();
        }
    }
}
