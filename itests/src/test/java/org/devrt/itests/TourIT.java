package org.devrt.itests;

import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.condition.Condition;

/**
 * The README's tour, run word for word: the transcript between {@code <!-- tour -->} and {@code <!-- /tour -->} in
 * README.md is read, each {@code g! } line is run in one Gogo session set up as etc/gosh_profile sets it up, and what
 * it shows must match the lines under it. A line ending in {@code ...} matches any line that begins with the text
 * before the dots; a line that is only {@code ...} matches any number of lines. A command that changes nothing is
 * run again (for up to {@link #SETTLE_MILLIS}) until it shows what the README shows, as a reader would run
 * {@code lsblk} again while a driver attaches; one that changes something runs once. So the README cannot drift
 * from the code.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TourIT extends RuntimeTestSupport {
    static final long SETTLE_MILLIS = 15_000;
    /** Commands that change the system: run once, never again to wait for an output ({@code mount} only lists here). */
    static final Set<String> CHANGING = Set.of("write", "put", "uninstall", "install", "start", "stop", "bind",
        "unbind", "plug", "unplug", "mkfs", "rm", "mv", "mkdir", "umount");

    /** One step of the transcript: the command line and the lines it shows. */
    record Step(String command, List<String> expected) {
    }

    @Test
    public void theReadmeTourRunsAsWritten() throws Exception {
        awaitRuntimeStarted();
        assertNotNull("devrt.ready within " + TIMEOUT, awaitService(Condition.class,
            "(osgi.condition.id=devrt.ready)"));
        awaitCommand("devrt", "write", "devrt.vfs");
        awaitCommand("devrt", "ping", "devrt.network");
        List<Step> steps = tour(Files.readString(Path.of(required("devrt.home"), "README.md")));
        assertTrue("the README's tour has fewer than 10 commands", steps.size() >= 10);
        CommandProcessor processor = awaitService(CommandProcessor.class, null);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), printed,
            printed)) {
            session.put("SCOPE", "devrt:gogo:*"); // as etc/gosh_profile
            StringBuilder done = new StringBuilder();
            String record = System.getenv("DEVRT_TOUR_RECORD");
            if (record != null) {
                record(session, printed, steps, Path.of(record));
                return;
            }
            for (Step step : steps) {
                String name = step.command().split("\\s+")[0];
                boolean again = !CHANGING.contains(name);
                long deadline = System.currentTimeMillis() + SETTLE_MILLIS;
                String shown = run(session, printed, step.command());
                while (!matches(step.expected(), lines(shown)) && again && System.currentTimeMillis() < deadline) {
                    Thread.sleep(200);
                    shown = run(session, printed, step.command());
                }
                if (!matches(step.expected(), lines(shown))) {
                    fail("the README's tour, after\n" + done + "\ng! " + step.command() + "\nshows:\n" + shown
                        + "\nwhere the README shows:\n" + String.join("\n", step.expected()));
                }
                done.append("g! ").append(step.command()).append('\n');
            }
        }
    }

    /**
     * For a maintainer changing the tour ({@code DEVRT_TOUR_RECORD=/tmp/tour.txt mvn verify -pl itests
     * -Dit.test=TourIT}): runs the commands without comparing, waiting a few seconds after each that changes
     * something, and writes the transcript to the file, ready to paste into the README (then mark what varies).
     */
    private static void record(CommandSession session, ByteArrayOutputStream printed, List<Step> steps, Path file)
            throws Exception {
        StringBuilder out = new StringBuilder();
        for (Step step : steps) {
            out.append("g! ").append(step.command()).append('\n');
            out.append(run(session, printed, step.command()).stripTrailing()).append('\n');
            if (CHANGING.contains(step.command().split("\\s+")[0])) {
                Thread.sleep(4000);
            }
        }
        Files.writeString(file, out.toString());
    }

    /** Runs a line as the console does: what it printed, then its value formatted. */
    private static String run(CommandSession session, ByteArrayOutputStream printed, String line) {
        printed.reset();
        StringBuilder out = new StringBuilder();
        try {
            Object value = session.execute(line);
            out.append(printed.toString(StandardCharsets.UTF_8));
            if (value != null) {
                out.append(session.format(value, Converter.INSPECT));
            }
        } catch (Exception e) {
            out.append(printed.toString(StandardCharsets.UTF_8)).append("gogo: ").append(e.getClass().getSimpleName())
                .append(": ").append(e.getMessage());
        }
        return out.toString();
    }

    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        for (String l : text.split("\n", -1)) {
            out.add(l.stripTrailing());
        }
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    /** The README's rules: exact lines, {@code text...} as a prefix, {@code ...} as any lines. */
    static boolean matches(List<String> expected, List<String> actual) {
        return matches(expected, 0, actual, 0);
    }

    private static boolean matches(List<String> e, int i, List<String> a, int j) {
        if (i == e.size()) {
            return j == a.size();
        }
        String want = e.get(i);
        if (want.equals("...")) {
            for (int k = j; k <= a.size(); k++) {
                if (matches(e, i + 1, a, k)) {
                    return true;
                }
            }
            return false;
        }
        if (j == a.size()) {
            return false;
        }
        String got = a.get(j);
        boolean line = want.endsWith("...") ? got.startsWith(want.substring(0, want.length() - 3)) : got.equals(want);
        return line && matches(e, i + 1, a, j + 1);
    }

    /** The steps of the transcript between the tour markers. */
    static List<Step> tour(String readme) {
        int from = readme.indexOf("<!-- tour -->");
        int to = readme.indexOf("<!-- /tour -->");
        if (from < 0 || to < from) {
            throw new AssertionError("README.md has no <!-- tour --> ... <!-- /tour --> block");
        }
        List<Step> steps = new ArrayList<>();
        String command = null;
        List<String> expected = new ArrayList<>();
        for (String line : readme.substring(from, to).split("\n")) {
            if (line.startsWith("```") || line.startsWith("<!--")) {
                continue;
            }
            if (line.startsWith("g! ")) {
                if (command != null) {
                    steps.add(new Step(command, lines(String.join("\n", expected))));
                }
                command = line.substring(3).trim();
                expected = new ArrayList<>();
            } else if (command != null) {
                expected.add(line);
            }
        }
        if (command != null) {
            steps.add(new Step(command, lines(String.join("\n", expected))));
        }
        return steps;
    }
}
