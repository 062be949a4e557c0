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
                Arguments.of("specs/races/gup-fast-fork-atomic.mmc", "v7.1", "9 states, 8 transitions: forbidden P0:buf != 0xff NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/gup-fast-collapse.mmc", "v5.19", "21 states, 24 transitions: forbidden P0:buf != 0xff VIOLATED(5); pin-coherent VIOLATED(4); counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/gup-fast-collapse.mmc", "v6.0", "18 states, 22 transitions: forbidden P0:buf != 0xff NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/gup-fast-collapse.mmc", "v6.1", "15 states, 16 transitions: forbidden P0:buf != 0xff NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/gup-fast-collapse.mmc", "v7.1", "15 states, 16 transitions: forbidden P0:buf != 0xff NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/gup-fast-collapse-atomic.mmc", "v5.19", "8 states, 8 transitions: forbidden P0:buf != 0xff NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/gup-fast-collapse-atomic.mmc", "v7.1", "8 states, 8 transitions: forbidden P0:buf != 0xff NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/gup-fast-unmap.mmc", "v5.19", "11 states, 12 transitions: pinned-anon-is-exclusive VIOLATED(4); counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/gup-fast-unmap.mmc", "v6.0", "11 states, 12 transitions: pinned-anon-is-exclusive VIOLATED(4); counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/gup-fast-unmap.mmc", "v6.1", "11 states, 13 transitions: pinned-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/gup-fast-unmap.mmc", "v7.1", "11 states, 13 transitions: pinned-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/gup-fast-unmap-atomic.mmc", "v6.0", "5 states, 4 transitions: pinned-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/gup-fast-unmap-atomic.mmc", "v7.1", "5 states, 4 transitions: pinned-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/cve-2017-1000405-huge-zeropage.mmc", "v4.8", "37 states, 52 transitions: force-write-never-to-file-or-zeropage VIOLATED(4); counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/cve-2017-1000405-huge-zeropage.mmc", "v4.9", "23 states, 30 transitions: force-write-never-to-file-or-zeropage NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/cve-2017-1000405-huge-zeropage.mmc", "v4.14", "32 states, 44 transitions: force-write-never-to-file-or-zeropage VIOLATED(5); counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/cve-2017-1000405-huge-zeropage.mmc", "v4.15", "31 states, 43 transitions: force-write-never-to-file-or-zeropage NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/cve-2017-1000405-huge-zeropage.mmc", "v7.1", "28 states, 38 transitions: force-write-never-to-file-or-zeropage NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/thp-mapcount-split.mmc", "v5.7", "12 states, 15 transitions: forbidden P1:A == 0xff VIOLATED(4); no-leak-across-fork VIOLATED(4); counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/thp-mapcount-split.mmc", "v5.8", "8 states, 8 transitions: forbidden P1:A == 0xff NO_VIOLATION_WITHIN_BOUNDS; no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/thp-mapcount-split.mmc", "v7.1", "6 states, 7 transitions: forbidden P1:A == 0xff NO_VIOLATION_WITHIN_BOUNDS; no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/thp-mapcount-split-atomic.mmc", "v5.7", "4 states, 4 transitions: forbidden P1:A == 0xff NO_VIOLATION_WITHIN_BOUNDS; no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/thp-mapcount-split-atomic.mmc", "v7.1", "4 states, 4 transitions: forbidden P1:A == 0xff NO_VIOLATION_WITHIN_BOUNDS; no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/gup-fast-fork-explore.mmc", "v5.10", "124 states, 201 transitions: pin-coherent VIOLATED(5); counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-pinned REACHED(2); reached-fork-shared REACHED(2)"),
                Arguments.of("specs/races/gup-fast-fork-explore.mmc", "v5.11", "132 states, 217 transitions: pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-pinned REACHED(2); reached-fork-shared REACHED(2)"),
                Arguments.of("specs/races/gup-fast-fork-explore.mmc", "v7.1", "132 states, 217 transitions: pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-pinned REACHED(2); reached-fork-shared REACHED(2)"),
                Arguments.of("specs/races/gup-fast-ksm.mmc", "v5.19", "12 states, 13 transitions: pinned-anon-is-exclusive VIOLATED(4); ksm-never-exclusive NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/gup-fast-ksm.mmc", "v6.0", "12 states, 13 transitions: pinned-anon-is-exclusive VIOLATED(4); ksm-never-exclusive NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/gup-fast-ksm.mmc", "v6.1", "12 states, 14 transitions: pinned-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; ksm-never-exclusive NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/gup-fast-ksm.mmc", "v7.1", "12 states, 14 transitions: pinned-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; ksm-never-exclusive NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/gup-fast-migrate.mmc", "v5.19", "11 states, 11 transitions: pinned-anon-is-exclusive VIOLATED(4); counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/gup-fast-migrate.mmc", "v6.0", "11 states, 11 transitions: pinned-anon-is-exclusive VIOLATED(4); counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/gup-fast-migrate.mmc", "v6.1", "11 states, 11 transitions: pinned-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/races/gup-fast-migrate.mmc", "v7.1", "11 states, 11 transitions: pinned-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"));
    }

    /** The race diagram's second column starts here. */
    private static final String CPU1 = " ".repeat(38);

    /** The shortest counterexample the spec gives for the property. */
    private static Trace trace(String spec, String property) throws Exception {
        return MmCheck.check(Repo.spec(spec)).property(property).trace().orElseThrow();
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("raceSpecs")
    void specGivesTheKernelsVerdictWithExactCounts(String spec, String profile, String expected) throws Exception {
        assertEquals(expected, Signatures.of(Signatures.run(spec, profile, 1)));
    }

    @Test
    void dirtyCowsShortestInterleavingIsTheOneInTheCommitMessage() throws Exception {
        Trace t = trace("specs/races/dirty-cow.mmc", "force-write-never-to-file-or-zeropage");
        assertEquals(List.of(
                CPU1 + "pwrite(/proc/P0/mem, 0xff, A)",
                CPU1 + "  [do_cow_fault]",
                CPU1 + "pwrite(/proc/P0/mem, 0xff, A)",
                CPU1 + "  [foll_flags &= ~FOLL_WRITE]",
                "madvise(A, MADV_DONTNEED)",
                CPU1 + "pwrite(/proc/P0/mem, 0xff, A)",
                CPU1 + "  [do_read_fault]",
                CPU1 + "pwrite(/proc/P0/mem, 0xff, A)",
                CPU1 + "  [try_grab_page(FOLL_GET) on",
                CPU1 + "  folio#0]"),
                TextReport.raceDiagram(t).subList(2, 12));
        assertEquals(5, t.length());
    }

    @Test
    void gupFastForkRaceShowsThePinBetweenForksCheckAndItsWriteProtect() throws Exception {
        Trace t = trace("specs/races/gup-fast-fork.mmc", "pin-coherent");
        assertEquals(List.of(
                "CPU 0 (P0)                            CPU 1 (P0.1)",
                "------------------------              ------------------------",
                "fork() = P1 [page_maybe_dma_pinned()",
                "  false: share it]",
                CPU1 + "pin_user_pages_fast(A,",
                CPU1 + "  FOLL_WRITE|FOLL_LONGTERM) as buf",
                CPU1 + "  [read the PTE: folio#0 RW dirty",
                CPU1 + "  soft-dirty]",
                CPU1 + "pin_user_pages_fast(A,",
                CPU1 + "  FOLL_WRITE|FOLL_LONGTERM) as buf",
                CPU1 + "  [try_grab_page(FOLL_PIN) on",
                CPU1 + "  folio#0]",
                "fork() = P1 [ptep_set_wrprotect:",
                "  parent and child map it R/O]",
                "*A = 0xff"),
                TextReport.raceDiagram(t));
    }

    @Test
    void gupFastCollapseRaceShowsThePinBetweenTheCountAndTheCopy() throws Exception {
        Trace t = trace("specs/races/gup-fast-collapse.mmc", "pin-coherent");
        assertEquals(List.of(
                CPU1 + "pin_user_pages_fast(A,",
                CPU1 + "  FOLL_WRITE|FOLL_LONGTERM) as buf",
                CPU1 + "  [read the PTE: folio#0 RW dirty",
                CPU1 + "  soft-dirty]",
                "madvise(A-B, MADV_COLLAPSE)",
                "  [pmdp_collapse_flush ->",
                "  __collapse_huge_page_isolate]",
                CPU1 + "pin_user_pages_fast(A,",
                CPU1 + "  FOLL_WRITE|FOLL_LONGTERM) as buf",
                CPU1 + "  [try_grab_page(FOLL_PIN) on",
                CPU1 + "  folio#0]",
                "madvise(A-B, MADV_COLLAPSE)",
                "  [__collapse_huge_page_copy: a new",
                "  THP, mapped by the PMD, exclusive]"),
                TextReport.raceDiagram(t).subList(2, 16));
        assertEquals(4, t.length());
    }

    @Test
    void gupFastUnmapRaceShowsTheCheckPassingTheClear() throws Exception {
        Trace t = trace("specs/races/gup-fast-unmap.mmc", "pinned-anon-is-exclusive");
        assertEquals(List.of(
                "CPU 0 (P0.1)                          CPU 1 (kswapd)",
                "------------------------              ------------------------",
                CPU1 + "kswapd reclaims the folio at P0 A",
                CPU1 + "  [page_maybe_dma_pinned() false",
                CPU1 + "  (read before the PTE clear is",
                CPU1 + "  visible: no smp_mb())]",
                "pin_user_pages_fast(A,",
                "  FOLL_WRITE|FOLL_LONGTERM) as buf",
                "  [read the PTE: folio#0 RW dirty",
                "  soft-dirty]",
                "pin_user_pages_fast(A,",
                "  FOLL_WRITE|FOLL_LONGTERM) as buf",
                "  [try_grab_page(FOLL_PIN) on",
                "  folio#0]",
                CPU1 + "kswapd reclaims the folio at P0 A",
                CPU1 + "  [swap PTE swap#0 (exclusive)]"),
                TextReport.raceDiagram(t));
    }

    @Test
    void thpMapcountRaceShowsTheReuseCheckStraddlingTheSplit() throws Exception {
        Trace t = trace("specs/races/thp-mapcount-split.mmc", "no-leak-across-fork");
        assertEquals(List.of(
                "*A = 0xff [subpage mapcounts (at",
                "  most 0)]",
                CPU1 + "mprotect(B, PROT_READ)",
                CPU1 + "  [atomic_inc(subpage _mapcount)]",
                CPU1 + "mprotect(B, PROT_READ)",
                CPU1 + "  [atomic_add_negative(-1,",
                CPU1 + "  compound_mapcount)]",
                "*A = 0xff [reuse the THP:",
                "  pmd_mkwrite]"),
                TextReport.raceDiagram(t).subList(2, 11));
    }
}
