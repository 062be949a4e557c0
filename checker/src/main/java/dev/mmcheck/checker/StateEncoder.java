package dev.mmcheck.checker;

import java.util.Arrays;

/**
 * Collects the canonical encoding of one state as a sequence of ints and hashes it to a 64-bit fingerprint.
 *
 * <p>The visited set stores only fingerprints, so the hash must be strong: it is a MurmurHash3-style mix over the
 * ints, with the length folded in so that encodings that are prefixes of one another differ. It never relies on
 * {@code hashCode()} of objects, whose values may change between runs. One encoder is reused for many states
 * ({@link #reset()} between them) and is not thread-safe: each worker has its own.
 */
public final class StateEncoder {
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private int[] words = new int[32];
    private int size;

    public void putInt(int v) {
        if (size == words.length) {
            words = Arrays.copyOf(words, size * 2);
        }
        words[size++] = v;
    }

    public void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }

    public void putBoolean(boolean b) {
        putInt(b ? 1 : 0);
    }

    /** Number of ints written since the last reset. */
    public int size() {
        return size;
    }

    /** Forgets the current encoding, keeping the buffer. */
    public void reset() {
        size = 0;
    }

    /** A 64-bit hash of the ints written since the last reset. */
    public long fingerprint() {
        long h = 0x9368e53c2f6af274L;
        int i = 0;
        // Two ints per 64-bit block halves the number of multiply rounds.
        for (; i + 1 < size; i += 2) {
            h ^= mixBlock(((long) words[i] << 32) | (words[i + 1] & 0xffffffffL));
            h = Long.rotateLeft(h, 27) * 5 + 0x52dce729;
        }
        if (i < size) {
            h ^= mixBlock(words[i] & 0xffffffffL);
        }
        // The length goes in once, at the end: a zero tail contributes nothing else.
        return finalMix(h ^ size);
    }

    /**
     * A second 64-bit hash of the same ints, computed with other constants so that it is independent of
     * {@link #fingerprint()}: the two together are the 128-bit fingerprint.
     */
    public long fingerprint2() {
        long h = 0x2545f4914f6cdd1dL;
        int i = 0;
        for (; i + 1 < size; i += 2) {
            long k = ((long) words[i + 1] << 32) | (words[i] & 0xffffffffL);
            h ^= Long.rotateLeft(k * C2, 33) * C1;
            h = Long.rotateLeft(h, 31) * 9 + 0x38495ab5;
        }
        if (i < size) {
            h ^= Long.rotateLeft((words[i] & 0xffffffffL) * C2, 33) * C1;
        }
        h ^= (long) size << 32;
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        h ^= h >>> 31;
        return h;
    }

    /** A copy of the ints written since the last reset: the packed state another JVM can {@link Model#decode}. */
    public int[] toArray() {
        return Arrays.copyOf(words, size);
    }

    /** Copies the ints written since the last reset to {@code target} from {@code at}. */
    void copyTo(int[] target, int at) {
        System.arraycopy(words, 0, target, at, size);
    }

    private static long mixBlock(long k) {
        return Long.rotateLeft(k * C1, 31) * C2;
    }

    private static long finalMix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
