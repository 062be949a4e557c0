package dev.mmcheck.lib.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
                        + "pin, vmsplice, io_uring_register, unpin, put, dma-write, mprotect, madvise, clear-soft-dirty, reclaim, ksm-merge, ksm-zero, enable-skeys, "
                        + "mremap, collapse, migrate-start, migrate-finish, migrate-to-device, device-exclusive, memory-failure, uffd-register, uffd-unregister, uffd-wp, uffd-zeropage, "
                        + "uffd-continue, evict, swapoff, procmem-write, userptr, userptr-submit, userptr-gpu-write, hmm-mirror, hmm-fault, hmm-device-write",
                error(HEAD + "setup {\n  P0: mmap A anon rw\n}\nP0 {\n  wrte A\n}\ncheck all\n"));
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
            "profile v9.9 => t.mmc:2:9: unknown profile 'v9.9'; expected a release v4.8..v7.1 (v5.7, v5.8, v5.9, v5.18, v5.19 and v7.0 are the named eras)",
            "processes 9 => t.mmc:3:11: impossible bound: processes must be 1..4, got 9",
            "pages 0 => t.mmc:4:7: impossible bound: pages must be 1..4, got 0",
            "set wp-reuse = always => t.mmc:5:16: unknown choice 'always' for wp-reuse; expected one of reuse-swap-page-ksm-copied, reuse-swap-page, page-count, page-count-free-swap, anon-exclusive",
            "set no-such = x => t.mmc:5:5: unknown decision point 'no-such'; expected one of wp-reuse, gup-cow-break, pin-unshare, fork-maybe-pinned, anon-exclusive, swap-pte-exclusive, swap-in-reuse, swap-out-pinned, mprotect-upgrade, clear-refs-pinned, ksm-write-protect, pte-special, soft-dirty, pin-accounting, ksm-break-cow, zeropage-pin, zeropage-insert, pages-stat-walk, dax-hole, fsdax-mixedmap, fsdax-longterm, skeys-zeropage, ksm-zero-pages, gup-fast, remap-pfn-cow-pgoff, storage-keys, thp-wp-reuse, huge-zero-wp, large-anon-reuse, thp-swapout, collapse-refcount, collapse-writable, hugetlb-fork-pinned, device-exclusive, migration-entry-fork, pmd-split-exclusive, uffd-wp, uffd-wp-unpopulated, uffd-wp-async, uffd-wp-fork, uffd-marker-fork, uffd-shmem-writenotify, uffd-thp-migration, uffd-huge-zero-split, uffd-resolve, uffd-unregister, swapoff-bits, uffd-collapse, force-write, uffd-continue-dirty, userptr-invalidate, userptr-submit-check, userptr-probe, gup-fast-fork, gup-fast-collapse, gup-fast-unmap, force-write-pmd, touch-pmd, thp-split-lock, hmm-mirror",
            "frobnicate => t.mmc:5:1: unknown directive 'frobnicate'; expected spec, title, cite, profile, set, processes, pages, depth, max-states, setup {, P<n> {, ops, check, witness, exists or forbidden",
            "check no-such-invariant => t.mmc:5:7: unknown invariant 'no-such-invariant'; expected one of pinned-anon-is-exclusive, writable-anon-is-exclusive, pin-coherent, no-leak-across-fork, counts-match-references, ksm-never-exclusive, zeropage-never-writable, vm-normal-page-not-zeropage, zeropage-pte-special, no-folio-for-raw-pfn, walkers-agree, gup-fast-never-special, migration-entry-exclusive, uffd-wp-store-trapped, uffd-wp-never-writable, uffd-marker-needs-wp-vma, force-write-never-to-file-or-zeropage, device-coherent or all",
            "ops read frob => t.mmc:5:10: unknown operation kind 'frob'; expected one of: read, write, get(ro|rw[,longterm][,fast][,steps]), pin(ro|rw[,longterm][,fast][,steps]), release, dma-write, fork[(steps)], exit, munmap, madvise(dontneed|dontfork|dofork|pageout), mprotect(ro|rw), clear-soft-dirty, reclaim[(steps)], ksm-merge, ksm-zero, enable-skeys, mremap, collapse[(steps)], migrate-start, migrate-finish, migrate-to-device, device-exclusive, memory-failure, uffd-wp(on|off), uffd-unregister, uffd-zeropage, uffd-continue, evict, swapoff, procmem-write[(steps)], userptr-submit, userptr-gpu-write",
            "ops pin(rx) => t.mmc:5:5: unknown GUP flag 'rx'; expected ro, rw, longterm, fast or steps",
            "ops pin(rw,steps) => t.mmc:5:5: 'steps' splits GUP-fast's lockless walk into its steps: it needs 'fast'",
            "ops exit(steps) => t.mmc:5:5: 'exit' takes no parameters",
            "ops fork(now) => t.mmc:5:5: expected fork or fork(steps)",
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

    private static final String CVE = "spec t\ncite \"x\"\nprofile v5.7\nprocesses 2\npages 1\nsetup {\n  P0: mmap A anon rw\n"
            + "  P0: fork P1\n}\nP0 {\n  write A 0xff\n}\nP1 {\n  vmsplice A as pipe\n  munmap A\n}\nforbidden P1:pipe == 0xff\n";

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("a second profile line", "profile v5.7", "profile v5.7\nprofile v7.0",
                        "t.mmc:4:1: 'profile' is given twice (first at line 3); a spec states it once"),
                Arguments.of("a second setup block", "forbidden P1:pipe == 0xff", "forbidden P1:pipe == 0xff\nsetup {\n  P0: read A\n}",
                        "t.mmc:18:1: 'setup' is given twice (first at line 6); a spec states it once"),
                Arguments.of("an invariant named twice", "forbidden P1:pipe == 0xff", "forbidden P1:pipe == 0xff\ncheck pin-coherent pin-coherent",
                        "t.mmc:18:20: invariant 'pin-coherent' is named twice (first at 18:7)"),
                Arguments.of("check all all", "forbidden P1:pipe == 0xff", "forbidden P1:pipe == 0xff\ncheck all all",
                        "t.mmc:18:11: 'all' names invariant 'pinned-anon-is-exclusive' again (first at 18:7)"),
                Arguments.of("a witness named twice", "forbidden P1:pipe == 0xff",
                        "forbidden P1:pipe == 0xff\nwitness reached-pinned\nwitness reached-pinned",
                        "t.mmc:19:9: witness 'reached-pinned' is named twice (first at 18:9)"),
                Arguments.of("a huge process number", "P0: fork P1", "P0: fork P2147483648",
                        "t.mmc:8:12: P2147483648 is outside the bounds: 'processes 2' allows P0..P1"),
                Arguments.of("a process number past int", "P0: fork P1", "P0: fork P99999999999",
                        "t.mmc:8:12: P99999999999 is outside the bounds: 'processes 2' allows P0..P1"),
                Arguments.of("a decision point set twice", "profile v5.7", "profile v5.7\nset wp-reuse = page-count\nset wp-reuse = anon-exclusive",
                        "t.mmc:5:5: decision point 'wp-reuse' is set twice (first at line 4)"),
                Arguments.of("a depth on programs", "forbidden P1:pipe == 0xff", "forbidden P1:pipe == 0xff\ndepth 3",
                        "t.mmc:18:1: 'depth' is for explorations; programs run to their end (their steps are the depth)"),
                Arguments.of("a condition on another process's reference", "forbidden P1:pipe", "forbidden P0:pipe",
                        "t.mmc:17:14: reference 'pipe' belongs to P1, not P0; write P1:pipe"),
                Arguments.of("a program no process runs", "processes 2\npages 1\n", "processes 3\npages 1\nP2 {\n  read A\n}\n",
                        "t.mmc:6:1: P2's program can never run: nothing creates P2 (no setup step, and no program of a process that exists, forks it)"),
                Arguments.of("a fork into a slot in use", "  P0: fork P1", "  P0: fork P1\n  P0: fork P1",
                        "t.mmc:9:3: P1 exists already at this point of the setup; fork needs a free process slot"),
                Arguments.of("a process before its bound", "processes 2\n", "",
                        "t.mmc:5:1: a setup block comes before 'processes N'; state the bounds ('processes', 'pages') before setup, programs and conditions"),
                Arguments.of("a parenthesis that does not close", "forbidden P1:pipe == 0xff", "forbidden (P1:pipe == 0xff",
                        "t.mmc:17:11: this '(' is not closed with ')'"),
                Arguments.of("a stray closing parenthesis", "forbidden P1:pipe == 0xff", "forbidden P1:pipe == 0xff)",
                        "t.mmc:17:26: ')' without a matching '('"),
                Arguments.of("an empty program", "P0 {\n  write A 0xff\n}", "P0 {\n}",
                        "t.mmc:10:1: P0's program is empty; give it steps or leave it out"),
                Arguments.of("a self fork", "P0: fork P1", "P0: fork P0", "t.mmc:8:12: P0 cannot fork into its own slot"),
                Arguments.of("GUP-fast's steps without fast", "  write A 0xff", "  pin A rw steps",
                        "t.mmc:11:12: 'steps' splits GUP-fast's lockless walk into its steps: it needs 'fast'"),
                Arguments.of("a fork with a word that is not steps", "  write A 0xff", "  fork P1 now",
                        "t.mmc:11:11: expected 'steps' (the pinned check and the write-protect as steps of their own) or the end of the step, found 'now'"),
                Arguments.of("a thread number out of range", "P0 {\n  write A 0xff\n}", "P0.16 {\n  write A 0xff\n}",
                        "t.mmc:10:1: expected a thread number 1..15 after 'P0.', found '16'"),
                Arguments.of("a second program for a thread", "P0 {\n  write A 0xff\n}", "P0.1 {\n  write A 0xff\n}\nP0.1 {\n  read A\n}",
                        "t.mmc:13:1: a second program for P0.1 (the first is at line 10)"),
                Arguments.of("a thread of a process nothing creates", "processes 2\npages 1\n", "processes 3\npages 1\nP2.1 {\n  read A\n}\n",
                        "t.mmc:6:1: P2.1's program can never run: nothing creates P2 (no setup step, and no program of a process that exists, forks it)"),
                Arguments.of("an unquoted title", "cite \"x\"", "cite \"x\"\ntitle plain",
                        "t.mmc:3:7: expected a quoted title, such as \"R/O pin after fork\"; found 'plain' without quotes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void whatCannotMeanWhatItSaysIsRefused(String what, String from, String to, String expected) {
        assertTrue(CVE.contains(from), from);
        assertEquals(expected, error(CVE.replace(from, to)), what);
    }

    @Test
    void aParenthesisedConditionParses() throws Exception {
        Spec s = SpecParser.parse("t.mmc", CVE.replace("forbidden P1:pipe == 0xff", "forbidden (P1:pipe == 0xff) \\/ ~(P0:A != 0xff)"));
        assertEquals("forbidden (P1:pipe == 0xff) \\/ ~(P0:A != 0xff)", s.outcome().orElseThrow().describe());
    }

    @Test
    void nestingAndLengthAreBoundedSoNoInputExhaustsTheStack() {
        assertEquals("t.mmc:17:75: parentheses and '~' nested deeper than 64",
                error(CVE.replace("forbidden P1:pipe == 0xff", "forbidden " + "~".repeat(1000) + "P1:pipe == 0xff")));
        assertEquals("t.mmc:17:75: parentheses and '~' nested deeper than 64",
                error(CVE.replace("forbidden P1:pipe == 0xff", "forbidden " + "(".repeat(1000) + "P1:pipe == 0xff" + ")".repeat(1000))));
        assertEquals("t.mmc:17:4097: line longer than 4096 characters",
                error(CVE.replace("forbidden P1:pipe == 0xff", "forbidden " + "P1:pipe == 0xff /\\ ".repeat(14000) + "P1:pipe == 0xff")));
    }

    @Test
    void invalidUtf8AndControlCharactersAreReportedWhereTheyAre() throws Exception {
        String before = CVE.substring(0, CVE.indexOf("write A 0xff") + "write A 0xff # caf".length()).replace("0xff # caf", "0xff # caf");
        byte[] head = CVE.replace("write A 0xff", "write A 0xff # caf").substring(0, before.length()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] tail = CVE.substring(CVE.indexOf("write A 0xff") + "write A 0xff".length()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] bytes = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xff;
        System.arraycopy(tail, 0, bytes, head.length + 1, tail.length);
        java.nio.file.Path f = java.nio.file.Files.createTempFile("bad", ".mmc");
        java.nio.file.Files.write(f, bytes);
        SpecException e = assertThrows(SpecException.class, () -> SpecParser.parse(f));
        assertEquals(f + ":11:21: not UTF-8 text: byte 0xff cannot start or continue a character here", e.render());
        java.nio.file.Files.writeString(f, CVE.replace("write A", "write\u0000A"));
        assertEquals(f + ":11:8: unexpected control character U+0000; expected text",
                assertThrows(SpecException.class, () -> SpecParser.parse(f)).render());
        java.nio.file.Files.delete(f);
    }

    @Test
    void anExplorationWithDepthZeroOrADuplicatedOperationKindIsRefused() {
        String explore = HEAD + "setup {\n  P0: mmap A anon rw\n}\nops read write\nops fork read\ndepth 3\ncheck all\nwitness all\n";
        assertEquals("t.mmc:9:10: operation kind 'read' is listed twice (first at 8:5)", error(explore));
        assertEquals("t.mmc:10:7: impossible bound: depth must be 1..1000, got 0",
                error(explore.replace("ops fork read", "ops fork").replace("depth 3", "depth 0")));
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
            "'  P0: mmap A pfnmap rw' => t.mmc:6:14: expected one of anon, thp, hugetlb, file-private, file-shared, pfnmap-private, pfnmap-shared, pfnmap-fault, mixedmap-private, mixedmap-shared, mixedmap-zero-private, mixedmap-zero-shared, dax-private, dax-shared, fuse-dax-private, fuse-dax-shared, shmem-private, shmem-shared; found 'pfnmap'",
            "'  P0: mmap A unmapped rw' => t.mmc:6:14: expected one of anon, thp, hugetlb, file-private, file-shared, pfnmap-private, pfnmap-shared, pfnmap-fault, mixedmap-private, mixedmap-shared, mixedmap-zero-private, mixedmap-zero-shared, dax-private, dax-shared, fuse-dax-private, fuse-dax-shared, shmem-private, shmem-shared; found 'unmapped'",
            "'  P0: mmap A pfnmap-private rw io' => t.mmc:6:32: remap_pfn_range() sets VM_IO itself: drop 'io'",
            "'  P0: mmap A dax-shared rw io' => t.mmc:6:28: 'io' applies to a driver mapping (pfnmap-fault, mixedmap-*), not dax-shared",
            "'  P0: mmap A mixedmap-shared rw vm_io' => t.mmc:6:33: expected 'io' (the driver also sets VM_IO) or the end of the step, found 'vm_io'",
            "'  P0: mmap A mixedmap-shared rw io x' => t.mmc:6:36: expected 'mmap PAGE KIND ro|rw [io]'; KIND is one of: anon, thp, hugetlb, file-private, file-shared, pfnmap-private, pfnmap-shared, pfnmap-fault, mixedmap-private, mixedmap-shared, mixedmap-zero-private, mixedmap-zero-shared, dax-private, dax-shared, fuse-dax-private, fuse-dax-shared, shmem-private, shmem-shared",
            "'  P0: ksm-zero' => t.mmc:6:7: expected 'ksm-zero PAGE'",
            "'  P0: enable-skeys A' => t.mmc:6:20: expected 'enable-skeys'",
    })
    void badSpecialMappingStepsAreReportedWithLineAndColumn(String step, String expected) {
        assertEquals(expected, error(HEAD + "setup {\n" + step + "\n}\nP0 {\n  read A\n}\ncheck all\n"));
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
            "P0:folio_wlak(A) == anon => t.mmc:11:11: unknown walker 'folio_wlak'; expected one of: vm_normal_page, folio_walk, walk_page_test, pages_stat, gup_check",
            "P0:folio_walk(A) == folio => t.mmc:11:28: folio_walk() reports one of none, zeropage, anon, pagecache, driver-page, dax-block, raw-pfn; found 'folio'",
            "P0:pages_stat(A) == -EPERM => t.mmc:11:28: pages_stat() reports one of node0, -EFAULT, -ENOENT; found '-EPERM'",
            "P0:folio_walk(A == anon => t.mmc:11:8: expected P0:folio_walk(PAGE) == RESULT, such as P0:folio_walk(A) == anon",
            "P0:folio_walk(B) == anon => t.mmc:11:22: page B is outside the bounds: 'pages 1'",
            "P0:folio_walk(A) = anon => t.mmc:11:25: expected == or !=, found '=' alone",
    })
    void badWalkerObservationsAreReportedWithLineAndColumn(String condition, String expected) {
        assertEquals(expected, error(HEAD + "setup {\n  P0: mmap A pfnmap-private rw\n}\nP0 {\n  write A\n}\nexists " + condition + "\n"));
    }

    @Test
    void walkerObservationsAndTheNewStepsParse() throws Exception {
        Spec s = SpecParser.parse("t.mmc", HEAD + "setup {\n  P0: mmap A mixedmap-zero-shared ro io\n  P0: enable-skeys\n}\n"
                + "P0 {\n  ksm-zero A\n}\nexists P0:walk_page_test(A) == walked /\\ ~(P0:gup_check(A) != -EFAULT)\n");
        assertEquals("exists P0:walk_page_test(A) == walked /\\ ~(P0:gup_check(A) != -EFAULT)", s.outcome().orElseThrow().describe());
    }
}
