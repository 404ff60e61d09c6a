package org.devrt.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A driver repository for the tests: the driver jars and an OSGi Repository index, {@code index.xml}, as bnd's
 * indexer writes it (osgi.identity; osgi.content with the SHA-256, the url relative to the index and the size;
 * one devrt.driver capability per match rule, with Long attributes).
 */
final class DriverRepository {
    static final String INDEX = "index.xml";

    private DriverRepository() {
    }

    /** Empties {@code dir}, writes every driver's jar into it and indexes those that are in the repository. */
    static Path write(Path dir, List<DriverBundle> drivers) throws IOException {
        Files.createDirectories(dir);
        try (var old = Files.list(dir)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        StringBuilder xml = new StringBuilder("<?xml version='1.0' encoding='UTF-8'?>\n"
                + "<repository xmlns=\"http://www.osgi.org/xmlns/repository/v1.0.0\" name=\"devrt itest drivers\" increment=\"1\">\n");
        for (DriverBundle d : drivers) {
            Path jar = d.writeTo(dir);
            if (d.inRepository()) {
                xml.append(resource(d, Files.readAllBytes(jar)));
            }
        }
        xml.append("</repository>\n");
        Path index = dir.resolve(INDEX);
        Files.writeString(index, xml, StandardCharsets.UTF_8);
        return index;
    }

    private static String resource(DriverBundle d, byte[] jar) {
        String sha = d.indexedSha256() != null ? d.indexedSha256() : sha256(jar);
        sha = d.upperCaseHash() ? sha.toUpperCase() : sha.toLowerCase();
        StringBuilder r = new StringBuilder("  <resource>\n");
        r.append(capability("osgi.identity", attr("osgi.identity", d.symbolicName(), null),
                attr("type", "osgi.bundle", null), attr("version", d.version(), "Version")));
        r.append(capability("osgi.content", attr("osgi.content", sha, null), attr("url", d.fileName(), null),
                attr("size", Long.toString(jar.length), "Long"), attr("mime", "application/vnd.osgi.bundle", null)));
        for (Map<String, Long> rule : d.rules()) {
            StringBuilder attrs = new StringBuilder(attr("devrt.driver", d.driverId(), null));
            rule.forEach((k, v) -> attrs.append(attr(k, v.toString(), "Long")));
            r.append(capability("devrt.driver", attrs.toString()));
        }
        return r.append("  </resource>\n").toString();
    }

    private static String capability(String namespace, String... attributes) {
        return "    <capability namespace=\"" + namespace + "\">\n" + String.join("", attributes) + "    </capability>\n";
    }

    private static String attr(String name, String value, String type) {
        return "      <attribute name=\"" + name + "\" value=\"" + escape(value) + "\"" + (type == null ? "" : " type=\"" + type + "\"")
                + "/>\n";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;");
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
