package org.devrt.pci;

/**
 * A PCI class code: base class, subclass and programming interface (config space bytes 0x0B, 0x0A, 0x09).
 * For example an AHCI controller is {@code 01.06 prog-if 01}, an Ethernet controller {@code 02.00}.
 */
public record ClassCode(int baseClass, int subclass, int progIf) {
    public ClassCode {
        if ((baseClass | subclass | progIf) >>> 8 != 0) {
            throw new IllegalArgumentException(
                    String.format("class code bytes must be 0..255: %d.%d.%d", baseClass, subclass, progIf));
        }
    }

    /** From the 24-bit value {@code class << 16 | subclass << 8 | prog-if}. */
    public static ClassCode of(int value24) {
        return new ClassCode((value24 >>> 16) & 0xff, (value24 >>> 8) & 0xff, value24 & 0xff);
    }

    /** The 24-bit value. */
    public int value() {
        return baseClass << 16 | subclass << 8 | progIf;
    }

    // equals and hashCode are written out: a record's own link through ObjectMethods' method-handle bootstrap on
    // first use, which spins dozens of classes, and drivers compare class codes while the runtime boots.
    @Override
    public boolean equals(Object o) {
        return o instanceof ClassCode c && c.value() == value();
    }

    @Override
    public int hashCode() {
        return value();
    }

    /** {@code 0106}, as {@code lspci -n} prints a class. */
    @Override
    public String toString() {
        return String.format("%02x%02x", baseClass, subclass);
    }
}
