package dev.mmcheck.checker;

/**
 * The visited set of an exhaustive search: per partition, an open-addressing table of 64-bit (or 128-bit)
 * fingerprints in one primitive array, so a stored state costs 8 (or 16) bytes a slot and no object.
 *
 * <p>Two distinct states with equal fingerprints are taken for one (hash compaction, as in TLC or SPIN); the
 * chance of that is reported with every result ({@link #omissionProbability}).
 *
 * <p>Partitions grow one at a time (at 3/4 load), so growing never needs twice the whole table.
 */
final class FingerprintTable implements VisitedSet {
    /** Slots of a partition when the search starts; tiny models stay tiny. */
    private static final int INITIAL_SLOTS = 1 << 6;
    /** Most slots of one partition: a Java array holds at most about 2^31 longs. */
    private static final int MAX_SLOTS = 1 << 29;
    /** Key 0 marks an empty slot, so a first word of 0 is stored as this instead. */
    private static final long ZERO_SUBSTITUTE = 0x5851f42d4c957f2dL;

    private final boolean wide;
    private final int width;
    /** Per partition: keys, one long a slot (two when wide: fingerprint, fingerprint2). */
    private final long[][] keys = new long[PARTITIONS][];
    private final int[] sizes = new int[PARTITIONS];

    /** @param bits 64 or 128 */
    FingerprintTable(int bits) {
        if (bits != 64 && bits != 128) {
            throw new IllegalArgumentException("fingerprints have 64 or 128 bits: " + bits);
        }
        this.wide = bits == 128;
        this.width = wide ? 2 : 1;
        for (int p = 0; p < PARTITIONS; p++) {
            keys[p] = new long[INITIAL_SLOTS * width];
        }
    }

    FingerprintTable() {
        this(64);
    }

    @Override
    public int fingerprintBits() {
        return wide ? 128 : 64;
    }

    long size() {
        long n = 0;
        for (int s : sizes) {
            n += s;
        }
        return n;
    }

    @Override
    public boolean contains(long fingerprint, long fingerprint2) {
        long key = key(fingerprint);
        long[] table = keys[VisitedSet.partition(fingerprint)];
        int mask = table.length / width - 1;
        if (!wide) {
            for (int slot = (int) key & mask; ; slot = (slot + 1) & mask) {
                long k = table[slot];
                if (k == key) {
                    return true;
                }
                if (k == 0) {
                    return false;
                }
            }
        }
        for (int slot = (int) key & mask; ; slot = (slot + 1) & mask) {
            long k = table[2 * slot];
            if (k == key && table[2 * slot + 1] == fingerprint2) {
                return true;
            }
            if (k == 0) {
                return false;
            }
        }
    }

    @Override
    public boolean add(long fingerprint, long fingerprint2) {
        int p = VisitedSet.partition(fingerprint);
        if (sizes[p] + 1 > keys[p].length / width / 4 * 3) {
            grow(p);
        }
        // One probe sequence: it ends at the fingerprint (present) or at the empty slot where it goes.
        long key = key(fingerprint);
        long[] table = keys[p];
        int mask = table.length / width - 1;
        int slot = (int) key & mask;
        while (true) {
            long k = table[slot * width];
            if (k == 0) {
                break;
            }
            if (k == key && (!wide || table[slot * 2 + 1] == fingerprint2)) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
        table[slot * width] = key;
        if (wide) {
            table[slot * 2 + 1] = fingerprint2;
        }
        sizes[p]++;
        return true;
    }

    private void insert(long[] table, long key, long fingerprint2) {
        int mask = table.length / width - 1;
        int slot = (int) key & mask;
        while (table[slot * width] != 0) {
            slot = (slot + 1) & mask;
        }
        table[slot * width] = key;
        if (wide) {
            table[slot * 2 + 1] = fingerprint2;
        }
    }

    /** The new array is allocated before the old one is dropped, so a failed allocation leaves the table as it was. */
    private void grow(int p) {
        long[] old = keys[p];
        int slots = old.length / width;
        if (slots == MAX_SLOTS) {
            throw new IllegalStateException("visited set partition " + p + " is full at " + sizes[p] + " states");
        }
        long[] table = new long[slots * 2 * width];
        for (int s = 0; s < slots; s++) {
            long k = old[s * width];
            if (k != 0) {
                insert(table, k, wide ? old[s * 2 + 1] : 0);
            }
        }
        keys[p] = table;
    }

    @Override
    public long bytes() {
        long b = 0;
        for (long[] t : keys) {
            b += 16 + 8L * t.length;
        }
        return b;
    }

    @Override
    public double omissionProbability(long states) {
        double n = states;
        return Math.min(1.0, n * n / Math.pow(2, (wide ? 128 : 64) + 1));
    }

    private static long key(long fingerprint) {
        return fingerprint == 0 ? ZERO_SUBSTITUTE : fingerprint;
    }
}
