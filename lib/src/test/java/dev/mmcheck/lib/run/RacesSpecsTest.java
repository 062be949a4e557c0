package dev.mmcheck.lib.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mmcheck.lib.MmCheck;
import dev.mmcheck.lib.Repo;
import dev.mmcheck.lib.report.TextReport;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The races issue's FOLL_FORCE family: Dirty COW (CVE-2016-5195) on a file and on the zeropage, violated on v4.8 and
 * clean from 19be0eaffa3a (v4.9); the same race with GUP's loop atomic, clean everywhere (the steps are what expose
 * it); CVE-2022-2590, violated exactly from 9ae0f87d009c (v5.16) to v5.19 and clean from 5535be309971 (v6.0); with
 * exact state and transition counts, verdicts and trace lengths; and the exploration that finds Dirty COW on v4.8 by itself.
 */
class RacesSpecsTest {

    static Stream<Arguments> raceSpecs() {
        return Stream.of(
                Arguments.of("specs/races/dirty-cow.mmc", "v4.8", "21 states, 23 transitions: forbidden P1:A == 0xff VIOLATED(7); force-write-never-to-file-or-zeropage VIOLATED(5); counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/dirty-cow.mmc", "v4.9", "17 states, 20 transitions: forbidden P1:A == 0xff NO_VIOLATION_WITHIN_BOUNDS; force-write-never-to-file-or-zeropage NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/dirty-cow.mmc", "v5.8", "17 states, 20 transitions: forbidden P1:A == 0xff NO_VIOLATION_WITHIN_BOUNDS; force-write-never-to-file-or-zeropage NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/dirty-cow.mmc", "v5.19", "17 states, 20 transitions: forbidden P1:A == 0xff NO_VIOLATION_WITHIN_BOUNDS; force-write-never-to-file-or-zeropage NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/dirty-cow.mmc", "v6.0", "14 states, 16 transitions: forbidden P1:A == 0xff NO_VIOLATION_WITHIN_BOUNDS; force-write-never-to-file-or-zeropage NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/dirty-cow.mmc", "v7.1", "14 states, 16 transitions: forbidden P1:A == 0xff NO_VIOLATION_WITHIN_BOUNDS; force-write-never-to-file-or-zeropage NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/dirty-cow-zeropage.mmc", "v4.8", "15 states, 15 transitions: force-write-never-to-file-or-zeropage VIOLATED(4); counts-match-references NO_VIOLATION_WITHIN_BOUNDS; zeropage-never-writable NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/dirty-cow-zeropage.mmc", "v4.9", "12 states, 13 transitions: force-write-never-to-file-or-zeropage NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; zeropage-never-writable NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/dirty-cow-zeropage.mmc", "v5.8", "12 states, 13 transitions: force-write-never-to-file-or-zeropage NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; zeropage-never-writable NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/dirty-cow-zeropage.mmc", "v5.19", "12 states, 13 transitions: force-write-never-to-file-or-zeropage NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; zeropage-never-writable NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/dirty-cow-zeropage.mmc", "v6.0", "11 states, 12 transitions: force-write-never-to-file-or-zeropage NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; zeropage-never-writable NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/dirty-cow-zeropage.mmc", "v7.1", "11 states, 12 transitions: force-write-never-to-file-or-zeropage NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; zeropage-never-writable NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/dirty-cow-atomic.mmc", "v4.8", "11 states, 12 transitions: forbidden P1:A == 0xff NO_VIOLATION_WITHIN_BOUNDS; force-write-never-to-file-or-zeropage NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/dirty-cow-atomic.mmc", "v4.9", "11 states, 12 transitions: forbidden P1:A == 0xff NO_VIOLATION_WITHIN_BOUNDS; force-write-never-to-file-or-zeropage NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/dirty-cow-atomic.mmc", "v5.8", "11 states, 12 transitions: forbidden P1:A == 0xff NO_VIOLATION_WITHIN_BOUNDS; force-write-never-to-file-or-zeropage NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/dirty-cow-atomic.mmc", "v5.19", "11 states, 12 transitions: forbidden P1:A == 0xff NO_VIOLATION_WITHIN_BOUNDS; force-write-never-to-file-or-zeropage NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/dirty-cow-atomic.mmc", "v6.0", "11 states, 12 transitions: forbidden P1:A == 0xff NO_VIOLATION_WITHIN_BOUNDS; force-write-never-to-file-or-zeropage NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/dirty-cow-atomic.mmc", "v7.1", "11 states, 12 transitions: forbidden P1:A == 0xff NO_VIOLATION_WITHIN_BOUNDS; force-write-never-to-file-or-zeropage NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/cve-2022-2590-shmem-continue.mmc", "v5.15", "19 states, 24 transitions: force-write-never-to-file-or-zeropage NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/cve-2022-2590-shmem-continue.mmc", "v5.16", "21 states, 25 transitions: force-write-never-to-file-or-zeropage VIOLATED(5); counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/cve-2022-2590-shmem-continue.mmc", "v5.19", "21 states, 25 transitions: force-write-never-to-file-or-zeropage VIOLATED(5); counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/cve-2022-2590-shmem-continue.mmc", "v6.0", "19 states, 24 transitions: force-write-never-to-file-or-zeropage NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/cve-2022-2590-shmem-continue.mmc", "v7.1", "19 states, 24 transitions: force-write-never-to-file-or-zeropage NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/force-write-explore.mmc", "v4.8", "1990 states, 4544 transitions: force-write-never-to-file-or-zeropage VIOLATED(5); counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-gup-get REACHED(3)"),
                Arguments.of("specs/races/force-write-explore.mmc", "v4.9", "1952 states, 4516 transitions: force-write-never-to-file-or-zeropage NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-gup-get REACHED(3)"),
                Arguments.of("specs/races/force-write-explore.mmc", "v7.1", "2178 states, 5392 transitions: force-write-never-to-file-or-zeropage NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-gup-get REACHED(2)"),
                Arguments.of("specs/races/gup-fast-fork.mmc", "v5.8", "16 states, 19 transitions: forbidden P0:buf != 0xff VIOLATED(5); pin-coherent VIOLATED(5); no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/gup-fast-fork.mmc", "v5.9", "19 states, 21 transitions: forbidden P0:buf != 0xff VIOLATED(5); pin-coherent VIOLATED(5); no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/gup-fast-fork.mmc", "v5.10", "19 states, 21 transitions: forbidden P0:buf != 0xff VIOLATED(5); pin-coherent VIOLATED(5); no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/gup-fast-fork.mmc", "v5.11", "19 states, 23 transitions: forbidden P0:buf != 0xff NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/gup-fast-fork.mmc", "v7.1", "19 states, 23 transitions: forbidden P0:buf != 0xff NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/gup-fast-fork-atomic.mmc", "v5.10", "9 states, 8 transitions: forbidden P0:buf != 0xff NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/gup-fast-fork-atomic.mmc", "v7.1", "9 states, 8 transitions: forbidden P0:buf != 0xff NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"));
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("raceSpecs")
    void specGivesTheKernelsVerdictWithExactCounts(String spec, String profile, String expected) throws Exception {
        assertEquals(expected, Signatures.of(Signatures.run(spec, profile, 1)));
    }

    @Test
    void dirtyCowsShortestInterleavingIsTheOneInTheCommitMessage() throws Exception {
        CheckReport r = MmCheck.check(Repo.spec("specs/races/dirty-cow.mmc"));
        Trace t = r.property("force-write-never-to-file-or-zeropage").trace().orElseThrow();
        String cpu1 = " ".repeat(38);
        assertEquals(List.of(
                cpu1 + "pwrite(/proc/P0/mem, 0xff, A)",
                cpu1 + "  [do_cow_fault]",
                cpu1 + "pwrite(/proc/P0/mem, 0xff, A)",
                cpu1 + "  [foll_flags &= ~FOLL_WRITE]",
                "madvise(A, MADV_DONTNEED)",
                cpu1 + "pwrite(/proc/P0/mem, 0xff, A)",
                cpu1 + "  [do_read_fault]",
                cpu1 + "pwrite(/proc/P0/mem, 0xff, A)",
                cpu1 + "  [try_grab_page(FOLL_GET) on",
                cpu1 + "  folio#0]"),
                TextReport.raceDiagram(t).subList(2, 12));
        assertEquals(5, t.length());
    }

    @Test
    void gupFastForkRaceShowsThePinBetweenForksCheckAndItsWriteProtect() throws Exception {
        CheckReport r = MmCheck.check(Repo.spec("specs/races/gup-fast-fork.mmc"));
        Trace t = r.property("pin-coherent").trace().orElseThrow();
        String cpu1 = " ".repeat(38);
        assertEquals(List.of(
                "CPU 0 (P0)                            CPU 1 (P0.1)",
                "------------------------              ------------------------",
                "fork() = P1 [page_maybe_dma_pinned()",
                "  false: share it]",
                cpu1 + "pin_user_pages_fast(A,",
                cpu1 + "  FOLL_WRITE|FOLL_LONGTERM) as buf",
                cpu1 + "  [read the PTE: folio#0 RW dirty",
                cpu1 + "  soft-dirty]",
                cpu1 + "pin_user_pages_fast(A,",
                cpu1 + "  FOLL_WRITE|FOLL_LONGTERM) as buf",
                cpu1 + "  [try_grab_page(FOLL_PIN) on",
                cpu1 + "  folio#0]",
                "fork() = P1 [ptep_set_wrprotect:",
                "  parent and child map it R/O]",
                "*A = 0xff"),
                TextReport.raceDiagram(t));
    }
}
