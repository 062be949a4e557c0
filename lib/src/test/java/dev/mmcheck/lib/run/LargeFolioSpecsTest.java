package dev.mmcheck.lib.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The large-folio specs (issue: PG_anon_exclusive across every PTE kind and large folios): the THP history specs on
 * the releases around their fixes (d042035eaf5f v5.9, 3bff7e3f1f16 v5.18), the teeth pairs, and the explorations over
 * THP, hugetlb, migration and device entries, with exact state and transition counts, verdicts and trace lengths.
 * cow.c's own matrix is {@link CowSelftestSpecsTest}.
 */
class LargeFolioSpecsTest {

    static Stream<Arguments> largeFolioSpecs() {
        return Stream.of(
                Arguments.of("specs/thp/fork-longterm-pinned-thp.mmc", "v5.7", "3 states, 2 transitions: forbidden P0:buf != 0xff VIOLATED(2); pin-coherent VIOLATED(2); counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-pmd-mapped REACHED(0)"),
                Arguments.of("specs/thp/fork-longterm-pinned-thp.mmc", "v5.8", "3 states, 2 transitions: forbidden P0:buf != 0xff VIOLATED(2); pin-coherent VIOLATED(2); counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-pmd-mapped REACHED(0)"),
                Arguments.of("specs/thp/fork-longterm-pinned-thp.mmc", "v5.9", "3 states, 2 transitions: forbidden P0:buf != 0xff NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-pmd-mapped REACHED(0)"),
                Arguments.of("specs/thp/vmsplice-child-pmd-thp.mmc", "v5.7", "7 states, 7 transitions: forbidden P1:pipe != 0x01 VIOLATED(3); no-leak-across-fork VIOLATED(3); counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-pmd-mapped REACHED(0)"),
                Arguments.of("specs/thp/vmsplice-child-pmd-thp.mmc", "v5.8", "7 states, 7 transitions: forbidden P1:pipe != 0x01 NO_VIOLATION_WITHIN_BOUNDS; no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-pmd-mapped REACHED(0)"),
                Arguments.of("specs/thp/vmsplice-child-pmd-thp.mmc", "v5.9", "7 states, 7 transitions: forbidden P1:pipe != 0x01 VIOLATED(3); no-leak-across-fork VIOLATED(3); counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-pmd-mapped REACHED(0)"),
                Arguments.of("specs/thp/vmsplice-child-pmd-thp.mmc", "v5.17", "7 states, 7 transitions: forbidden P1:pipe != 0x01 VIOLATED(3); no-leak-across-fork VIOLATED(3); counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-pmd-mapped REACHED(0)"),
                Arguments.of("specs/thp/vmsplice-child-pmd-thp.mmc", "v5.18", "6 states, 7 transitions: forbidden P1:pipe != 0x01 NO_VIOLATION_WITHIN_BOUNDS; no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-pmd-mapped REACHED(0)"),
                Arguments.of("specs/teeth/mprotect-batch-maybe-shared.mmc", "v7.1", "3 states, 2 transitions: writable-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-pte-mapped-thp REACHED(0)"),
                Arguments.of("specs/teeth/mprotect-batch-maybe-shared-reverted.mmc", "v7.1", "3 states, 2 transitions: writable-anon-is-exclusive VIOLATED(2); counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-pte-mapped-thp REACHED(0)"),
                Arguments.of("specs/teeth/pmd-split-exclusive.mmc", "v7.1", "2 states, 1 transitions: writable-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; pinned-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-pte-mapped-thp REACHED(1)"),
                Arguments.of("specs/teeth/pmd-split-exclusive-reverted.mmc", "v7.1", "2 states, 1 transitions: writable-anon-is-exclusive VIOLATED(1); pinned-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-pte-mapped-thp REACHED(1)"),
                Arguments.of("specs/teeth/collapse-pinned.mmc", "v7.1", "3 states, 2 transitions: forbidden P0:buf != 0xff NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-pte-mapped-thp REACHED(0)"),
                Arguments.of("specs/teeth/collapse-pinned-reverted.mmc", "v7.1", "3 states, 2 transitions: forbidden P0:buf != 0xff VIOLATED(2); pin-coherent VIOLATED(1); counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-pte-mapped-thp REACHED(0)"),
                Arguments.of("specs/teeth/migration-entry-fork.mmc", "v7.1", "3 states, 2 transitions: migration-entry-exclusive NO_VIOLATION_WITHIN_BOUNDS; writable-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-migrating REACHED(0)"),
                Arguments.of("specs/teeth/migration-entry-fork-reverted.mmc", "v7.1", "3 states, 2 transitions: migration-entry-exclusive VIOLATED(1); writable-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-migrating REACHED(0)"),
                Arguments.of("specs/explore/thp-2procs.mmc", "v7.1", "61329 states, 137559 transitions: pinned-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; writable-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; ksm-never-exclusive NO_VIOLATION_WITHIN_BOUNDS; zeropage-never-writable NO_VIOLATION_WITHIN_BOUNDS; vm-normal-page-not-zeropage NO_VIOLATION_WITHIN_BOUNDS; zeropage-pte-special NO_VIOLATION_WITHIN_BOUNDS; no-folio-for-raw-pfn NO_VIOLATION_WITHIN_BOUNDS; walkers-agree NO_VIOLATION_WITHIN_BOUNDS; gup-fast-never-special NO_VIOLATION_WITHIN_BOUNDS; migration-entry-exclusive NO_VIOLATION_WITHIN_BOUNDS; uffd-wp-store-trapped NO_VIOLATION_WITHIN_BOUNDS; uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; uffd-marker-needs-wp-vma NO_VIOLATION_WITHIN_BOUNDS; force-write-never-to-file-or-zeropage NO_VIOLATION_WITHIN_BOUNDS; device-coherent NO_VIOLATION_WITHIN_BOUNDS; reached-pmd-mapped REACHED(1); reached-pte-mapped-thp REACHED(1); reached-thp-partially-shared REACHED(3); reached-migrating REACHED(2); reached-device-exclusive REACHED(1); reached-huge-zeropage REACHED(1)"),
                Arguments.of("specs/explore/hugetlb-device-2procs.mmc", "v7.1", "16067 states, 42745 transitions: pinned-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; writable-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; ksm-never-exclusive NO_VIOLATION_WITHIN_BOUNDS; zeropage-never-writable NO_VIOLATION_WITHIN_BOUNDS; vm-normal-page-not-zeropage NO_VIOLATION_WITHIN_BOUNDS; zeropage-pte-special NO_VIOLATION_WITHIN_BOUNDS; no-folio-for-raw-pfn NO_VIOLATION_WITHIN_BOUNDS; walkers-agree NO_VIOLATION_WITHIN_BOUNDS; gup-fast-never-special NO_VIOLATION_WITHIN_BOUNDS; migration-entry-exclusive NO_VIOLATION_WITHIN_BOUNDS; uffd-wp-store-trapped NO_VIOLATION_WITHIN_BOUNDS; uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; uffd-marker-needs-wp-vma NO_VIOLATION_WITHIN_BOUNDS; force-write-never-to-file-or-zeropage NO_VIOLATION_WITHIN_BOUNDS; device-coherent NO_VIOLATION_WITHIN_BOUNDS; reached-hugetlb REACHED(1); reached-device-private REACHED(2); reached-device-exclusive REACHED(1); reached-hwpoison REACHED(2)"));
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("largeFolioSpecs")
    void specGivesTheKernelsVerdictWithExactCounts(String spec, String profile, String expected) throws Exception {
        assertEquals(expected, Signatures.of(Signatures.run(spec, profile, 1)));
    }
}
