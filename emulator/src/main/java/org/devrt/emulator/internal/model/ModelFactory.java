package org.devrt.emulator.internal.model;

import java.util.Map;

/** Makes device models of one kind, e.g. {@code generic}. */
public interface ModelFactory {
    /** The name {@code plug} takes. */
    String name();

    /** One line for people. */
    String description();

    /** The options the model takes: name to a one-line description that states the default. */
    Map<String, String> options();

    /**
     * Makes a model. The options hold only names from {@link #options()}.
     *
     * @throws IllegalArgumentException naming the option and the problem, for a bad option value
     */
    DeviceModel create(ModelOptions options, ModelHost host);
}
