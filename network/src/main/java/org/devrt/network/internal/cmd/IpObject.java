package org.devrt.network.internal.cmd;

import java.util.List;

/**
 * One object of the {@code ip} command ({@code addr}, {@code route}, {@code neigh}): the {@code ip} command, which
 * owns the Gogo function, passes the arguments after the object's name and prints what comes back. A wrong argument
 * comes back as one line and the usage, never as an exception.
 */
public interface IpObject {
    String run(List<String> args);
}
