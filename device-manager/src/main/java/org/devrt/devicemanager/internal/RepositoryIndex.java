package org.devrt.devicemanager.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.devrt.device.DriverNamespace;
import org.osgi.framework.Version;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

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
        Document doc;
        try (InputStream in = maybeGunzip(location.toURL().openStream())) {
            doc = parser().parse(in, location.toString());
        } catch (SAXException | ParserConfigurationException e) {
            throw new IOException("driver repository index " + location + " is not valid XML: " + e.getMessage(), e);
        }
        Element root = doc.getDocumentElement();
        if (!"repository".equals(root.getLocalName())) {
            throw new IOException("driver repository index " + location + " is not an OSGi repository index (root <"
                    + root.getLocalName() + ">)");
        }
        List<Entry> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        NodeList resources = root.getElementsByTagNameNS("*", "resource");
        for (int i = 0; i < resources.getLength(); i++) {
            try {
                Entry e = entry(location, (Element) resources.item(i));
                if (e != null) {
                    entries.add(e);
                }
            } catch (IllegalArgumentException e) {
                problems.add("resource " + (i + 1) + " of " + location + " skipped: " + e.getMessage());
            }
        }
        return new RepositoryIndex(location, entries, problems);
    }

    private static Entry entry(URI base, Element resource) {
        Map<String, Object> identity = null;
        Map<String, Object> content = null;
        List<MatchRule> rules = new ArrayList<>();
        NodeList caps = resource.getElementsByTagNameNS("*", "capability");
        for (int i = 0; i < caps.getLength(); i++) {
            Element cap = (Element) caps.item(i);
            String ns = cap.getAttribute("namespace");
            switch (ns) {
            case "osgi.identity" -> identity = attributes(cap);
            case "osgi.content" -> content = content == null ? attributes(cap) : content;
            case DriverNamespace.NAMESPACE -> rules.add(MatchRule.fromAttributes(attributes(cap)));
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

    /** An R5 capability's attributes, typed as the index declares (Long, Version, String). */
    private static Map<String, Object> attributes(Element cap) {
        Map<String, Object> attrs = new HashMap<>();
        NodeList list = cap.getElementsByTagNameNS("*", "attribute");
        for (int i = 0; i < list.getLength(); i++) {
            Element a = (Element) list.item(i);
            String value = a.getAttribute("value");
            Object typed = switch (a.getAttribute("type")) {
            case "Long" -> parseLong(a.getAttribute("name"), value);
            default -> value;
            };
            attrs.put(a.getAttribute("name"), typed);
        }
        return attrs;
    }

    private static Long parseLong(String name, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("attribute " + name + " is typed Long but is '" + value + "'");
        }
    }

    private static InputStream maybeGunzip(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in) : in;
    }

    private static DocumentBuilder parser() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setExpandEntityReferences(false);
        return f.newDocumentBuilder();
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
