package org.devrt.devicemanager.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class RepositoryIndexTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    static final String SHA = "3f1b7c2a9d8e4f6051a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708";

    static String index(String resources) {
        return "<?xml version='1.0' encoding='UTF-8'?>\n"
                + "<repository xmlns='http://www.osgi.org/xmlns/repository/v1.0.0' name='drivers' increment='1'>\n"
                + resources + "</repository>\n";
    }

    static String driver(String bsn, String version, String sha, String url, String driverCaps) {
        return "<resource>\n"
                + "<capability namespace='osgi.identity'><attribute name='osgi.identity' value='" + bsn + "'/>"
                + "<attribute name='type' value='osgi.bundle'/><attribute name='version' type='Version' value='" + version + "'/></capability>\n"
                + "<capability namespace='osgi.content'><attribute name='osgi.content' value='" + sha + "'/>"
                + "<attribute name='url' value='" + url + "'/><attribute name='size' type='Long' value='1234'/>"
                + "<attribute name='mime' value='application/vnd.osgi.bundle'/></capability>\n"
                + driverCaps + "</resource>\n";
    }

    static String cap(String attrs) {
        return "<capability namespace='devrt.driver'>" + attrs + "</capability>";
    }

    @Test
    public void aFolderGivenAsTheIndexIsNamedAsOne() throws Exception {
        java.net.URI folder = tmp.newFolder("drivers").toURI();
        IOException e = assertThrows(IOException.class, () -> RepositoryIndex.read(folder));
        assertEquals("driver repository index " + folder + " is a folder, not a file (e.g. " + folder
                + "index.xml)", e.getMessage());
    }

    /**
     * A server on loopback that takes the connection and never answers: the read held the Configuration Admin
     * thread (and the boot) for good.
     */
    @Test(timeout = 10_000)
    public void aRepositoryThatNeverAnswersIsAProblemNamingItAfterTheTimeOut() throws Exception {
        int before = RepositoryIndex.timeoutMillis;
        RepositoryIndex.timeoutMillis = 300;
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            java.net.URI index = java.net.URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/index.xml");
            IOException e = assertThrows(IOException.class, () -> RepositoryIndex.read(index));
            assertEquals("driver repository index " + index + " did not answer within 300 ms", e.getMessage());
        } finally {
            RepositoryIndex.timeoutMillis = before;
        }
    }

    /** A server that answers a byte now and then, each within the read time-out, is given up on all the same. */
    @Test(timeout = 10_000)
    public void aRepositoryThatTricklesIsGivenUpOnAfterItsTotalTime() throws Exception {
        int before = RepositoryIndex.timeoutMillis;
        RepositoryIndex.timeoutMillis = 300;
        try (java.net.ServerSocket trickle = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (java.net.Socket s = trickle.accept()) {
                    java.io.OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n<?xml version='1.0'?>\n<repository>"
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    while (true) {
                        out.write(' ');
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    // the client gave up
                }
            });
            server.setDaemon(true);
            server.start();
            java.net.URI index = java.net.URI.create("http://127.0.0.1:" + trickle.getLocalPort() + "/index.xml");
            long start = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> RepositoryIndex.read(index));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals("driver repository index " + index + " took more than 1800 ms in all (a server that sends a"
                    + " little now and then)", e.getMessage());
            assertTrue("gave up after " + millis + " ms", millis < 4000);
        } finally {
            RepositoryIndex.timeoutMillis = before;
        }
    }

    @Test
    public void readsIdentityContentAndDriverRules() throws Exception {
        Path file = tmp.newFile("index.xml").toPath();
        Files.writeString(file, index(driver("devrt.ethernet-driver", "1.0.0.SNAPSHOT", SHA, "jars/e1000.jar",
                cap("<attribute name='devrt.driver' value='e1000'/><attribute name='vendor' type='Long' value='32902'/>"
                        + "<attribute name='device' type='Long' value='4110'/>"))
                + driver("not.a.driver", "1.0.0", SHA, "x.jar", "")));
        RepositoryIndex index = RepositoryIndex.read(file.toUri());
        assertEquals("only driver bundles are kept", 1, index.entries().size());
        RepositoryIndex.Entry e = index.entries().get(0);
        assertEquals("devrt.ethernet-driver", e.bsn());
        assertEquals("1.0.0.SNAPSHOT", e.version().toString());
        assertEquals(SHA, e.sha256());
        assertEquals(1234, e.size());
        assertEquals("url resolved against the index", file.getParent().resolve("jars/e1000.jar").toUri(), e.url());
        assertEquals("8086:100e", e.rules().get(0).describe());
    }

    @Test
    public void readsAGzippedIndex() throws Exception {
        Path file = tmp.newFile("index.xml.gz").toPath();
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(index(driver("d", "1.0.0", SHA, "d.jar",
                    cap("<attribute name='devrt.driver' value='d'/><attribute name='class' type='Long' value='2'/>")))
                    .getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(1, RepositoryIndex.read(file.toUri()).entries().size());
    }

    @Test
    public void aBadResourceIsSkippedAndNamedTheRestIsKept() throws Exception {
        Path file = tmp.newFile("index.xml").toPath();
        Files.writeString(file, index(driver("bad", "1.0.0", "not-a-hash", "bad.jar",
                cap("<attribute name='devrt.driver' value='bad'/><attribute name='class' type='Long' value='2'/>"))
                + driver("good", "1.0.0", SHA, "good.jar",
                        cap("<attribute name='devrt.driver' value='good'/><attribute name='class' type='Long' value='2'/>"))));
        RepositoryIndex index = RepositoryIndex.read(file.toUri());
        assertEquals(1, index.entries().size());
        assertEquals(1, index.problems().size());
        assertTrue(index.problems().get(0), index.problems().get(0).contains("bad: osgi.content is not a SHA-256"));
    }

    @Test
    public void aLongAttributeThatIsNotANumberOrAbsentSkipsItsResourceAndNamesIt() throws Exception {
        Path file = tmp.newFile("index.xml").toPath();
        Files.writeString(file, index(driver("odd", "1.0.0", SHA, "odd.jar",
                cap("<attribute name='devrt.driver' value='odd'/><attribute name='class' type='Long' value='two'/>"))
                + driver("blank", "1.0.0", SHA, "blank.jar",
                        cap("<attribute name='devrt.driver' value='blank'/><attribute name='class' type='Long'/>"))
                + driver("good", "1.0.0", SHA, "good.jar",
                        cap("<attribute name='devrt.driver' value='good'/><attribute name='class' type='Long' value='2'/>"))));
        RepositoryIndex index = RepositoryIndex.read(file.toUri());
        assertEquals(List.of("good"), index.entries().stream().map(RepositoryIndex.Entry::bsn).toList());
        assertEquals(2, index.problems().size());
        assertTrue(index.problems().get(0), index.problems().get(0).startsWith("resource 1 of ")
                && index.problems().get(0).contains("attribute class is typed Long but is 'two'"));
        assertTrue(index.problems().get(1), index.problems().get(1).startsWith("resource 2 of ")
                && index.problems().get(1).contains("attribute class is typed Long but is ''"));
    }

    @Test
    public void notAnIndexIsAnErrorNamingTheFile() throws Exception {
        Path file = tmp.newFile("index.xml").toPath();
        Files.writeString(file, "<html><body>404</body></html>");
        IOException e = assertThrows(IOException.class, () -> RepositoryIndex.read(file.toUri()));
        assertTrue(e.getMessage(), e.getMessage().contains(file.toString()) && e.getMessage().contains("not an OSGi repository index"));
        Files.writeString(file, "<repository><resource>");
        e = assertThrows(IOException.class, () -> RepositoryIndex.read(file.toUri()));
        assertTrue(e.getMessage(), e.getMessage().contains("not valid XML"));
    }

    @Test
    public void entityExpansionIsRefused() throws Exception {
        Path file = tmp.newFile("index.xml").toPath();
        Files.writeString(file, "<?xml version='1.0'?><!DOCTYPE r [<!ENTITY a 'aaaa'>]><repository>&a;</repository>");
        assertThrows(IOException.class, () -> RepositoryIndex.read(file.toUri()));
    }
}
