package dev.mmcheck.checker;

import java.util.Arrays;

/**
 * For each state id, how the search first reached it: the parent's id and the index of the action taken. An
 * initial state stores parent -1 and its index among the initial states. Kept outside the states (and in two int
 * arrays, 8 bytes a state) so that traces are rebuilt by replay rather than by storing states.
 */
final class ParentLinks {
    static final int ROOT = -1;

    private int[] parents = new int[1 << 12];
    private int[] actions = new int[1 << 12];
    private int size;

    /** Records the links of the next id, which is {@code size()} before the call. */
    void add(int parentId, int actionIndex) {
        if (size == parents.length) {
            int capacity = (int) Math.min(Integer.MAX_VALUE - 8L, size + (size >> 1));
            // Both copies exist before either replaces its array, so a failed allocation changes nothing.
            int[] newParents = Arrays.copyOf(parents, capacity);
            int[] newActions = Arrays.copyOf(actions, capacity);
            parents = newParents;
            actions = newActions;
        }
        parents[size] = parentId;
        actions[size] = actionIndex;
        size++;
    }

    int parent(int id) {
        return parents[id];
    }

    /** The action index that led to id, or for a root its initial-state index. */
    int action(int id) {
        return actions[id];
    }
}
