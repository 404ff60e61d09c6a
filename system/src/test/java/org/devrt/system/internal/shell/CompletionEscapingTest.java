package org.devrt.system.internal.shell;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.jline.reader.CompletingParsedLine;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser.ParseContext;
import org.junit.Test;

public class CompletionEscapingTest {
    private final org.apache.felix.gogo.jline.Parser gogo = new org.apache.felix.gogo.jline.Parser();
    private final CompletionEscaping parser = new CompletionEscaping(gogo);

    private CompletingParsedLine completing(String line) {
        return (CompletingParsedLine) parser.parse(line, line.length(), ParseContext.COMPLETE);
    }

    @Test
    public void gogosOwnEscapeOfANameWithASpaceThrowsWhichEndedTheShell() {
        String line = "cat my";
        CompletingParsedLine own = (CompletingParsedLine) gogo.parse(line, line.length(), ParseContext.COMPLETE);
        assertThrows(StringIndexOutOfBoundsException.class, () -> own.escape("my dir/", false));
    }

    @Test
    public void aNameWithSpacesIsCompletedWithBackslashes() {
        assertEquals("my\\ dir/", completing("cat my").escape("my dir/", false).toString());
        assertEquals("two\\ \\ spaces.txt", completing("cat tw").escape("two  spaces.txt", true).toString());
        assertEquals("plain.txt", completing("cat pl").escape("plain.txt", true).toString());
    }

    @Test
    public void aQuotedWordStaysQuoted() {
        assertEquals("'my dir/", completing("cat 'my").escape("my dir/", false).toString());
        assertEquals("'it\\'s.txt'", completing("cat 'it").escape("it's.txt", true).toString());
        assertEquals("\"my dir.txt\"", completing("cat \"my").escape("my dir.txt", true).toString());
    }

    @Test
    public void theCursorIsCountedInTheUnquotedWord() {
        assertEquals(2, completing("cat 'in").wordCursor());
        assertEquals(2, completing("cat \"in").wordCursor());
        assertEquals(4, completing("cat my\\ d").wordCursor());
        assertEquals(2, completing("cat in").wordCursor());
        String line = "cat 'in";
        CompletingParsedLine own = (CompletingParsedLine) gogo.parse(line, line.length(), ParseContext.COMPLETE);
        assertThrows("Gogo's own: what JLine does with it threw", StringIndexOutOfBoundsException.class,
                () -> own.word().substring(0, own.wordCursor()));
        CompletingParsedLine mended = completing(line);
        assertEquals("in", mended.word().substring(0, mended.wordCursor()));
    }

    @Test
    public void theWordsAreGogosAndAnEnteredLineIsGogosOwn() {
        CompletingParsedLine c = completing("cat my");
        assertEquals("cat", c.words().get(0));
        assertEquals("my", c.word());
        ParsedLine accepted = parser.parse("cat a.txt", 9, ParseContext.ACCEPT_LINE);
        assertTrue("Gogo's shell casts the entered line to its own class",
                accepted instanceof org.apache.felix.gogo.jline.ParsedLineImpl);
    }
}
