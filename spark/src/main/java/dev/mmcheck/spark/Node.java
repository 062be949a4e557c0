package dev.mmcheck.spark;

import dev.mmcheck.checker.Varints;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;

/**
 * One state of a BFS level as it travels between Spark tasks: its 64-bit fingerprint, its path and, if the model
 * can decode, its packed encoding.
 *
 * <p>The path is the initial-state index followed by the action indices of the state's first path in the local
 * engine's breadth-first order. It is the canonical order of a level (the local search orders level d+1 by
 * (parent's position, action index), which is the lexicographic order of these paths), it is the parent link (the
 * last index is the action from the parent, the prefix is the parent), and for a model that cannot decode it is how
 * an executor rebuilds the state: by replaying it from the initial state.
 */
final class Node implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Lexicographic on paths, shorter first on a common prefix (paths of one level have one length). */
    static final Comparator<int[]> PATH_ORDER = (Comparator<int[]> & Serializable) Arrays::compare;

    final long fingerprint;
    final int[] path;
    /** The packed encoding as {@link Varints} bytes; null when the model cannot decode. */
    final byte[] packed;

    Node(long fingerprint, int[] path, int[] words) {
        this.fingerprint = fingerprint;
        this.path = path;
        this.packed = words == null ? null : Varints.pack(words);
    }

    /** The packed encoding's words (null when the model cannot decode). */
    int[] words() {
        return packed == null ? null : Varints.unpack(packed, 0, packed.length);
    }

    /** Of two nodes with one fingerprint, the first in BFS order. */
    static Node first(Node a, Node b) {
        return Arrays.compare(a.path, b.path) <= 0 ? a : b;
    }

    static int[] append(int[] path, int action) {
        int[] p = Arrays.copyOf(path, path.length + 1);
        p[path.length] = action;
        return p;
    }

    /** The parent's path: all but the last index. */
    static int[] parent(int[] path) {
        return Arrays.copyOf(path, path.length - 1);
    }

    /** Approximate bytes on the heap. */
    long bytes() {
        return 16 + 8 + 16 + 4L * path.length + (packed == null ? 0 : 16 + packed.length);
    }
}
