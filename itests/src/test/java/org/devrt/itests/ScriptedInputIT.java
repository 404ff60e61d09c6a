package org.devrt.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * devrt driven by a script on its standard input ({@code ./devrt < commands.txt}), as a person scripts a shell:
 * {@code java -jar run.jar} in its own JVM with its input a pipe that ends after the commands. Two things failed
 * there: JLine gives a pipe a terminal of 0 columns, on which its line reader looped for ever at 100% CPU without a
 * prompt (jline3 issue 751); and at the end of the input Gogo JLine stopped the framework, after which the bnd
 * launcher ended with status 117, which a script takes for a failure.
 */
public class ScriptedInputIT {
    private static final long END_SECONDS = 120;
    private static final String SCRIPT = """
            lspci -n
            write /mnt/sda1/scripted.txt written by a script
            cat /mnt/sda1/scripted.txt
            """;
    private static Path dir;
    private static int status;
    private static String output;

    @BeforeClass
    public static void bootWithTheScriptOnStandardInput() throws Exception {
        dir = RuntimeTestSupport.freshRuntimeFolder("scripted");
        Process java = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Duser.home=" + dir, "-Djava.io.tmpdir=" + dir, "-Dfelix.fileinstall.dir=conf",
                "-Dlaunch.storage.dir=var/framework", "-jar", RuntimeTestSupport.required("devrt.runtime.jar")))
                .directory(dir.toFile()).redirectErrorStream(true).start();
        try (OutputStream in = java.getOutputStream()) {
            in.write(SCRIPT.getBytes(StandardCharsets.UTF_8));
        }
        StringBuffer out = new StringBuffer();
        Thread reader = new Thread(() -> {
            try (InputStream from = java.getInputStream()) {
                out.append(new String(from.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.append("\n(reading the output failed: ").append(e).append(")\n");
            }
        }, "scripted runtime's output");
        reader.start();
        boolean ended = java.waitFor(END_SECONDS, TimeUnit.SECONDS);
        if (!ended) {
            java.descendants().forEach(ProcessHandle::destroyForcibly);
            java.destroyForcibly();
        }
        reader.join(10_000);
        output = out.toString();
        assertTrue("the runtime did not end within " + END_SECONDS + " s of its input's end:\n" + output, ended);
        status = java.exitValue();
    }

    @AfterClass
    public static void cleanUp() throws IOException {
        if (dir != null) {
            RuntimeTestSupport.deleteFolder(dir);
        }
    }

    /** JLine's JUL warning came before every script's first output: its fallback to a dumb terminal is expected. */
    @Test
    public void noWarningAboutTheTerminalThatAPipeIsNot() {
        assertFalse("JLine warned about the dumb terminal of a pipe:\n" + output,
                output.contains("Unable to create a system terminal"));
    }

    @Test
    public void theScriptsCommandsRunInOrder() {
        int lspci = output.indexOf("00:1f.2 0106: 8086:2922");
        int cat = output.indexOf("written by a script\n", lspci);
        assertTrue("lspci -n's output missing:\n" + output, lspci >= 0);
        assertTrue("the file written was not read back after lspci:\n" + output, cat > lspci);
    }

    @Test
    public void theEndOfTheInputEndsDevrtWithStatusZeroAfterTheFrameworkStopped() {
        assertTrue("not said:\n" + output, output.contains("devrt: end of input"));
        assertTrue("the volume was not unmounted:\n" + output, output.contains("unmounted /mnt/sda1"));
        assertEquals("exit status at the end of the input:\n" + output, 0, status);
    }

    @Test
    public void noExceptionIsPrinted() {
        assertFalse("an exception was printed:\n" + output, output.contains("Exception"));
    }
}
