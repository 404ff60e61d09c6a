package org.devrt.emulator.internal.e1000;

import java.util.List;
import java.util.Map;

import org.devrt.emulator.internal.model.DeviceModel;
import org.devrt.emulator.internal.model.ModelFactory;
import org.devrt.emulator.internal.model.ModelHost;
import org.devrt.emulator.internal.model.ModelOptions;
import org.devrt.emulator.internal.net.Switches;

/**
 * The 82540EM model's test hooks, reached from the driver's tests: the models a factory made, the cable of each
 * (fault injection on its backend), and the driver mistakes each has seen. Uses the model's package-private
 * accessors only; nothing of how it works.
 */
public final class E1000ModelHooks {
    private E1000ModelHooks() {
    }

    /** The e1000 factory on {@code switches}, adding every model it makes to {@code made}. */
    public static ModelFactory recording(Switches switches, List<DeviceModel> made) {
        ModelFactory inner = E1000Model.factory(switches);
        return new ModelFactory() {
            @Override
            public String name() {
                return inner.name();
            }

            @Override
            public String description() {
                return inner.description();
            }

            @Override
            public Map<String, String> options() {
                return inner.options();
            }

            @Override
            public DeviceModel create(ModelOptions options, ModelHost host) {
                DeviceModel m = inner.create(options, host);
                made.add(m);
                return m;
            }
        };
    }

    /** Pulls the cable of {@code model}'s backend, or plugs it back. */
    public static void setCable(DeviceModel model, boolean connected) {
        ((E1000Model) model).backend().setCableConnected(connected);
    }

    /** The transmit unit of {@code model} hangs after {@code frames} more frames, until the driver resets it. */
    public static void hangTransmitAfter(DeviceModel model, int frames) {
        ((E1000Model) model).hangTransmitAfter(frames);
    }

    /** Every {@code frames}th frame {@code model} receives arrives with a bad FCS; 0 stops it. */
    public static void badFcsEvery(DeviceModel model, int frames) {
        ((E1000Model) model).badFcsEvery(frames);
    }

    /** CTRL.RST writes that reached {@code model} through its I/O window. */
    public static int resetsThroughIo(DeviceModel model) {
        return ((E1000Model) model).resetsThroughIo();
    }

    /** How many driver mistakes the model has seen, and the last one. */
    public static long complaints(DeviceModel model) {
        return ((E1000Model) model).complaints();
    }

    public static String lastComplaint(DeviceModel model) {
        return ((E1000Model) model).lastComplaint();
    }
}
