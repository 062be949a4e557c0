package dev.mmcheck.checker;

/**
 * The visited set of a bitstate search (Holzmann's supertrace): a bit array in which each state sets
 * {@link #HASHES} bits chosen by its fingerprint. A state whose bits are all set already is taken as visited,
 * even if it is new; so the search may miss states, and a result is never exhaustive. What it buys: a fixed
 * memory of {@code bits / 8} bytes however many states there are.
 *
 * <p>The coverage estimate: when a state is stored with a fraction f of the bits of its partition set, a new state
 * would have been wrongly dropped with probability f^k. Summing f^k/(1 - f^k) over the stored states estimates
 * how many states were lost, and stored/(stored + lost) is the estimated coverage of what the search was offered.
 */
final class BitstateSet implements VisitedSet {
    static final int HASHES = 3;

    private final long[][] bits = new long[PARTITIONS][];
    private final long partitionBits;
    private final long mask;
    private final long[] setBits = new long[PARTITIONS];
    private final long[] stored = new long[PARTITIONS];
    private final double[] expectedLost = new double[PARTITIONS];

    /** @param totalBits a power of two, at least 2^12 */
    BitstateSet(long totalBits) {
        if (Long.bitCount(totalBits) != 1 || totalBits < 1 << 12 || totalBits > 1L << 40) {
            throw new IllegalArgumentException("bitstate bits must be a power of two in [2^12, 2^40]: " + totalBits);
        }
        this.partitionBits = totalBits / PARTITIONS;
        this.mask = partitionBits - 1;
        for (int p = 0; p < PARTITIONS; p++) {
            bits[p] = new long[(int) (partitionBits >>> 6)];
        }
    }

    /** A second hash from the fingerprint: odd, so that the k probes differ (double hashing). */
    private static long step(long fingerprint) {
        long h = Long.rotateLeft(fingerprint, 32) * 0x9e3779b97f4a7c15L;
        return (h ^ (h >>> 29)) | 1;
    }

    @Override
    public boolean contains(long fingerprint, long fingerprint2) {
        long[] b = bits[VisitedSet.partition(fingerprint)];
        long step = step(fingerprint);
        for (int i = 0; i < HASHES; i++) {
            long bit = (fingerprint + i * step) & mask;
            if ((b[(int) (bit >>> 6)] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean add(long fingerprint, long fingerprint2) {
        int p = VisitedSet.partition(fingerprint);
        long[] b = bits[p];
        long step = step(fingerprint);
        double f = (double) setBits[p] / partitionBits;
        boolean changed = false;
        for (int i = 0; i < HASHES; i++) {
            long bit = (fingerprint + i * step) & mask;
            int word = (int) (bit >>> 6);
            if ((b[word] & (1L << bit)) == 0) {
                b[word] |= 1L << bit;
                setBits[p]++;
                changed = true;
            }
        }
        if (changed) {
            stored[p]++;
            double miss = Math.pow(f, HASHES);
            expectedLost[p] += miss / Math.max(1e-12, 1 - miss);
        }
        return changed;
    }

    @Override
    public long bytes() {
        return PARTITIONS * (16 + (partitionBits >>> 3));
    }

    @Override
    public int fingerprintBits() {
        return 0;
    }

    private double lost() {
        double lost = 0;
        for (double l : expectedLost) {
            lost += l;
        }
        return lost;
    }

    @Override
    public double omissionProbability(long states) {
        return 1 - Math.exp(-lost());
    }

    @Override
    public double coverageEstimate() {
        long n = 0;
        for (long s : stored) {
            n += s;
        }
        return n == 0 ? 1.0 : n / (n + lost());
    }
}
