package dev.mmcheck.checker;

import java.util.List;

/**
 * A transition system the checker can explore. The checker knows nothing about what states mean: it only asks for
 * initial states, enabled actions, successors and a canonical encoding.
 *
 * <p>All methods must be deterministic and free of side effects visible to the search: counterexamples are not
 * stored but rebuilt by replaying action indices through the model, and with {@code threads(n > 1)} the methods are
 * called concurrently from several threads.
 *
 * @param <S> state type; states should be immutable, the checker never copies them
 * @param <A> action type
 */
public interface Model<S, A> {

    /** The initial states, in a fixed order: a counterexample names its first state by index into this list. */
    List<S> initialStates();

    /** Appends the actions enabled in state, in a deterministic order. */
    void actions(S state, List<A> out);

    /**
     * Whether {@link #actions} would append anything in state: all the search asks of a state at the depth bound,
     * where the actions themselves are not needed. {@code scratch} is an empty list the method may fill. Override
     * where an answer comes cheaper than the whole list; it must equal {@code !actions(state).isEmpty()}.
     */
    default boolean anyAction(S state, List<A> scratch) {
        actions(state, scratch);
        return !scratch.isEmpty();
    }

    /** The next state for action, or null if the action turns out to have no effect/disabled. */
    S next(S state, A action);

    /**
     * Writes a canonical encoding: two states are the same state iff their encodings are equal. A model that
     * {@link #canDecode decodes} may also write to {@code out.detail()} (when it is not null) what its decode needs
     * beyond the encoding to rebuild exactly this state: the encoding says which state it is, the detail how this
     * representative of it is laid out.
     */
    void encode(S state, StateEncoder out);

    /**
     * True if {@link #decode} can rebuild a state from its encoding. The search then keeps the frontier as packed
     * encodings (a few bytes a state) instead of state objects, and decodes each state when it expands it.
     */
    default boolean canDecode() {
        return false;
    }

    /**
     * The state whose {@link #encode encoding} (and detail, if it wrote any) is {@code words[from, from + length)}.
     * It must behave exactly as the state that was encoded: the same enabled actions in the same order, the same
     * successors and the same property values, because counterexamples are rebuilt by replaying action indices from
     * the initial states.
     *
     * @throws UnsupportedOperationException if {@link #canDecode()} is false
     */
    default S decode(int[] words, int from, int length) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot decode states");
    }

    /** A state constraint: a state outside it is counted and its properties checked, but it is not expanded. */
    default boolean withinBoundary(S state) {
        return true;
    }
}
