package dev.mmcheck.checker;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * A named condition on single states. An {@link Expectation#ALWAYS ALWAYS} property is an invariant: one state
 * where the condition is false violates it. A {@link Expectation#SOMETIMES SOMETIMES} property asks whether some
 * reachable state satisfies the condition. The condition may be called concurrently from several threads.
 */
public record Property<S>(Expectation expectation, String name, Predicate<S> condition) {

    public enum Expectation { ALWAYS, SOMETIMES }

    public Property {
        Objects.requireNonNull(expectation, "expectation");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(condition, "condition");
    }

    public static <S> Property<S> always(String name, Predicate<S> condition) {
        return new Property<>(Expectation.ALWAYS, name, condition);
    }

    public static <S> Property<S> sometimes(String name, Predicate<S> condition) {
        return new Property<>(Expectation.SOMETIMES, name, condition);
    }

    /** True if this one state settles the property: it violates an ALWAYS, or witnesses a SOMETIMES. */
    public boolean isDecidedBy(S state) {
        return condition.test(state) == (expectation == Expectation.SOMETIMES);
    }
}
