package dev.mmcheck.lib.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seed 004's driver as an actor (i915 userptr with its mmu interval notifier), with exact counts, verdicts and trace
 * lengths on the releases of its three designs (v5.12 drops the pages, v5.13-v6.8 waits for the GPU and keeps the
 * pins, v6.9+ only bumps the sequence): the invalidation during a submission (and the twin without the submit_done
 * re-check, which must fail everywhere); UNSYNCHRONIZED on v5.12 (fails) against its synchronized twin; PROBE over
 * VM_MIXEDMAP (refused from v5.15, -EINVAL before; without the flag the pages pin and the GPU job runs). On v5.13 the
 * driver's short-term FOLL_WRITE pin also loses pin-coherent to mprotect(RO) and a write (the refcount-based COW of
 * v5.9-v5.18): the notifier was told, so device-coherent holds.
 */
class DriversSpecsTest {

    static Stream<Arguments> driverSpecs() {
        return Stream.of(
                Arguments.of("specs/drivers/i915-userptr-invalidate-during-submit.mmc", "v5.12", "39 states, 110 transitions: device-coherent NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-pinned REACHED(1)"),
                Arguments.of("specs/drivers/i915-userptr-invalidate-during-submit.mmc", "v5.13", "77 states, 168 transitions: device-coherent NO_VIOLATION_WITHIN_BOUNDS; pin-coherent VIOLATED(4); counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-pinned REACHED(1)"),
                Arguments.of("specs/drivers/i915-userptr-invalidate-during-submit.mmc", "v6.8", "68 states, 151 transitions: device-coherent NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-pinned REACHED(1)"),
                Arguments.of("specs/drivers/i915-userptr-invalidate-during-submit.mmc", "v7.1", "94 states, 198 transitions: device-coherent NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-pinned REACHED(1)"),
                Arguments.of("specs/drivers/i915-userptr-invalidate-during-submit-no-recheck.mmc", "v5.12", "51 states, 120 transitions: device-coherent VIOLATED(3); pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-pinned REACHED(1)"),
                Arguments.of("specs/drivers/i915-userptr-invalidate-during-submit-no-recheck.mmc", "v5.13", "88 states, 169 transitions: device-coherent VIOLATED(3); pin-coherent VIOLATED(4); counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-pinned REACHED(1)"),
                Arguments.of("specs/drivers/i915-userptr-invalidate-during-submit-no-recheck.mmc", "v6.8", "79 states, 152 transitions: device-coherent VIOLATED(3); pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-pinned REACHED(1)"),
                Arguments.of("specs/drivers/i915-userptr-invalidate-during-submit-no-recheck.mmc", "v7.1", "105 states, 207 transitions: device-coherent VIOLATED(3); pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-pinned REACHED(1)"),
                Arguments.of("specs/drivers/i915-userptr-unsynchronized.mmc", "v5.12", "22 states, 32 transitions: device-coherent VIOLATED(3); counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-userptr-gpu REACHED(2)"),
                Arguments.of("specs/drivers/i915-userptr-synchronized.mmc", "v5.12", "16 states, 26 transitions: device-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-userptr-gpu REACHED(2)"),
                Arguments.of("specs/drivers/i915-userptr-synchronized.mmc", "v7.1", "25 states, 35 transitions: device-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-userptr-gpu REACHED(2)"),
                Arguments.of("specs/drivers/i915-userptr-probe.mmc", "v5.12", "3 states, 2 transitions: device-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-userptr-gpu NOT_REACHED_WITHIN_BOUNDS"),
                Arguments.of("specs/drivers/i915-userptr-probe.mmc", "v5.15", "3 states, 2 transitions: device-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-userptr-gpu NOT_REACHED_WITHIN_BOUNDS"),
                Arguments.of("specs/drivers/i915-userptr-probe.mmc", "v7.1", "3 states, 2 transitions: device-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-userptr-gpu NOT_REACHED_WITHIN_BOUNDS"),
                Arguments.of("specs/drivers/i915-userptr-no-probe.mmc", "v5.12", "4 states, 3 transitions: device-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-userptr-gpu REACHED(3)"),
                Arguments.of("specs/drivers/i915-userptr-no-probe.mmc", "v5.15", "4 states, 3 transitions: device-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-userptr-gpu REACHED(3)"),
                Arguments.of("specs/drivers/i915-userptr-no-probe.mmc", "v7.1", "4 states, 3 transitions: device-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; reached-userptr-gpu REACHED(3)"),
                Arguments.of("specs/drivers/hmm-mirror-invalidate.mmc", "v5.5", "12 states, 13 transitions: device-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/drivers/hmm-mirror-invalidate.mmc", "v7.1", "12 states, 13 transitions: device-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/drivers/hmm-mirror-no-retry.mmc", "v5.5", "13 states, 13 transitions: device-coherent VIOLATED(3); counts-match-references NO_VIOLATION_WITHIN_BOUNDS"),
                Arguments.of("specs/drivers/hmm-mirror-no-retry.mmc", "v7.1", "13 states, 13 transitions: device-coherent VIOLATED(3); counts-match-references NO_VIOLATION_WITHIN_BOUNDS"));
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("driverSpecs")
    void specGivesTheKernelsVerdictWithExactCounts(String spec, String profile, String expected) throws Exception {
        assertEquals(expected, Signatures.of(Signatures.run(spec, profile, 1)));
    }
}
