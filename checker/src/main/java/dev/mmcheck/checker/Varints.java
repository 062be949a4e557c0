package dev.mmcheck.checker;

/**
 * Packed encodings as bytes: each int zigzag-mapped (small negatives stay small) and written 7 bits a byte, so the
 * small fields and counts most encodings are made of take one byte instead of four. The frontier's chunks and the
 * Spark engine's states use it.
 */
public final class Varints {
    private Varints() {
    }

    static int zigzag(int v) {
        return (v << 1) ^ (v >> 31);
    }

    static int unzigzag(int v) {
        return (v >>> 1) ^ -(v & 1);
    }

    /** The bytes {@link #put} writes for the (already zigzag-mapped) value {@code v}. */
    static int length(int v) {
        return v == 0 ? 1 : (38 - Integer.numberOfLeadingZeros(v)) / 7;
    }

    /** Writes {@code v} at {@code out[at]}; returns the position after it. */
    static int put(byte[] out, int at, int v) {
        while ((v & ~0x7f) != 0) {
            out[at++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        out[at++] = (byte) v;
        return at;
    }

    /** The value at {@code bytes[at]} in the high half, the position after it in the low half. */
    static long read(byte[] bytes, int at) {
        int v = 0;
        int shift = 0;
        byte b;
        do {
            b = bytes[at++];
            v |= (b & 0x7f) << shift;
            shift += 7;
        } while (b < 0);
        return ((long) v << 32) | at;
    }

    /** {@code words} packed. */
    public static byte[] pack(int[] words) {
        int n = 0;
        for (int w : words) {
            n += length(zigzag(w));
        }
        byte[] out = new byte[n];
        int at = 0;
        for (int w : words) {
            at = put(out, at, zigzag(w));
        }
        return out;
    }

    /** The words of {@code bytes[from, to)}. */
    public static int[] unpack(byte[] bytes, int from, int to) {
        // at most one word a byte
        int[] words = new int[to - from];
        int n = unpack(bytes, from, to, words);
        return n == words.length ? words : java.util.Arrays.copyOf(words, n);
    }

    /** Writes the words of {@code bytes[from, to)} to {@code into} (at least {@code to - from} long); returns how many. */
    public static int unpack(byte[] bytes, int from, int to, int[] into) {
        int n = 0;
        for (int at = from; at < to; ) {
            long read = read(bytes, at);
            at = (int) read;
            into[n++] = unzigzag((int) (read >>> 32));
        }
        return n;
    }
}
