package org.devrt.emulator.internal;

import org.devrt.emulator.internal.model.BarSpec;
import org.devrt.hw.RegisterIo;

/** A driver's handle on one BAR: checks the offset, then the function dispatches the access to its model. */
final class RegisterWindow implements RegisterIo {
    private final EmulatedFunction function;
    private final Handles handles;
    private final BarSpec bar;
    private final String name;

    RegisterWindow(EmulatedFunction function, Handles handles, BarSpec bar) {
        this.function = function;
        this.handles = handles;
        this.bar = bar;
        this.name = "BAR " + bar.index();
    }

    @Override
    public long size() {
        return bar.size();
    }

    @Override
    public int read32(int offset) {
        check(offset);
        return function.read(this, bar, handles, offset);
    }

    @Override
    public void write32(int offset, int value) {
        check(offset);
        function.write(this, bar, handles, offset, value);
    }

    private void check(int offset) {
        handles.checkLive(name);
        if ((offset & 3) != 0 || offset < 0 || offset > bar.size() - 4) {
            throw new IllegalArgumentException(String.format("register offset 0x%x of %s of %s is %s", offset, name,
                    function.address(), (offset & 3) != 0 ? "not 4-aligned"
                            : String.format("outside the BAR's 0x%x bytes", bar.size())));
        }
    }

    @Override
    public String toString() {
        return name + " of " + function.address();
    }
}
