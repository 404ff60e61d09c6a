package org.devrt.devicemanager.internal;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;

import org.devrt.device.DriverNamespace;
import org.osgi.framework.Version;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The driver repository's index: an OSGi Repository XML index (as bnd's indexer writes it, plain or gzipped)
 * read for what the device manager needs of each resource: identity, content (URL, SHA-256, size) and the
 * {@code devrt.driver} capabilities. Drivers are matched against it before anything is downloaded.
 */
final class RepositoryIndex {
    /**
     * One driver bundle of the repository.
     *
     * @param bsn symbolic name, from osgi.identity
     * @param version version, from osgi.identity
     * @param url where the jar is, resolved against the index's location
     * @param sha256 its SHA-256 (lower-case hex), from osgi.content
     * @param size its size in bytes, or -1
     * @param rules its devrt.driver capabilities
     */
    record Entry(String bsn, Version version, URI url, String sha256, long size, List<MatchRule> rules) {
    }

    private final URI location;
    private final List<Entry> entries;
    private final List<String> problems;

    private RepositoryIndex(URI location, List<Entry> entries, List<String> problems) {
        this.location = location;
        this.entries = List.copyOf(entries);
        this.problems = List.copyOf(problems);
    }

    /** An index with nothing in it, for when no repository is configured or it cannot be read. */
    static RepositoryIndex empty(URI location, String problem) {
        return new RepositoryIndex(location, List.of(), problem.isEmpty() ? List.of() : List.of(problem));
    }

    /**
     * Reads the index at {@code location}. Resources without a devrt.driver capability are skipped; a resource
     * whose identity or content is malformed is skipped and named in {@link #problems()}.
     *
     * @throws IOException if the index cannot be read or is not a repository index; the message names it
     */
    static RepositoryIndex read(URI location) throws IOException {
        IndexHandler handler = new IndexHandler(location);
        try (InputStream in = maybeGunzip(open(location, "driver repository index"))) {
            InputSource source = new InputSource(in);
            source.setSystemId(location.toString());
            parser().parse(source, handler);
        } catch (SAXException | ParserConfigurationException e) {
            if (handler.notAnIndex != null) {
                throw new IOException("driver repository index " + location + " is not an OSGi repository index (root <"
                        + handler.notAnIndex + ">)");
            }
            throw new IOException("driver repository index " + location + " is not valid XML: " + e.getMessage(), e);
        }
        return new RepositoryIndex(location, handler.entries, handler.problems);
    }

    /**
     * Collects each {@code <resource>}'s capabilities as they stream past and turns them into an {@link Entry} at its
     * end. SAX rather than a DOM: SCR already has the JDK's SAX parser loaded for component descriptors, and a first
     * start has no use for a document tree.
     */
    private static final class IndexHandler extends DefaultHandler {
        private final URI location;
        final List<Entry> entries = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        /** The root element's name when it is not {@code repository}. */
        String notAnIndex;
        private boolean started;
        private int resources;
        /** The capabilities of the resource being read (namespace, attributes), or null outside a resource. */
        private List<Map.Entry<String, Map<String, Object>>> capabilities;
        /** The attributes of the capability being read, or null outside a capability. */
        private Map<String, Object> attributes;
        /** The first problem of the resource being read. */
        private String problem;

        IndexHandler(URI location) {
            this.location = location;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
            if (!started) {
                started = true;
                if (!"repository".equals(localName)) {
                    notAnIndex = localName;
                    throw new SAXException("not a repository index");
                }
                return;
            }
            switch (localName) {
            case "resource" -> {
                resources++;
                capabilities = new ArrayList<>();
                problem = null;
            }
            case "capability" -> {
                if (capabilities != null) {
                    attributes = new HashMap<>();
                    capabilities.add(Map.entry(valueOf(atts, "namespace"), attributes));
                }
            }
            case "attribute" -> {
                if (attributes != null) {
                    String name = valueOf(atts, "name");
                    String value = valueOf(atts, "value");
                    try {
                        attributes.put(name, "Long".equals(atts.getValue("type")) ? parseLong(name, value) : value);
                    } catch (IllegalArgumentException e) {
                        problem = problem == null ? e.getMessage() : problem;
                    }
                }
            }
            default -> { }
            }
        }

        /** An XML attribute's value, "" when it is absent (as a DOM gives it). */
        private static String valueOf(Attributes atts, String name) {
            String value = atts.getValue(name);
            return value == null ? "" : value;
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            if ("capability".equals(localName)) {
                attributes = null;
            } else if ("resource".equals(localName) && capabilities != null) {
                try {
                    if (problem != null) {
                        throw new IllegalArgumentException(problem);
                    }
                    Entry e = entry(location, capabilities);
                    if (e != null) {
                        entries.add(e);
                    }
                } catch (IllegalArgumentException e) {
                    problems.add("resource " + resources + " of " + location + " skipped: " + e.getMessage());
                }
                capabilities = null;
            }
        }
    }

    private static Entry entry(URI base, List<Map.Entry<String, Map<String, Object>>> capabilities) {
        Map<String, Object> identity = null;
        Map<String, Object> content = null;
        List<MatchRule> rules = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> cap : capabilities) {
            switch (cap.getKey()) {
            case "osgi.identity" -> identity = cap.getValue();
            case "osgi.content" -> content = content == null ? cap.getValue() : content;
            case DriverNamespace.NAMESPACE -> rules.add(MatchRule.fromAttributes(cap.getValue()));
            default -> { }
            }
        }
        if (rules.isEmpty()) {
            return null;
        }
        if (identity == null || content == null) {
            throw new IllegalArgumentException("a driver resource without osgi.identity or osgi.content");
        }
        String bsn = String.valueOf(identity.get("osgi.identity"));
        Version version = Version.parseVersion(String.valueOf(identity.getOrDefault("version", "0")));
        String sha = String.valueOf(content.get("osgi.content")).toLowerCase();
        if (!sha.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(bsn + ": osgi.content is not a SHA-256: " + sha);
        }
        Object url = content.get("url");
        if (url == null) {
            throw new IllegalArgumentException(bsn + ": osgi.content has no url");
        }
        Object size = content.get("size");
        return new Entry(bsn, version, base.resolve(url.toString()), sha,
                size instanceof Long l ? l : -1, rules);
    }

    private static Long parseLong(String name, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("attribute " + name + " is typed Long but is '" + value + "'");
        }
    }

    /** How long connecting to the repository, and each read from it, may take; shorter in tests. */
    static volatile int timeoutMillis = 10_000;
    /**
     * A whole read (the index, a driver jar) may take this many {@link #timeoutMillis}: a server that sent a byte
     * every few seconds held the Configuration Admin thread (a changed repository) or the boot for as long as it
     * went on.
     */
    static final int TOTAL_TIMEOUTS = 6;

    /**
     * Opens {@code location} (the index or a driver bundle, {@code what}) for reading, with {@link #timeoutMillis}
     * to connect and for each read: a server that took the connection and never answered held the device manager's
     * configuration (the Configuration Admin thread) and the boot for good. A failure names the location.
     */
    static InputStream open(URI location, String what) throws IOException {
        if ("file".equals(location.getScheme()) && Files.isDirectory(Path.of(location))) {
            throw new IOException(what + " " + location + " is a folder, not a file (e.g. "
                    + location.resolve("index.xml") + ")"); // read, its listing was "not valid XML"
        }
        try {
            URLConnection connection = location.toURL().openConnection();
            connection.setConnectTimeout(timeoutMillis);
            connection.setReadTimeout(timeoutMillis);
            long deadline = System.nanoTime() + TOTAL_TIMEOUTS * TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            return new FilterInputStream(connection.getInputStream()) {
                @Override
                public int read() throws IOException {
                    inTime();
                    try {
                        return super.read();
                    } catch (SocketTimeoutException e) {
                        throw timedOut(what, location);
                    }
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    inTime();
                    try {
                        return super.read(b, off, len);
                    } catch (SocketTimeoutException e) {
                        throw timedOut(what, location);
                    }
                }

                private void inTime() throws IOException {
                    if (System.nanoTime() - deadline > 0) {
                        throw new IOException(what + " " + location + " took more than " + TOTAL_TIMEOUTS
                                * timeoutMillis + " ms in all (a server that sends a little now and then)");
                    }
                }
            };
        } catch (SocketTimeoutException e) {
            throw timedOut(what, location);
        } catch (IOException | IllegalArgumentException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new IOException(message.contains(location.toString()) ? message
                    : "cannot read " + what + " " + location + ": " + message, e);
        }
    }

    private static IOException timedOut(String what, URI location) {
        return new IOException(what + " " + location + " did not answer within " + timeoutMillis + " ms");
    }

    private static InputStream maybeGunzip(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in) : in;
    }

    private static SAXParser parser() throws ParserConfigurationException, SAXException {
        SAXParserFactory f = SAXParserFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        return f.newSAXParser();
    }

    URI location() {
        return location;
    }

    List<Entry> entries() {
        return entries;
    }

    /** What was wrong with the index, one line each; empty when all was well. */
    List<String> problems() {
        return problems;
    }
}
