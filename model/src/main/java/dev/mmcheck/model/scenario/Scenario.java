package dev.mmcheck.model.scenario;

import dev.mmcheck.model.rules.Step;
import dev.mmcheck.model.state.MmState;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * A transition system over MM states, as the search engine sees it: initial states, enabled actions in
 * a deterministic order, and the next state. It knows nothing of how it is searched.
 *
 * @param <S> the state (an {@link MmState}, or one with program counters)
 * @param <A> the action
 */
public interface Scenario<S, A> {
    List<S> initialStates();

    /** Appends the actions enabled in {@code state}, in a deterministic order. */
    void enabled(S state, List<A> out);

    /** The successor, or null if the action does not change anything. */
    S next(S state, A action);

    /** Whether {@link #enabled} would append anything; {@code scratch} is an empty list it may fill. */
    default boolean anyEnabled(S state, List<A> scratch) {
        enabled(state, scratch);
        return !scratch.isEmpty();
    }

    /** Runs the action and reports the kernel path, for traces. */
    Step step(S state, A action);

    MmState mm(S state);

    /** Canonical encoding: equal iff the states are equal. */
    void encode(S state, IntConsumer out);

    /**
     * The canonical encoding to {@code out} and, when {@code detail} is not null, what {@link #decode} needs beyond it
     * to rebuild exactly this state (see {@link MmState#encode(IntConsumer, IntConsumer)}).
     */
    default void encode(S state, IntConsumer out, IntConsumer detail) {
        encode(state, out);
    }

    /** Whether {@link #decode} rebuilds states. */
    default boolean canDecode() {
        return false;
    }

    /**
     * The state whose encoding and detail are {@code words[from, to)}: equal to the one that was encoded.
     *
     * @throws UnsupportedOperationException if {@link #canDecode} is false
     */
    default S decode(int[] words, int from, int to) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot decode states");
    }

    /**
     * Partial-order reduction (sleep sets): how many sleep ids the actions have, or 0 for none (the default). See
     * {@code dev.mmcheck.checker.Model#sleepIds} for what the search does with them.
     */
    default int sleepIds() {
        return 0;
    }

    /** The action's sleep id in {@code [0, sleepIds())}: the same id in two states is the same operation; -1: never asleep. */
    default int sleepId(S state, A action) {
        return -1;
    }

    /**
     * What the action may read or write in the state, as a set of resources (bits 0-62): two enabled actions with
     * disjoint footprints are independent there. -1 (every bit, the default): it may depend on any action.
     */
    default long footprint(S state, A action) {
        return -1L;
    }

    /** {@link #sleepId} and {@link #footprint} of each of the state's actions, into {@code ids} and {@code footprints}. */
    default void sleepInfo(S state, List<A> actions, int[] ids, long[] footprints) {
        for (int i = 0; i < actions.size(); i++) {
            ids[i] = sleepId(state, actions.get(i));
            footprints[i] = ids[i] < 0 ? -1L : footprint(state, actions.get(i));
        }
    }

    /** The operation the action runs in the state. */
    dev.mmcheck.model.op.Op operation(S state, A action);

    /** The action as a user would write it. */
    String describe(S state, A action);
}
