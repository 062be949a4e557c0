package dev.mmcheck.checker;

import java.util.List;

/**
 * A trace: starting from initial state number {@code initialIndex}, taking the actions in order visits the states.
 * {@code actionIndices} are the positions of the actions in the model's ordered action lists; together with
 * {@code initialIndex} they are all that is needed to rebuild the trace with {@link Checker#replay}.
 */
public record Path<S, A>(int initialIndex, List<Integer> actionIndices, List<S> states, List<A> actions) {

    public Path {
        actionIndices = List.copyOf(actionIndices);
        states = List.copyOf(states);
        actions = List.copyOf(actions);
        if (initialIndex < 0) {
            throw new IllegalArgumentException("initialIndex must be >= 0: " + initialIndex);
        }
        if (states.size() != actions.size() + 1 || actionIndices.size() != actions.size()) {
            throw new IllegalArgumentException("a path has one more state than actions, and one index per action");
        }
    }

    /** Number of actions (steps). */
    public int length() {
        return actions.size();
    }

    public S lastState() {
        return states.get(states.size() - 1);
    }
}
