package org.devrt.emulator.internal.e1000;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.devrt.emulator.internal.ModelTestMachine;
import org.devrt.emulator.internal.model.DeviceModel;
import org.devrt.emulator.internal.model.ModelFactory;
import org.devrt.emulator.internal.model.ModelHost;
import org.devrt.emulator.internal.model.ModelOptions;
import org.devrt.emulator.internal.net.SwitchPort;
import org.devrt.emulator.internal.net.Switches;

/** A machine with the e1000 model on a private set of switches, keeping every model it made, and a wire tap. */
final class Nics implements AutoCloseable {
    static final String SLOT3 = "00:03.0";
    static final String SLOT4 = "00:04.0";

    final Switches switches = new Switches();
    final List<E1000Model> models = new CopyOnWriteArrayList<>();
    final ModelTestMachine machine;

    Nics() {
        ModelFactory real = E1000Model.factory(switches);
        machine = new ModelTestMachine(4 << 20, new ModelFactory() {
            @Override
            public String name() {
                return real.name();
            }

            @Override
            public String description() {
                return real.description();
            }

            @Override
            public Map<String, String> options() {
                return real.options();
            }

            @Override
            public DeviceModel create(ModelOptions options, ModelHost host) {
                E1000Model model = (E1000Model) real.create(options, host);
                models.add(model);
                return model;
            }
        });
    }

    TestNic plug(String slot, String... options) throws java.io.IOException {
        return new TestNic(machine.plug(slot, "e1000", options));
    }

    E1000Model last() {
        return models.get(models.size() - 1);
    }

    /** A port on switch {@code default} that queues copies of what it receives. */
    Tap tap() {
        return new Tap(switches, "tap");
    }

    @Override
    public void close() {
        machine.close();
    }

    static final class Tap implements AutoCloseable {
        final LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
        final SwitchPort port;

        Tap(Switches switches, String name) {
            port = switches.attach("default", name, frame -> {
                byte[] copy = new byte[frame.remaining()];
                frame.get(frame.position(), copy);
                frames.add(copy);
            });
        }

        byte[] next(long millis) throws InterruptedException {
            return frames.poll(millis, TimeUnit.MILLISECONDS);
        }

        void send(byte[] frame) {
            port.send(ByteBuffer.wrap(frame));
        }

        @Override
        public void close() {
            port.close();
        }
    }
}
