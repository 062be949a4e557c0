package dev.mmcheck.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every historical spec under every era: exact state and transition counts, every verdict and the
 * length of every shortest trace. A change in the model's semantics shows up here as a changed line;
 * the verdict columns are the kernel's history (see each spec's header for the commits).
 */
class HistoricalSpecsTest {

    static Stream<Arguments> historicalSpecs() {
        return Stream.of(
                Arguments.of("specs/cow/cve-2020-29374-vmsplice-child.mmc", "v5.7", "7 states, 7 transitions: forbidden P1:pipe == 0xff VIOLATED(3); no-leak-across-fork VIOLATED(3); pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/cow/cve-2020-29374-vmsplice-child.mmc", "v5.8", "6 states, 7 transitions: forbidden P1:pipe == 0xff NO_VIOLATION_WITHIN_BOUNDS; no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/cow/cve-2020-29374-vmsplice-child.mmc", "v5.9", "6 states, 7 transitions: forbidden P1:pipe == 0xff NO_VIOLATION_WITHIN_BOUNDS; no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/cow/cve-2020-29374-vmsplice-child.mmc", "v5.18", "6 states, 7 transitions: forbidden P1:pipe == 0xff NO_VIOLATION_WITHIN_BOUNDS; no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/cow/cve-2020-29374-vmsplice-child.mmc", "v5.19", "6 states, 7 transitions: forbidden P1:pipe == 0xff NO_VIOLATION_WITHIN_BOUNDS; no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/cow/cve-2020-29374-vmsplice-child.mmc", "v7.0", "6 states, 7 transitions: forbidden P1:pipe == 0xff NO_VIOLATION_WITHIN_BOUNDS; no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/gup/fork-longterm-rw-pin.mmc", "v5.7", "2 states, 1 transitions: forbidden P0:buf != 0xff VIOLATED(1); pin-coherent VIOLATED(1); no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; pinned-anon-is-exclusive NOT_APPLICABLE; writable-anon-is-exclusive NOT_APPLICABLE"),
                Arguments.of("specs/gup/fork-longterm-rw-pin.mmc", "v5.8", "2 states, 1 transitions: forbidden P0:buf != 0xff VIOLATED(1); pin-coherent VIOLATED(1); no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; pinned-anon-is-exclusive NOT_APPLICABLE; writable-anon-is-exclusive NOT_APPLICABLE"),
                Arguments.of("specs/gup/fork-longterm-rw-pin.mmc", "v5.9", "2 states, 1 transitions: forbidden P0:buf != 0xff NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; pinned-anon-is-exclusive NOT_APPLICABLE; writable-anon-is-exclusive NOT_APPLICABLE"),
                Arguments.of("specs/gup/fork-longterm-rw-pin.mmc", "v5.18", "2 states, 1 transitions: forbidden P0:buf != 0xff NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; pinned-anon-is-exclusive NOT_APPLICABLE; writable-anon-is-exclusive NOT_APPLICABLE"),
                Arguments.of("specs/gup/fork-longterm-rw-pin.mmc", "v5.19", "2 states, 1 transitions: forbidden P0:buf != 0xff NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; pinned-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; writable-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/gup/fork-longterm-rw-pin.mmc", "v7.0", "2 states, 1 transitions: forbidden P0:buf != 0xff NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; pinned-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; writable-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/gup/ro-pin-mprotect-softdirty.mmc", "v5.7", "6 states, 5 transitions: forbidden P0:ropin != 0xff NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; pinned-anon-is-exclusive NOT_APPLICABLE; writable-anon-is-exclusive NOT_APPLICABLE"),
                Arguments.of("specs/gup/ro-pin-mprotect-softdirty.mmc", "v5.8", "6 states, 5 transitions: forbidden P0:ropin != 0xff NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; pinned-anon-is-exclusive NOT_APPLICABLE; writable-anon-is-exclusive NOT_APPLICABLE"),
                Arguments.of("specs/gup/ro-pin-mprotect-softdirty.mmc", "v5.9", "6 states, 5 transitions: forbidden P0:ropin != 0xff VIOLATED(5); pin-coherent VIOLATED(5); counts-match-references NO_VIOLATION_WITHIN_BOUNDS; pinned-anon-is-exclusive NOT_APPLICABLE; writable-anon-is-exclusive NOT_APPLICABLE"),
                Arguments.of("specs/gup/ro-pin-mprotect-softdirty.mmc", "v5.18", "6 states, 5 transitions: forbidden P0:ropin != 0xff VIOLATED(5); pin-coherent VIOLATED(5); counts-match-references NO_VIOLATION_WITHIN_BOUNDS; pinned-anon-is-exclusive NOT_APPLICABLE; writable-anon-is-exclusive NOT_APPLICABLE"),
                Arguments.of("specs/gup/ro-pin-mprotect-softdirty.mmc", "v5.19", "6 states, 5 transitions: forbidden P0:ropin != 0xff NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; pinned-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; writable-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/gup/ro-pin-mprotect-softdirty.mmc", "v7.0", "6 states, 5 transitions: forbidden P0:ropin != 0xff NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; pinned-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; writable-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/gup/ro-pin-swap-out-in.mmc", "v5.7", "5 states, 4 transitions: forbidden P0:ropin != 0xff NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; pinned-anon-is-exclusive NOT_APPLICABLE; writable-anon-is-exclusive NOT_APPLICABLE"),
                Arguments.of("specs/gup/ro-pin-swap-out-in.mmc", "v5.8", "5 states, 4 transitions: forbidden P0:ropin != 0xff NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; pinned-anon-is-exclusive NOT_APPLICABLE; writable-anon-is-exclusive NOT_APPLICABLE"),
                Arguments.of("specs/gup/ro-pin-swap-out-in.mmc", "v5.9", "5 states, 4 transitions: forbidden P0:ropin != 0xff VIOLATED(4); pin-coherent VIOLATED(4); counts-match-references NO_VIOLATION_WITHIN_BOUNDS; pinned-anon-is-exclusive NOT_APPLICABLE; writable-anon-is-exclusive NOT_APPLICABLE"),
                Arguments.of("specs/gup/ro-pin-swap-out-in.mmc", "v5.18", "5 states, 4 transitions: forbidden P0:ropin != 0xff VIOLATED(4); pin-coherent VIOLATED(4); counts-match-references NO_VIOLATION_WITHIN_BOUNDS; pinned-anon-is-exclusive NOT_APPLICABLE; writable-anon-is-exclusive NOT_APPLICABLE"),
                Arguments.of("specs/gup/ro-pin-swap-out-in.mmc", "v5.19", "5 states, 4 transitions: forbidden P0:ropin != 0xff NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; pinned-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; writable-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/gup/ro-pin-swap-out-in.mmc", "v7.0", "5 states, 4 transitions: forbidden P0:ropin != 0xff NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; pinned-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; writable-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/gup/ro-pin-zeropage.mmc", "v5.7", "3 states, 2 transitions: forbidden P0:ropin != 0xff VIOLATED(2); pin-coherent VIOLATED(2); zeropage-never-writable NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/gup/ro-pin-zeropage.mmc", "v5.8", "3 states, 2 transitions: forbidden P0:ropin != 0xff NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; zeropage-never-writable NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/gup/ro-pin-zeropage.mmc", "v5.9", "3 states, 2 transitions: forbidden P0:ropin != 0xff VIOLATED(2); pin-coherent VIOLATED(2); zeropage-never-writable NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/gup/ro-pin-zeropage.mmc", "v5.18", "3 states, 2 transitions: forbidden P0:ropin != 0xff VIOLATED(2); pin-coherent VIOLATED(2); zeropage-never-writable NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/gup/ro-pin-zeropage.mmc", "v5.19", "3 states, 2 transitions: forbidden P0:ropin != 0xff VIOLATED(2); pin-coherent VIOLATED(2); zeropage-never-writable NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/gup/ro-pin-zeropage.mmc", "v7.0", "3 states, 2 transitions: forbidden P0:ropin != 0xff NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; zeropage-never-writable NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/gup/foll-get-write-fork.mmc", "v5.7", "2 states, 1 transitions: exists P1:A == 0xee REACHED(1)"),
                Arguments.of("specs/gup/foll-get-write-fork.mmc", "v5.8", "2 states, 1 transitions: exists P1:A == 0xee REACHED(1)"),
                Arguments.of("specs/gup/foll-get-write-fork.mmc", "v5.9", "2 states, 1 transitions: exists P1:A == 0xee REACHED(1)"),
                Arguments.of("specs/gup/foll-get-write-fork.mmc", "v5.18", "2 states, 1 transitions: exists P1:A == 0xee REACHED(1)"),
                Arguments.of("specs/gup/foll-get-write-fork.mmc", "v5.19", "2 states, 1 transitions: exists P1:A == 0xee REACHED(1)"),
                Arguments.of("specs/gup/foll-get-write-fork.mmc", "v7.0", "2 states, 1 transitions: exists P1:A == 0xee REACHED(1)"));
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("historicalSpecs")
    void specGivesTheKernelsVerdictWithExactCounts(String spec, String profile, String expected) throws Exception {
        assertEquals(expected, Signatures.of(Signatures.run(spec, profile, 1)));
    }
}
