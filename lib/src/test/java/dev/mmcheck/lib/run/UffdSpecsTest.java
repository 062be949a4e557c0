package dev.mmcheck.lib.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The userfaultfd specs (issue: uffd-wp, the special PTE and PTE markers): seed 002's claim with its reverted twin,
 * every teeth pair on the releases around its fix (8f34f1eac382 v5.14, 14a762dd1977 v5.19, f369b07c8614 v6.0, 51d3d5eb74ff and
 * 49d6d7fb6313 v6.2, 24bf08c4376b v6.3; e1e267c7928f reverted with set), the behaviour specs (swap, WP_ASYNC, WP_UNPOPULATED, missing and minor
 * faults), the KSM model finding in every era it covers, and the two explorations, with exact state and
 * transition counts, verdicts and trace lengths.
 */
class UffdSpecsTest {

    static Stream<Arguments> uffdSpecs() {
        return Stream.of(
                Arguments.of("specs/uffd/collapse-keeps-wp-reverted.mmc", "v7.1", "3 states, 2 transitions: uffd-wp-store-trapped VIOLATED(2); uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-pte-mapped-thp REACHED(0)"),
                Arguments.of("specs/uffd/collapse-keeps-wp.mmc", "v7.1", "3 states, 2 transitions: uffd-wp-store-trapped NO_VIOLATION_WITHIN_BOUNDS; uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-uffd-trapped REACHED(2); reached-pte-mapped-thp REACHED(0)"),
                Arguments.of("specs/uffd/fork-marker-needs-wp-vma-reverted.mmc", "v6.1", "2 states, 1 transitions: uffd-marker-needs-wp-vma VIOLATED(1); uffd-wp-store-trapped NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-uffd-marker REACHED(0)"),
                Arguments.of("specs/uffd/fork-marker-needs-wp-vma.mmc", "v6.2", "2 states, 1 transitions: uffd-marker-needs-wp-vma NO_VIOLATION_WITHIN_BOUNDS; uffd-wp-store-trapped NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-uffd-marker REACHED(0)"),
                Arguments.of("specs/uffd/fork-no-event-drops-wp-reverted.mmc", "v5.13", "5 states, 4 transitions: uffd-wp-never-writable VIOLATED(2); uffd-wp-store-trapped NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/uffd/fork-no-event-drops-wp.mmc", "v5.14", "4 states, 4 transitions: uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; uffd-wp-store-trapped NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/uffd/fork-pinned-copy-keeps-wp-reverted.mmc", "v5.13", "3 states, 2 transitions: uffd-wp-store-trapped VIOLATED(2); uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/uffd/fork-pinned-copy-keeps-wp.mmc", "v5.14", "3 states, 2 transitions: uffd-wp-store-trapped NO_VIOLATION_WITHIN_BOUNDS; uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-uffd-trapped REACHED(2)"),
                Arguments.of("specs/uffd/fork-pinned-copy-keeps-wp.mmc", "v5.9", "3 states, 2 transitions: uffd-wp-store-trapped VIOLATED(2); uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-uffd-trapped NOT_REACHED_WITHIN_BOUNDS"),
                Arguments.of("specs/uffd/fork-pinned-copy-keeps-wp.mmc", "v7.1", "3 states, 2 transitions: uffd-wp-store-trapped NO_VIOLATION_WITHIN_BOUNDS; uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-uffd-trapped REACHED(2)"),
                Arguments.of("specs/uffd/huge-zero-split-keeps-wp-reverted.mmc", "v6.1", "3 states, 2 transitions: uffd-wp-store-trapped VIOLATED(2); uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/uffd/huge-zero-split-keeps-wp.mmc", "v6.2", "3 states, 2 transitions: uffd-wp-store-trapped NO_VIOLATION_WITHIN_BOUNDS; uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-uffd-trapped REACHED(2)"),
                Arguments.of("specs/uffd/ksm-merge-drops-wp.mmc", "v7.1", "3 states, 2 transitions: uffd-wp-store-trapped VIOLATED(2); uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/uffd/ksm-merge-drops-wp.mmc", "v5.7", "3 states, 2 transitions: uffd-wp-store-trapped VIOLATED(2); uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/uffd/ksm-merge-drops-wp.mmc", "v6.6", "3 states, 2 transitions: uffd-wp-store-trapped VIOLATED(2); uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/uffd/minor-continue-shmem.mmc", "v7.1", "13 states, 35 transitions: counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-uffd-trapped REACHED(1)"),
                Arguments.of("specs/uffd/missing-zeropage.mmc", "v7.1", "4 states, 5 transitions: zeropage-never-writable NO_VIOLATION_WITHIN_BOUNDS; zeropage-pte-special NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-uffd-trapped REACHED(1)"),
                Arguments.of("specs/uffd/seed-shmem-wp-special-pte.mmc", "v7.1", "21 states, 72 transitions: uffd-wp-store-trapped NO_VIOLATION_WITHIN_BOUNDS; uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; uffd-marker-needs-wp-vma NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-uffd-marker REACHED(1); reached-uffd-trapped REACHED(1)"),
                Arguments.of("specs/uffd/seed-shmem-wp-survives-zap-reverted.mmc", "v7.1", "33 states, 117 transitions: uffd-wp-store-trapped VIOLATED(2); uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; uffd-marker-needs-wp-vma NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-uffd-trapped REACHED(1)"),
                Arguments.of("specs/uffd/seed-shmem-wp-survives-zap.mmc", "v7.1", "21 states, 72 transitions: uffd-wp-store-trapped NO_VIOLATION_WITHIN_BOUNDS; uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; uffd-marker-needs-wp-vma NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-uffd-marker REACHED(1); reached-uffd-trapped REACHED(1)"),
                Arguments.of("specs/uffd/shmem-mprotect-keeps-wp-reverted.mmc", "v6.1", "4 states, 3 transitions: uffd-wp-never-writable VIOLATED(2); uffd-wp-store-trapped VIOLATED(3); counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/uffd/shmem-mprotect-keeps-wp.mmc", "v6.2", "4 states, 3 transitions: uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; uffd-wp-store-trapped NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-uffd-trapped REACHED(3)"),
                Arguments.of("specs/uffd/shmem-mprotect-keeps-wp.mmc", "v5.19", "4 states, 3 transitions: uffd-wp-never-writable VIOLATED(2); uffd-wp-store-trapped VIOLATED(3); counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-uffd-trapped NOT_REACHED_WITHIN_BOUNDS"),
                Arguments.of("specs/uffd/shmem-mprotect-keeps-wp.mmc", "v7.1", "4 states, 3 transitions: uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; uffd-wp-store-trapped NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-uffd-trapped REACHED(3)"),
                Arguments.of("specs/uffd/swap-keeps-wp.mmc", "v7.1", "4 states, 3 transitions: uffd-wp-store-trapped NO_VIOLATION_WITHIN_BOUNDS; uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-uffd-wp-swap REACHED(1); reached-uffd-trapped REACHED(3)"),
                Arguments.of("specs/uffd/swapoff-keeps-wp-reverted.mmc", "v5.18", "3 states, 2 transitions: uffd-wp-store-trapped VIOLATED(2); uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/uffd/swapoff-keeps-wp.mmc", "v5.19", "3 states, 2 transitions: uffd-wp-store-trapped NO_VIOLATION_WITHIN_BOUNDS; uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-uffd-trapped REACHED(2)"),
                Arguments.of("specs/uffd/swapoff-keeps-wp.mmc", "v5.7", "3 states, 2 transitions: uffd-wp-store-trapped VIOLATED(2); uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-uffd-trapped NOT_REACHED_WITHIN_BOUNDS"),
                Arguments.of("specs/uffd/swapoff-keeps-wp.mmc", "v7.1", "3 states, 2 transitions: uffd-wp-store-trapped NO_VIOLATION_WITHIN_BOUNDS; uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-uffd-trapped REACHED(2)"),
                Arguments.of("specs/uffd/thp-migration-keeps-wp-reverted.mmc", "v6.2", "4 states, 3 transitions: uffd-wp-store-trapped VIOLATED(3); uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/uffd/thp-migration-keeps-wp.mmc", "v6.3", "4 states, 3 transitions: uffd-wp-store-trapped NO_VIOLATION_WITHIN_BOUNDS; uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-uffd-trapped REACHED(3)"),
                Arguments.of("specs/uffd/thp-migration-keeps-wp.mmc", "v7.1", "4 states, 3 transitions: uffd-wp-store-trapped NO_VIOLATION_WITHIN_BOUNDS; uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-uffd-trapped REACHED(3)"),
                Arguments.of("specs/uffd/unregister-resets-wp-reverted.mmc", "v5.19", "3 states, 2 transitions: uffd-wp-never-writable VIOLATED(2); uffd-wp-store-trapped NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/uffd/unregister-resets-wp.mmc", "v6.0", "3 states, 2 transitions: uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; uffd-wp-store-trapped NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/uffd/unregister-resets-wp.mmc", "v5.7", "3 states, 2 transitions: uffd-wp-never-writable VIOLATED(2); uffd-wp-store-trapped NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/uffd/unregister-resets-wp.mmc", "v7.1", "3 states, 2 transitions: uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; uffd-wp-store-trapped NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/uffd/wp-async-clears-in-place.mmc", "v7.1", "3 states, 2 transitions: forbidden P0:A != 0x02 NO_VIOLATION_WITHIN_BOUNDS; uffd-wp-store-trapped NO_VIOLATION_WITHIN_BOUNDS; uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-uffd-wp REACHED(0)"),
                Arguments.of("specs/uffd/wp-unpopulated-marker.mmc", "v7.1", "2 states, 1 transitions: uffd-wp-store-trapped NO_VIOLATION_WITHIN_BOUNDS; uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; uffd-marker-needs-wp-vma NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-uffd-marker REACHED(0); reached-uffd-trapped REACHED(1)"),
                Arguments.of("specs/explore/uffd-2procs.mmc", "v7.1", "29775 states, 98405 transitions: uffd-wp-store-trapped NO_VIOLATION_WITHIN_BOUNDS; uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; uffd-marker-needs-wp-vma NO_VIOLATION_WITHIN_BOUNDS; pinned-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; writable-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-uffd-wp REACHED(2); reached-uffd-marker REACHED(1); reached-uffd-wp-swap REACHED(3); reached-uffd-trapped REACHED(2)"),
                Arguments.of("specs/explore/uffd-thp.mmc", "v7.1", "7736 states, 21883 transitions: uffd-wp-store-trapped NO_VIOLATION_WITHIN_BOUNDS; uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; uffd-marker-needs-wp-vma NO_VIOLATION_WITHIN_BOUNDS; writable-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-uffd-wp REACHED(2); reached-uffd-wp-swap REACHED(3); reached-uffd-trapped REACHED(3); reached-pmd-mapped REACHED(1); reached-pte-mapped-thp REACHED(2)"));
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("uffdSpecs")
    void specGivesTheKernelsVerdictWithExactCounts(String spec, String profile, String expected) throws Exception {
        assertEquals(expected, Signatures.of(Signatures.run(spec, profile, 1)));
    }
}
