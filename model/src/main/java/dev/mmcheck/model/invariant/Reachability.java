package dev.mmcheck.model.invariant;

import dev.mmcheck.model.state.MmState;
import java.util.function.Predicate;

/** A "sometimes" property: a witness that exploration reached an interesting kind of state, so a pass is not vacuous. */
public record Reachability(String name, String sentence, Predicate<MmState> reached) {
}
