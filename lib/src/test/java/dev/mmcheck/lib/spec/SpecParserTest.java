package dev.mmcheck.lib.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input gets one message with file:line:column and what was expected. */
class SpecParserTest {
    private static final String HEAD = "spec t\nprofile v7.0\nprocesses 2\npages 1\n";

    private static String error(String text) {
        return assertThrows(SpecException.class, () -> SpecParser.parse("t.mmc", text)).render();
    }

    @Test
    void aMissingFileIsReportedByName() {
        SpecException e = assertThrows(SpecException.class, () -> SpecParser.parse(Path.of("no/such.mmc")));
        assertEquals("no/such.mmc: no such file", e.render());
    }

    @Test
    void anUnknownOperationNamesTheForms() {
        assertEquals("t.mmc:9:3: unknown operation 'wrte'; expected one of: mmap, munmap, read, write, fork, exit, get, "
                        + "pin, vmsplice, io_uring_register, unpin, put, dma-write, mprotect, madvise, clear-soft-dirty, reclaim, ksm-merge",
                error(HEAD + "setup {\n  P0: mmap A anon rw\n}\nP0 {\n  wrte A\n}\ncheck all\n"));
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
            "profile v9.9 => t.mmc:2:9: unknown profile 'v9.9'; expected one of v5.7, v5.8, v5.9, v5.18, v5.19, v7.0",
            "processes 9 => t.mmc:3:11: impossible bound: processes must be 1..4, got 9",
            "pages 0 => t.mmc:4:7: impossible bound: pages must be 1..4, got 0",
            "set wp-reuse = always => t.mmc:5:16: unknown choice 'always' for wp-reuse; expected one of reuse-swap-page, page-count, page-count-free-swap, anon-exclusive",
            "set no-such = x => t.mmc:5:5: unknown decision point 'no-such'; expected one of wp-reuse, gup-cow-break, pin-unshare, fork-maybe-pinned, anon-exclusive, swap-pte-exclusive, swap-in-reuse, swap-out-pinned, mprotect-upgrade, clear-refs-pinned, ksm-write-protect, pte-special, soft-dirty",
            "frobnicate => t.mmc:5:1: unknown directive 'frobnicate'; expected spec, title, cite, profile, set, processes, pages, depth, max-states, setup {, P<n> {, ops, check, witness, exists or forbidden",
            "check no-such-invariant => t.mmc:5:7: unknown invariant 'no-such-invariant'; expected one of pinned-anon-is-exclusive, writable-anon-is-exclusive, pin-coherent, no-leak-across-fork, counts-match-references, ksm-never-exclusive, zeropage-never-writable or all",
            "ops read frob => t.mmc:5:10: unknown operation kind 'frob'; expected one of: read, write, get(ro|rw[,longterm][,fast]), pin(ro|rw[,longterm][,fast]), release, dma-write, fork, exit, munmap, madvise(dontneed|dontfork|dofork|pageout), mprotect(ro|rw), clear-soft-dirty, reclaim, ksm-merge",
            "ops pin(rx) => t.mmc:5:5: unknown GUP flag 'rx'; expected ro, rw, longterm or fast",
    })
    void badDirectivesAreReportedWithLineAndColumn(String line, String expected) {
        String text = HEAD.replace("profile v7.0\n", line.startsWith("profile") ? line + "\n" : "profile v7.0\n")
                .replace("processes 2\n", line.startsWith("processes") ? line + "\n" : "processes 2\n")
                .replace("pages 1\n", line.startsWith("pages") ? line + "\n" : "pages 1\n");
        if (!line.startsWith("profile") && !line.startsWith("processes") && !line.startsWith("pages")) text += line + "\n";
        assertEquals(expected, error(text + "depth 2\nops read\ncheck all\n"));
    }

    @Test
    void aPageOutsideTheBoundsIsAnError() {
        assertEquals("t.mmc:6:12: page B is outside the bounds: 'pages 1'",
                error(HEAD + "setup {\n  P0: mmap B anon rw\n}\n"));
    }

    @Test
    void aProcessOutsideTheBoundsIsAnError() {
        assertEquals("t.mmc:6:12: P2 is outside the bounds: 'processes 2' allows P0..P1",
                error(HEAD + "setup {\n  P0: fork P2\n}\n"));
    }

    @Test
    void anUnclosedBlockPointsAtItsOpening() {
        assertEquals("t.mmc:5:1: block opened here is not closed with '}'", error(HEAD + "P0 {\n  read A\n"));
    }

    @Test
    void anUnknownReferenceNameIsAnError() {
        assertEquals("t.mmc:6:9: no reference named 'buf' was taken before (with 'as buf')",
                error(HEAD + "P0 {\n  unpin buf\n}\ncheck all\n"));
    }

    @Test
    void aReferenceBelongsToTheProcessThatTookIt() {
        assertEquals("t.mmc:9:9: 'buf' belongs to P0, not P1",
                error(HEAD + "P0 {\n  pin A as buf\n}\nP1 {\n  unpin buf\n}\ncheck all\n"));
    }

    @Test
    void anExplorationNeedsADepth() {
        assertEquals("t.mmc:5:1: an exploration needs a 'depth N' bound", error(HEAD + "ops read\ncheck all\n"));
    }

    @Test
    void aSpecWithNeitherProgramsNorOpsSaysWhatIsMissing() {
        assertEquals("t.mmc:1:1: nothing to check: expected per-process programs ('P0 { ... }') or an exploration ('ops ...')",
                error(HEAD + "check all\n"));
    }

    @Test
    void aConditionMustCompareALocationWithAValue() {
        assertEquals("t.mmc:8:16: expected == or !=, found '=' alone", error(HEAD + "P0 {\n  read A\n}\nforbidden P0:A = 0xff\n"));
    }

    @Test
    void aWellFormedSpecParsesIntoProgramsAndAnOutcome() throws Exception {
        Spec s = SpecParser.parse("t.mmc", HEAD + "setup {\n  P0: mmap A anon rw\n  P0: fork P1\n}\n"
                + "P0 {\n  write A 0xff\n}\nP1 {\n  vmsplice A as pipe\n  munmap A\n}\nforbidden P1:pipe == 0xff\n");
        assertEquals(2, s.setup().size());
        assertEquals(2, s.programs().size());
        assertEquals(3, s.depth());
        assertEquals(java.util.List.of("pipe"), s.labels());
        assertEquals("forbidden P1:pipe == 0xff", s.outcome().orElseThrow().describe());
    }
}
