package dev.mmcheck.checker;

/**
 * The set of states the search has stored, by fingerprint. It is split into {@link #PARTITIONS} partitions by the
 * fingerprint's top bits so that several threads can insert at once without locks: each partition has one owner
 * thread while the search inserts, and every thread may read while nobody inserts.
 */
interface VisitedSet {
    int PARTITIONS = 64;

    /** The partition a fingerprint belongs to: its top 6 bits. */
    static int partition(long fingerprint) {
        return (int) (fingerprint >>> 58);
    }

    /** True if the state with these fingerprints is (or, for a bitstate set, may be) stored. */
    boolean contains(long fingerprint, long fingerprint2);

    /**
     * Stores the fingerprints; true if they were absent. Only the thread that owns {@code partition(fingerprint)}
     * may call this, and no thread may call {@link #contains} meanwhile.
     */
    boolean add(long fingerprint, long fingerprint2);

    /** Bytes of the arrays the set holds. */
    long bytes();

    /** Bits of fingerprint kept per state (64 or 128), or 0 for a bitstate set, which keeps none. */
    int fingerprintBits();

    /**
     * The probability that two distinct stored states had equal fingerprints, so that one of them was taken for the
     * other and its successors never explored: n²/2^(b+1) for n states and b-bit fingerprints (the birthday bound
     * TLC reports). For a bitstate set, the estimated probability that some state was lost (at most 1).
     */
    double omissionProbability(long states);

    /** For a bitstate set, the estimated fraction of the states it was offered that it stored; 1 otherwise. */
    default double coverageEstimate() {
        return 1.0;
    }
}
