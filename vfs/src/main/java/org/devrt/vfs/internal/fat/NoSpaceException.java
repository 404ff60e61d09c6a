package org.devrt.vfs.internal.fat;

import java.io.IOException;

/**
 * No room for what an operation needs (clusters, directory entries), found before it changed anything: a refusal, as
 * ENOSPC, not an error of the volume (which {@link FatFileSystem} answers by making it read-only).
 */
final class NoSpaceException extends IOException {
    private static final long serialVersionUID = 1L;

    NoSpaceException(String message) {
        super(message);
    }
}
