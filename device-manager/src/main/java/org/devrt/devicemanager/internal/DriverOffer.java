package org.devrt.devicemanager.internal;

import java.util.Comparator;
import java.util.Objects;

import org.osgi.framework.Version;

/**
 * A driver that can be had: a bundle (installed, or described by the repository index) and the rules its
 * manifest declares. An installed bundle and the repository's copy of the same symbolic name and version are
 * the same offer.
 *
 * @param bsn the bundle's symbolic name
 * @param version its version
 * @param rules the match rules it declares
 * @param bundleId the installed bundle's id, or -1 when it is only in the repository
 * @param entry the repository entry, or null when it is only installed
 */
record DriverOffer(String bsn, Version version, java.util.List<MatchRule> rules, long bundleId, RepositoryIndex.Entry entry) {
    DriverOffer {
        Objects.requireNonNull(bsn, "bsn");
        Objects.requireNonNull(version, "version");
        rules = java.util.List.copyOf(rules);
    }

    boolean isInstalled() {
        return bundleId >= 0;
    }

    /**
     * The order among candidates of equal score, documented in docs/ARCHITECTURE.md: driver id, then bundle
     * symbolic name (both ascending), then the higher version. It depends only on what the drivers declare, not on
     * what happens to be installed, so equal scores resolve the same way every run.
     */
    static final Comparator<DriverOffer> TIE_BREAK = Comparator.comparing(DriverOffer::bsn)
            .thenComparing(DriverOffer::version, Comparator.reverseOrder());
}
