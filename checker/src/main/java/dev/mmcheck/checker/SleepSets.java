package dev.mmcheck.checker;

import java.util.Arrays;

/**
 * The sleep sets of one BFS level, by fingerprint: per {@link VisitedSet#partition partition} of the fingerprints, an
 * open-addressing table (at most three quarters full) from a state's fingerprint to its sleep set, {@code words} longs
 * of bits over the model's {@link Model#sleepIds sleep ids}. A state's set is the intersection of what each transition into it from the level
 * before left asleep ({@link #meet}); a state with no entry sleeps on nothing, so an empty set is never entered.
 *
 * <p>Like the visited set, each partition has one owner thread while the search writes, and every thread may read
 * while nobody writes. A fingerprint collision between two states of a level intersects their sets: a smaller sleep
 * set only explores more, so it costs time, never a state.
 */
final class SleepSets {
    private static final int INITIAL_SLOTS = 16;

    private final int words;
    private final long[][] keys = new long[VisitedSet.PARTITIONS][];
    private final long[][] sets = new long[VisitedSet.PARTITIONS][];
    private final int[] sizes = new int[VisitedSet.PARTITIONS];

    SleepSets(int words) {
        this.words = words;
        for (int p = 0; p < VisitedSet.PARTITIONS; p++) {
            keys[p] = new long[INITIAL_SLOTS];
            sets[p] = new long[INITIAL_SLOTS * words];
        }
    }

    int words() {
        return words;
    }

    /**
     * Intersects the state's set with {@code set[from, from + words)}, entering it with that set if it has none and
     * {@code enter}; a state that is not entered is of another level, whose sleep sets are not this table's.
     */
    void meet(long fingerprint, long[] set, int from, boolean enter) {
        int p = VisitedSet.partition(fingerprint);
        long key = fingerprint == 0 ? 1 : fingerprint;
        long[] table = keys[p];
        int mask = table.length - 1;
        int slot = slot(key, mask);
        for (; table[slot] != 0; slot = (slot + 1) & mask) {
            if (table[slot] == key) {
                long[] s = sets[p];
                for (int w = 0; w < words; w++) s[slot * words + w] &= set[from + w];
                return;
            }
        }
        if (!enter || empty(set, from)) {
            // no entry is the empty set, which no intersection changes
            return;
        }
        if ((sizes[p] + 1) * 4L > table.length * 3L) {
            grow(p);
            meet(fingerprint, set, from, true);
            return;
        }
        table[slot] = key;
        System.arraycopy(set, from, sets[p], slot * words, words);
        sizes[p]++;
    }

    private boolean empty(long[] set, int from) {
        for (int w = 0; w < words; w++) {
            if (set[from + w] != 0) return false;
        }
        return true;
    }

    /** Copies the state's sleep set into {@code into[0, words)}: all zero if it has none. */
    void get(long fingerprint, long[] into) {
        int p = VisitedSet.partition(fingerprint);
        long key = fingerprint == 0 ? 1 : fingerprint;
        long[] table = keys[p];
        int mask = table.length - 1;
        for (int slot = slot(key, mask); table[slot] != 0; slot = (slot + 1) & mask) {
            if (table[slot] == key) {
                System.arraycopy(sets[p], slot * words, into, 0, words);
                return;
            }
        }
        Arrays.fill(into, 0, words, 0L);
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29)) & mask;
    }

    private void grow(int p) {
        long[] oldKeys = keys[p];
        long[] oldSets = sets[p];
        long[] newKeys = new long[oldKeys.length * 2];
        long[] newSets = new long[newKeys.length * words];
        int mask = newKeys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] == 0) continue;
            int slot = slot(oldKeys[i], mask);
            while (newKeys[slot] != 0) slot = (slot + 1) & mask;
            newKeys[slot] = oldKeys[i];
            System.arraycopy(oldSets, i * words, newSets, slot * words, words);
        }
        keys[p] = newKeys;
        sets[p] = newSets;
    }

    long bytes() {
        long b = 0;
        for (int p = 0; p < VisitedSet.PARTITIONS; p++) b += 8L * (keys[p].length + sets[p].length);
        return b;
    }
}
