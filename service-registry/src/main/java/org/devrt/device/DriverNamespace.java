package org.devrt.device;

/**
 * The capability namespace in which a driver bundle declares, as data in its manifest, which devices it
 * drives. The device manager reads it from installed bundles and from the driver repository's index, so
 * it can choose a driver that is not installed yet without running driver code.
 *
 * <p>One capability per match rule. A rule has the driver id and any of the PCI attributes below; an
 * attribute that is absent matches anything. For example an AHCI driver that takes any AHCI HBA:
 *
 * <pre>
 * Provide-Capability: devrt.driver;devrt.driver=ahci;class:Long=1;subclass:Long=6;prog-if:Long=1
 * </pre>
 *
 * and an e1000 driver that takes the 82540EM by its ids:
 *
 * <pre>
 * Provide-Capability: devrt.driver;devrt.driver=e1000;vendor:Long=32902;device:Long=4110
 * </pre>
 */
public final class DriverNamespace {
    /** The namespace, and the attribute that holds the driver id (String). */
    public static final String NAMESPACE = "devrt.driver";
    /** PCI vendor id (Long). */
    public static final String VENDOR = "vendor";
    /** PCI device id (Long). */
    public static final String DEVICE = "device";
    /** PCI subsystem vendor id (Long). */
    public static final String SUBSYSTEM_VENDOR = "subsystem-vendor";
    /** PCI subsystem id (Long). */
    public static final String SUBSYSTEM = "subsystem";
    /** PCI base class (Long). */
    public static final String CLASS = "class";
    /** PCI subclass (Long). */
    public static final String SUBCLASS = "subclass";
    /** PCI programming interface (Long). */
    public static final String PROG_IF = "prog-if";

    private DriverNamespace() {
    }
}
