package org.devrt.devicemanager.internal;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.devrt.device.DriverNamespace;
import org.devrt.pci.PciFunction;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drivers on offer: installed bundles that declare {@code devrt.driver} capabilities, and the driver
 * repository's index. Read from manifests and the index only: no driver code runs to be matched.
 */
final class DriverCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(DriverCatalog.class);

    private final BundleContext context;
    private final URI repository;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private volatile RepositoryIndex index;

    DriverCatalog(BundleContext context, URI repository) {
        this.context = context;
        this.repository = repository;
        reloadIndex();
    }

    private static final java.util.regex.Pattern DRIVER_CLAUSE =
            java.util.regex.Pattern.compile("(^|,)\\s*" + java.util.regex.Pattern.quote(DriverNamespace.NAMESPACE) + "\\s*(;|,|$)");

    /**
     * Whether a bundle declares itself a driver. Read from the manifest header rather than the revision, because
     * an uninstalled bundle has no revision any more and its UNINSTALLED event must still be recognised.
     */
    static boolean isDriver(Bundle b) {
        String header = b.getHeaders("").get(org.osgi.framework.Constants.PROVIDE_CAPABILITY);
        return header != null && DRIVER_CLAUSE.matcher(header).find();
    }

    /** The repository's index location, or null for none. */
    URI repository() {
        return repository;
    }

    void reloadIndex() {
        if (repository == null) {
            index = RepositoryIndex.empty(null, "");
            return;
        }
        try {
            index = RepositoryIndex.read(repository);
            index.problems().forEach(p -> LOG.warn("{}", p));
            LOG.info("driver repository {}: {} driver bundles", repository, index.entries().size());
        } catch (IOException | RuntimeException e) {
            index = RepositoryIndex.empty(repository, PciText.message(e));
            LOG.error("cannot read the driver repository: {}", PciText.message(e));
        }
    }

    RepositoryIndex index() {
        return index;
    }

    /** Every offer, installed and from the repository, merged by symbolic name and version. */
    List<DriverOffer> offers() {
        Map<String, DriverOffer> byKey = new LinkedHashMap<>();
        for (Bundle b : context.getBundles()) {
            if (b.getState() == Bundle.UNINSTALLED) {
                continue;
            }
            BundleRevision rev = b.adapt(BundleRevision.class);
            if (rev == null) {
                continue;
            }
            List<MatchRule> rules = rules(b, rev.getDeclaredCapabilities(DriverNamespace.NAMESPACE));
            if (!rules.isEmpty()) {
                byKey.put(b.getSymbolicName() + ";" + b.getVersion(),
                        new DriverOffer(b.getSymbolicName(), b.getVersion(), rules, b.getBundleId(), null));
            }
        }
        for (RepositoryIndex.Entry e : index.entries()) {
            String key = e.bsn() + ";" + e.version();
            DriverOffer installed = byKey.get(key);
            byKey.put(key, installed != null
                    ? new DriverOffer(e.bsn(), e.version(), installed.rules(), installed.bundleId(), e)
                    : new DriverOffer(e.bsn(), e.version(), e.rules(), -1, e));
        }
        return new ArrayList<>(byKey.values());
    }

    /** The offers with at least one rule that matches {@code f}. */
    List<DriverOffer> offersFor(PciFunction f) {
        return offers().stream().filter(o -> o.rules().stream().anyMatch(r -> r.score(f) > 0)).toList();
    }

    private List<MatchRule> rules(Bundle b, List<BundleCapability> caps) {
        List<MatchRule> rules = new ArrayList<>();
        for (BundleCapability cap : caps) {
            try {
                rules.add(MatchRule.fromAttributes(cap.getAttributes()));
            } catch (IllegalArgumentException e) {
                if (reported.add(b.getBundleId() + e.getMessage())) {
                    LOG.warn("bundle {} [{}]: a devrt.driver capability is ignored: {}", b.getSymbolicName(),
                            b.getBundleId(), e.getMessage());
                }
            }
        }
        return rules;
    }
}
