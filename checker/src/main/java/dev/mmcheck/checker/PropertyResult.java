package dev.mmcheck.checker;

import java.util.Objects;
import java.util.Optional;

/**
 * The verdict on one property. {@code path} is present exactly for {@link Status#VIOLATED} (the shortest
 * counterexample) and {@link Status#REACHED} (the shortest witness).
 */
public record PropertyResult<S, A>(Property<S> property, Status status, Optional<Path<S, A>> path) {

    public enum Status {
        /** ALWAYS property: no explored state violates it (the whole space if the search was exhaustive). */
        HOLDS_WITHIN_BOUNDS,
        /** ALWAYS property: a reachable state violates it. */
        VIOLATED,
        /** SOMETIMES property: a reachable state satisfies it. */
        REACHED,
        /** SOMETIMES property: no explored state satisfies it. */
        NOT_REACHED_WITHIN_BOUNDS
    }

    public PropertyResult {
        Objects.requireNonNull(property, "property");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(path, "path");
        boolean decided = status == Status.VIOLATED || status == Status.REACHED;
        if (decided != path.isPresent()) {
            throw new IllegalArgumentException(status + " must " + (decided ? "" : "not ") + "come with a path");
        }
    }
}
