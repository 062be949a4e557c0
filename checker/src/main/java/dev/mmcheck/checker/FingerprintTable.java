package dev.mmcheck.checker;

import java.util.Arrays;

/**
 * The visited set: an open-addressing map from 64-bit state fingerprint to state id, in two primitive arrays so a
 * stored state costs a few bytes and no object.
 *
 * <p>Two distinct states with equal fingerprints would be taken for one (hash compaction, as in TLC or SPIN); with
 * a strong 64-bit hash and n states the chance of any such collision is about n²/2⁶⁵, e.g. 1e-7 for 2 million.
 *
 * <p>Reads may run concurrently with each other but not with {@link #put}: the search writes only between the
 * parallel phases.
 */
final class FingerprintTable {
    static final int ABSENT = -1;
    /** Largest capacity a Java array allows at a power of two. */
    private static final int MAX_CAPACITY = 1 << 30;
    /** Most states the table can hold: it grows at 3/4 load. */
    static final int MAX_SIZE = MAX_CAPACITY / 4 * 3;
    /** Key 0 marks an empty slot, so a fingerprint that happens to be 0 is stored as this instead. */
    private static final long ZERO_SUBSTITUTE = 0x5851f42d4c957f2dL;

    private long[] keys;
    private int[] ids;
    private int size;
    private int shift;

    FingerprintTable() {
        allocate(1 << 12);
    }

    int size() {
        return size;
    }

    /** The id stored for fingerprint, or {@link #ABSENT}. */
    int get(long fingerprint) {
        long key = key(fingerprint);
        int mask = keys.length - 1;
        for (int slot = slot(key); ; slot = (slot + 1) & mask) {
            long k = keys[slot];
            if (k == key) {
                return ids[slot];
            }
            if (k == 0) {
                return ABSENT;
            }
        }
    }

    /** Stores fingerprint -> id; the caller has checked that fingerprint is absent. */
    void put(long fingerprint, int id) {
        if (size + 1 > keys.length / 4 * 3) {
            grow();
        }
        insert(key(fingerprint), id);
        size++;
    }

    private void insert(long key, int id) {
        int mask = keys.length - 1;
        int slot = slot(key);
        while (keys[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        ids[slot] = id;
    }

    private void grow() {
        if (keys.length == MAX_CAPACITY) {
            throw new IllegalStateException("visited set is full at " + size + " states");
        }
        long[] oldKeys = keys;
        int[] oldIds = ids;
        allocate(keys.length * 2);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                insert(oldKeys[i], oldIds[i]);
            }
        }
    }

    /** Both arrays are allocated before either is replaced, so a failed allocation leaves the table as it was. */
    private void allocate(int capacity) {
        long[] newKeys = new long[capacity];
        int[] newIds = new int[capacity];
        Arrays.fill(newIds, ABSENT);
        keys = newKeys;
        ids = newIds;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
    }

    /** Fibonacci hashing: the top bits of the product spread even fingerprints that differ only in high bits. */
    private int slot(long key) {
        return (int) ((key * 0x9e3779b97f4a7c15L) >>> shift);
    }

    private static long key(long fingerprint) {
        return fingerprint == 0 ? ZERO_SUBSTITUTE : fingerprint;
    }
}
