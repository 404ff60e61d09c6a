package org.devrt.system.internal.shell;

import java.util.List;

import org.jline.reader.CompletingParsedLine;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.jline.reader.SyntaxError;

/**
 * Gogo's parser with the escaping of completions mended. Gogo JLine 1.1.8's {@code ParsedLineImpl.escape} walks the
 * candidate it is inserting backslashes into, but reads the characters from the candidate as it was: past the first
 * space it reads beyond the candidate's end, and the {@code StringIndexOutOfBoundsException} ends the shell's thread
 * (no prompt again, the JVM left running). Tab on a name with a space did it, and FAT names often have one.
 *
 * <p>For completion only, Gogo's parsed line is wrapped with an {@code escape} that does what Gogo's means to:
 * inside a word that opens with {@code '} or {@code "}, that quote is escaped and the word quoted; otherwise
 * spaces and tabs are escaped with a backslash. Its {@link Escaping#wordCursor()} is mended too (Tab in a quoted
 * word threw the same way). The line a user enters is Gogo's own, untouched (Gogo's shell reads
 * its program from it).
 */
public final class CompletionEscaping implements Parser {
    private final Parser gogo;

    public CompletionEscaping(Parser gogo) {
        this.gogo = gogo;
    }

    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) throws SyntaxError {
        ParsedLine parsed = gogo.parse(line, cursor, context);
        return context == ParseContext.COMPLETE && parsed instanceof CompletingParsedLine c ? new Escaping(c) : parsed;
    }

    @Override
    public boolean isEscapeChar(char ch) {
        return gogo.isEscapeChar(ch);
    }

    @Override
    public boolean validCommandName(String name) {
        return gogo.validCommandName(name);
    }

    @Override
    public boolean validVariableName(String name) {
        return gogo.validVariableName(name);
    }

    @Override
    public String getCommand(String line) {
        return gogo.getCommand(line);
    }

    @Override
    public String getVariable(String line) {
        return gogo.getVariable(line);
    }

    /** Escapes {@code candidate} for the word being completed, whose raw text opens with {@code opening}. */
    static CharSequence escape(CharSequence candidate, boolean complete, char opening) {
        char quote = opening == '\'' || opening == '"' ? opening : 0;
        StringBuilder out = new StringBuilder(candidate.length() + 4);
        if (quote != 0) {
            out.append(quote);
        }
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (quote != 0 ? c == quote : c == ' ' || c == '\t') {
                out.append('\\');
            }
            out.append(c);
        }
        if (quote != 0 && complete) {
            out.append(quote);
        }
        return out;
    }

    /** Gogo's parsed line, but for {@link #escape(CharSequence, boolean)}. */
    record Escaping(CompletingParsedLine gogo) implements CompletingParsedLine {
        @Override
        public CharSequence escape(CharSequence candidate, boolean complete) {
            int start = gogo.cursor() - gogo.rawWordCursor();
            String line = gogo.line();
            char opening = gogo.rawWordLength() > 0 && start >= 0 && start < line.length() ? line.charAt(start) : 0;
            return CompletionEscaping.escape(candidate, complete, opening);
        }

        @Override
        public int rawWordCursor() {
            return gogo.rawWordCursor();
        }

        @Override
        public int rawWordLength() {
            return gogo.rawWordLength();
        }

        @Override
        public String word() {
            return gogo.word();
        }

        /**
         * The cursor in {@link #word()}, the word unquoted: Gogo's counts the raw word's characters (3 in {@code 'in},
         * whose word is {@code in}), and JLine's {@code word().substring(0, wordCursor())} then threw, ending the
         * shell, on Tab in any quoted or backslash-escaped word.
         */
        @Override
        public int wordCursor() {
            int start = gogo.cursor() - gogo.rawWordCursor();
            String line = gogo.line();
            if (start < 0 || gogo.cursor() > line.length()) {
                return Math.min(gogo.wordCursor(), word().length());
            }
            int n = 0;
            char quote = 0;
            for (int i = start; i < gogo.cursor(); i++) {
                char c = line.charAt(i);
                if (i == start && (c == '\'' || c == '"')) {
                    quote = c;
                } else if (c == '\\' && quote != '\'' && i + 1 < gogo.cursor()) {
                    i++; // the escaped character is one of the word's
                    n++;
                } else if (c != quote) {
                    n++;
                }
            }
            return Math.min(n, word().length());
        }

        @Override
        public int wordIndex() {
            return gogo.wordIndex();
        }

        @Override
        public List<String> words() {
            return gogo.words();
        }

        @Override
        public String line() {
            return gogo.line();
        }

        @Override
        public int cursor() {
            return gogo.cursor();
        }
    }
}
