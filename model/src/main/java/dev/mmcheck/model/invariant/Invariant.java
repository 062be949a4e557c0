package dev.mmcheck.model.invariant;

import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.state.MmState;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * An "always" property of the MM state.
 *
 * @param name      kebab-case, used in specs and reports
 * @param sentence  what it says, in one sentence
 * @param citation  the kernel assertion, test or commit it comes from
 * @param appliesTo the profiles for which it is meaningful (PG_anon_exclusive invariants need v5.19+), and in words
 * @param violation the pure predicate: empty if it holds, else the values that break it and where they are. It reads
 *                  the profile where what a state means depends on the release (how much a pin counts, what
 *                  vm_normal_page() returns)
 */
public record Invariant(String name, String sentence, String citation, Applies appliesTo,
                        BiFunction<Profile, MmState, Optional<Violation>> violation) {

    /**
     * Where an invariant means something: {@code when} completes "applies only where ..." in a report of a profile it
     * does not apply to.
     */
    public record Applies(String when, Predicate<Profile> predicate) {
        public boolean test(Profile p) {
            return predicate.test(p);
        }
    }

    public boolean holds(Profile profile, MmState s) {
        return check(profile, s).isEmpty();
    }

    public Optional<Violation> check(Profile profile, MmState s) {
        return violation.apply(profile, s);
    }
}
