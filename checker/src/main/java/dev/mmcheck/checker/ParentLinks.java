package dev.mmcheck.checker;

import java.util.Arrays;

/**
 * For each state id, how the search first reached it: the parent's id and the index of the action taken. An
 * initial state stores parent -1 and its index among the initial states. Kept outside the states, in pages of
 * primitive arrays, so that traces are rebuilt by replay rather than by storing states: 4 bytes a state for the
 * parent and 1 for the action while every action index is below 255 (4 from the first that is not).
 *
 * <p>Pages are never copied when the links grow, so growing needs no second copy of the whole array.
 */
final class ParentLinks {
    static final int ROOT = -1;
    private static final int PAGE_BITS = 16;
    private static final int PAGE = 1 << PAGE_BITS;
    private static final int BYTE_LIMIT = 255;

    private int[][] parents = new int[16][];
    private byte[][] smallActions = new byte[16][];
    /** Null until an action index of 255 or more is recorded; from then on every action is kept here. */
    private int[][] wideActions;
    private int size;

    /** Records the links of the next id, which is {@code size()} before the call. */
    void add(int parentId, int actionIndex) {
        int page = size >>> PAGE_BITS;
        int at = size & (PAGE - 1);
        if (at == 0) {
            addPage(page);
        }
        if (wideActions == null && actionIndex >= BYTE_LIMIT) {
            widen();
        }
        parents[page][at] = parentId;
        if (wideActions != null) {
            wideActions[page][at] = actionIndex;
        } else {
            smallActions[page][at] = (byte) actionIndex;
        }
        size++;
    }

    /** Allocates everything first, so a failed allocation changes nothing. */
    private void addPage(int page) {
        int[][] newParents = page < parents.length ? parents : Arrays.copyOf(parents, parents.length * 2);
        int[] parentPage = new int[PAGE];
        if (wideActions != null) {
            int[][] newWide = page < wideActions.length ? wideActions : Arrays.copyOf(wideActions, wideActions.length * 2);
            newWide[page] = new int[PAGE];
            wideActions = newWide;
        } else {
            byte[][] newSmall = page < smallActions.length ? smallActions : Arrays.copyOf(smallActions, smallActions.length * 2);
            newSmall[page] = new byte[PAGE];
            smallActions = newSmall;
        }
        newParents[page] = parentPage;
        parents = newParents;
    }

    private void widen() {
        int[][] wide = new int[parents.length][];
        for (int page = 0; page < parents.length && parents[page] != null; page++) {
            wide[page] = new int[PAGE];
            byte[] small = smallActions[page];
            for (int i = 0; i < PAGE; i++) {
                wide[page][i] = small[i] & 0xff;
            }
        }
        wideActions = wide;
        smallActions = null;
    }

    int size() {
        return size;
    }

    int parent(int id) {
        return parents[id >>> PAGE_BITS][id & (PAGE - 1)];
    }

    /** The action index that led to id, or for a root its initial-state index. */
    int action(int id) {
        return wideActions != null ? wideActions[id >>> PAGE_BITS][id & (PAGE - 1)]
                : smallActions[id >>> PAGE_BITS][id & (PAGE - 1)] & 0xff;
    }

    long bytes() {
        long pages = (size + PAGE - 1) >>> PAGE_BITS;
        return pages * PAGE * (wideActions != null ? 8L : 5L);
    }
}
