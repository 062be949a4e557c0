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

    /**
     * Partial-order reduction by sleep sets: how many {@link #sleepId sleep ids} the model gives its actions, or 0 (the
     * default) for none, which turns the reduction off. With it on, the breadth-first search still stores every
     * state it would store without it, at the same depth, but does not execute an action whose every interleaving with
     * the transitions into a state was already explored: fewer transitions for the same states (see {@code Search}).
     */
    default int sleepIds() {
        return 0;
    }

    /**
     * The sleep id of action in state, in {@code [0, sleepIds())}, or -1 for an action that is never put to sleep.
     * Two actions with one id in two states must be the same transition: the one action a state reached through an
     * independent action still offers.
     */
    default int sleepId(S state, A action) {
        return -1;
    }

    /**
     * What action may read or write in state, as a set of up to 63 resources (bits 0-62; bit 63 is never a resource):
     * two actions enabled in state whose footprints share no bit are independent there, that is neither disables the
     * other and both orders lead to the same state (equal encodings). {@link #ANY} (the default) for an action that
     * may depend on any other.
     */
    default long footprint(S state, A action) {
        return ANY;
    }

    /**
     * {@link #sleepId} and {@link #footprint} of each action in {@code actions} (all of state's, in order), into
     * {@code ids[i]} and {@code footprints[i]}: what the search asks of every state it expands with sleep sets on.
     * Override where one pass over the state serves all actions; it must give what the two methods give.
     */
    default void sleepInfo(S state, List<A> actions, int[] ids, long[] footprints) {
        for (int i = 0; i < actions.size(); i++) {
            ids[i] = sleepId(state, actions.get(i));
            footprints[i] = ids[i] < 0 ? ANY : footprint(state, actions.get(i));
        }
    }

    /** The footprint of an action that may depend on every other. */
    long ANY = -1L;

    /** A state constraint: a state outside it is counted and its properties checked, but it is not expanded. */
    default boolean withinBoundary(S state) {
        return true;
    }
}
