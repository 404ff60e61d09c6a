package org.devrt.vfs.internal.fakes;

import static org.junit.Assert.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Assume;

/**
 * The host's FAT tools (dosfstools, mtools, fdisk's sfdisk), the judges of the interop tests. In CI (CI=true) a
 * missing tool fails the test, since .ci/run installs them; elsewhere the test is skipped.
 */
public final class HostTools {
    /** The Debian packages that hold the tools. */
    public static final String PACKAGES = "dosfstools mtools fdisk";
    private static final List<String> DIRS = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

    public record Result(int exit, String out, String err) {
        public Result ok() {
            if (exit != 0) {
                throw new AssertionError("exit " + exit + "\n" + out + err);
            }
            return this;
        }
    }

    private HostTools() {
    }

    /** Skips (or, in CI, fails) the calling test unless every tool is installed. */
    public static void require(String... tools) {
        for (String tool : tools) {
            if (find(tool) == null) {
                String why = tool + " is not installed (Debian packages: " + PACKAGES + ")";
                if ("true".equals(System.getenv("CI"))) {
                    fail(why + "; .ci/run installs them");
                }
                Assume.assumeTrue(why, false);
            }
        }
    }

    public static Result run(String... command) throws IOException, InterruptedException {
        return run(null, command);
    }

    /** Runs a tool with {@code stdin} as input (or none), in the C.UTF-8 locale, with a 60 s limit. */
    public static Result run(byte[] stdin, String... command) throws IOException, InterruptedException {
        String path = find(command[0]);
        if (path == null) {
            throw new IOException(command[0] + " is not installed");
        }
        command[0] = path;
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.put("LC_ALL", "C.UTF-8");
        env.put("MTOOLS_SKIP_CHECK", "1");
        env.put("MTOOLS_NO_VFAT", "");
        env.remove("MTOOLS_NO_VFAT");
        env.put("MTOOLSRC", "/dev/null");
        Path out = Files.createTempFile("tool", ".out");
        Path err = Files.createTempFile("tool", ".err");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new File("/dev/null"))
                    : ProcessBuilder.Redirect.PIPE);
            Process p = pb.start();
            if (stdin != null) {
                try (var in = p.getOutputStream()) {
                    in.write(stdin);
                }
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in 60 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String find(String tool) {
        for (String dir : DIRS) {
            File f = new File(dir, tool);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }
}
