package dev.mmcheck.checker;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Collects the canonical encoding of one state as a sequence of ints and hashes it to a 64-bit fingerprint.
 *
 * <p>The visited set stores only fingerprints, so the hash must be strong: it is a MurmurHash3-style mix over the
 * ints, with the length folded in so that encodings that are prefixes of one another differ. It never relies on
 * {@code hashCode()} of objects, whose values may change between runs. One encoder is reused for many states
 * ({@link #reset()} between them) and is not thread-safe: each worker has its own.
 *
 * <p>An encoder made {@link #withDetail() with detail} also takes, beside the encoding, words a model writes to its
 * {@link #detail()} lane: what {@link Model#decode} needs to rebuild the very state that was encoded rather than
 * one equal to it up to the encoding (an MM state's folio numbering, say). The detail is not part of the state's
 * identity: the fingerprints never read it. The packed state ({@link #size()}, {@link #toArray()}) is the encoding
 * followed by the detail.
 */
public final class StateEncoder {
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private int[] words = new int[32];
    private int size;
    private final Detail detail;

    /** An encoder without a detail lane: {@link #detail()} is null, so models skip writing it. */
    public StateEncoder() {
        this.detail = null;
    }

    private StateEncoder(boolean withDetail) {
        this.detail = withDetail ? new Detail() : null;
    }

    /** An encoder that also keeps the detail models write for {@link Model#decode}: what a packed frontier needs. */
    public static StateEncoder withDetail() {
        return new StateEncoder(true);
    }

    /** Where a model writes the detail that follows its encoding, or null when nobody will decode this state. */
    public IntConsumer detail() {
        return detail;
    }

    /** The detail lane: a second growable buffer. */
    private static final class Detail implements IntConsumer {
        int[] words = new int[16];
        int size;

        @Override
        public void accept(int v) {
            if (size == words.length) {
                words = Arrays.copyOf(words, size * 2);
            }
            words[size++] = v;
        }
    }

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

    /** Number of ints written since the last reset: the encoding and the detail. */
    public int size() {
        return detail == null ? size : size + detail.size;
    }

    /** Forgets the current encoding, keeping the buffer. */
    public void reset() {
        size = 0;
        if (detail != null) {
            detail.size = 0;
        }
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

    /** A copy of the ints written since the last reset, detail last: the packed state another JVM can {@link Model#decode}. */
    public int[] toArray() {
        int[] all = new int[size()];
        copyTo(all, 0);
        return all;
    }

    /** Copies the ints written since the last reset, detail last, to {@code target} from {@code at}. */
    void copyTo(int[] target, int at) {
        System.arraycopy(words, 0, target, at, size);
        if (detail != null) {
            System.arraycopy(detail.words, 0, target, at + size, detail.size);
        }
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
