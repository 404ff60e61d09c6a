package org.devrt.itests.vfs;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Assert;
import org.junit.Assume;

/**
 * Linux's FAT tools, which make the test images and judge what devrt wrote: sfdisk (fdisk), mkfs.fat and fsck.fat
 * (dosfstools), mcopy, mdir and mtype (mtools). In CI ({@code CI=true}, where .ci/run installs them) a missing tool
 * fails the test; elsewhere it is skipped. Used outside the framework (images made before boot) and inside it.
 */
final class HostTools {
    static final List<String> TOOLS = List.of("sfdisk", "mkfs.fat", "fsck.fat", "mcopy", "mdir", "mtype");
    private static final List<String> BIN = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");
    private static final long LIMIT_SECONDS = 60;

    /** What a tool said. */
    record Output(String command, int exit, String text) {
        /** Fails naming the command and what it said unless it exited 0. */
        Output ok() {
            if (exit != 0) {
                throw new AssertionError(command + " exited " + exit + ":\n" + text);
            }
            return this;
        }
    }

    private HostTools() {
    }

    /** The tools of {@link #TOOLS} that are not installed. */
    static List<String> missing() {
        return TOOLS.stream().filter(t -> path(t) == null).toList();
    }

    /** Skips the test (fails it in CI) unless every tool is installed. */
    static void require() {
        List<String> missing = missing();
        if (missing.isEmpty()) {
            return;
        }
        String why = "not installed: " + String.join(", ", missing) + " (Debian: dosfstools mtools fdisk)";
        if ("true".equals(System.getenv("CI"))) {
            Assert.fail(why + "; .ci/run installs them, so CI must have them");
        }
        Assume.assumeTrue(why, false);
    }

    /** Runs a tool in the C.UTF-8 locale, mtools without a configuration, stdout and stderr together. */
    static Output run(String tool, String... args) throws IOException, InterruptedException {
        return run(null, tool, args);
    }

    /** {@link #run(String, String...)} with {@code input} on stdin. */
    static Output run(byte[] input, String tool, String... args) throws IOException, InterruptedException {
        String exe = path(tool);
        if (exe == null) {
            throw new IOException(tool + " is not installed");
        }
        List<String> line = new ArrayList<>(List.of(exe));
        line.addAll(Arrays.asList(args));
        String command = tool + " " + String.join(" ", args);
        Path out = Files.createTempFile("devrt-tool", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().put("LC_ALL", "C.UTF-8");
            pb.environment().put("MTOOLS_SKIP_CHECK", "1");
            pb.environment().put("MTOOLSRC", "/dev/null");
            if (input == null) {
                pb.redirectInput(new File("/dev/null"));
            }
            Process p = pb.start();
            if (input != null) {
                try (var stdin = p.getOutputStream()) {
                    stdin.write(input);
                }
            }
            if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not end within " + LIMIT_SECONDS + " s");
            }
            return new Output(command, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String path(String tool) {
        return BIN.stream().map(dir -> new File(dir, tool)).filter(File::canExecute).map(File::getPath).findFirst()
                .orElse(null);
    }
}
