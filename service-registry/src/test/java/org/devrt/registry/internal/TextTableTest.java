package org.devrt.registry.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

public class TextTableTest {
    @Test
    public void columnsAreAsWideAsTheirWidestCellAndLinesHaveNoTrailingBlanks() {
        String text = new TextTable("A", "LONG HEADER", "C").row("wide cell", "x", "").row("y", "z", "last").toString();

        assertEquals("""
                A          LONG HEADER  C
                wide cell  x
                y          z            last
                """, text);
    }

    @Test
    public void aRowWithTheWrongNumberOfCellsIsRefused() {
        TextTable table = new TextTable("A", "B");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> table.row("only one"));
        assertEquals("a row of this table has 2 cells, not 1", e.getMessage());
    }
}
