package org.devrt.system.internal.shell;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;
import org.jline.reader.impl.LineReaderImpl;
import org.osgi.service.component.annotations.Component;

/**
 * Puts {@link CompletionEscaping} into each interactive session's line reader, before the session's first command
 * line (its profile's): Gogo JLine keeps the reader in the session as {@code .reader} and offers no other hook.
 */
@Component
public final class CompletionEscapingInstaller implements CommandSessionListener {
    static final String READER = ".reader";

    @Override
    public void beforeExecute(CommandSession session, CharSequence command) {
        if (session.get(READER) instanceof LineReaderImpl reader
                && !(reader.getParser() instanceof CompletionEscaping)) {
            reader.setParser(new CompletionEscaping(reader.getParser()));
        }
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Exception exception) {
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Object result) {
    }
}
