package dev.mmcheck.model.scenario;

import dev.mmcheck.model.op.Op;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.rules.Rules;
import dev.mmcheck.model.rules.Step;
import dev.mmcheck.model.state.GupFlag;
import dev.mmcheck.model.state.MmState;
import dev.mmcheck.model.state.VmaKind;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Every interleaving of an operation alphabet from an initial state. An operation that fails or changes
 * nothing is not a transition (so a state's successors are exactly the distinct changes it can undergo).
 *
 * <p><b>Symmetry reduction</b> (opt-in, {@link #Exploration(Profile, MmState, List, boolean)}): every process runs
 * the same alphabet, so two states that differ only in the numbering of the processes have the same futures up to
 * that numbering. With symmetry on, {@link #encode} writes the smallest encoding over the renamings of the process
 * slots ({@link MmState#permuted}) that put the processes in the order of their {@link MmState#processSignature
 * signatures} (all renamings when the signatures are equal), so the search keeps one state per class. The search still keeps and expands the
 * concrete state that first reached a class, and a counterexample is rebuilt by replaying action indices through
 * concrete states, so traces are in the original numbering. Sound when (1) the successors of a renamed state are
 * the renamed successors, up to renaming ({@code SymmetryTest} checks it on every bundled exploration), and (2) every
 * property is invariant under renaming (the invariants and witnesses quantify over all processes). Refused
 * ({@link #symmetryRefusal}) for alphabets with an operation that depends on the numbering.
 *
 * <p>Where the pages are interchangeable too ({@link #pagesInterchangeable}), the encoding is the smallest over the
 * renamings of the pages ({@link MmState#pagesPermuted}) as well, each with its processes' renamings in signature
 * order: page and process renamings commute, so the set of states encoded is again the same for every member of a
 * class. The same two conditions, for page renamings, are checked by {@code SymmetryTest}.
 */
public final class Exploration implements Scenario<MmState, Op> {
    private final Profile profile;
    private final MmState initial;
    private final List<OpTemplate> alphabet;
    /** Every renaming of the process slots but the identity; empty when symmetry is off. */
    private final int[][] renamings;
    /** Every renaming of the pages but the identity, when symmetry is on and the pages are interchangeable; else empty. */
    private final int[][] pageRenamings;

    public Exploration(Profile profile, MmState initial, List<OpTemplate> alphabet) {
        this(profile, initial, alphabet, false);
    }

    /**
     * @param symmetric encode states up to a renaming of processes (and of pages, where they are interchangeable)
     * @throws IllegalArgumentException if symmetry is asked for an alphabet {@link #symmetryRefusal} refuses
     */
    public Exploration(Profile profile, MmState initial, List<OpTemplate> alphabet, boolean symmetric) {
        this.profile = profile;
        this.initial = initial;
        this.alphabet = List.copyOf(alphabet);
        if (symmetric) {
            symmetryRefusal(alphabet).ifPresent(why -> {
                throw new IllegalArgumentException("no symmetry reduction: " + why);
            });
        }
        this.renamings = symmetric ? renamings(initial.processes().size()) : new int[0][];
        this.pageRenamings = symmetric && pagesInterchangeable(initial, alphabet) ? renamings(initial.pageCount()) : new int[0][];
    }

    /**
     * The operation kinds a page renaming commutes with, given pages with equal anonymous VMAs: each is offered for every
     * page (ksm-merge for every ordered pair) and acts on its own page, and none creates a PMD, a userfaultfd context or
     * an operation in flight, which {@link MmState#pagesPermuted} does not rename. GUP only without FOLL_FAST_WALK or
     * steps; fork and reclaim only whole.
     */
    private static final Set<OpTemplate.Kind> PAGE_SYMMETRIC = EnumSet.of(OpTemplate.Kind.READ,
            OpTemplate.Kind.WRITE, OpTemplate.Kind.GUP, OpTemplate.Kind.RELEASE, OpTemplate.Kind.DEVICE_WRITE,
            OpTemplate.Kind.FORK, OpTemplate.Kind.EXIT, OpTemplate.Kind.MUNMAP, OpTemplate.Kind.MADV_DONTNEED,
            OpTemplate.Kind.MADV_DONTFORK, OpTemplate.Kind.MADV_DOFORK, OpTemplate.Kind.MADV_PAGEOUT,
            OpTemplate.Kind.MPROTECT_RO, OpTemplate.Kind.MPROTECT_RW, OpTemplate.Kind.CLEAR_SOFT_DIRTY,
            OpTemplate.Kind.RECLAIM, OpTemplate.Kind.KSM_MERGE, OpTemplate.Kind.KSM_ZERO, OpTemplate.Kind.SWAPOFF);

    /**
     * Whether the pages of an exploration are interchangeable: at least two, every page of every process a private
     * anonymous VMA or none, the initial state the same under every renaming of the pages, and every operation kind
     * one a renaming commutes with ({@link #PAGE_SYMMETRIC}; GUP without FOLL_FAST_WALK or steps, fork and reclaim
     * without steps). Then no reachable state holds what {@link MmState#pagesPermuted} cannot rename.
     */
    public static boolean pagesInterchangeable(MmState initial, List<OpTemplate> alphabet) {
        if (initial.pageCount() < 2) return false;
        for (OpTemplate t : alphabet) {
            if (!PAGE_SYMMETRIC.contains(t.kind())) return false;
            if (t.kind() == OpTemplate.Kind.GUP
                    && (t.gupFlags() & (GupFlag.FAST_WALK.bit() | GupFlag.STEPS.bit())) != 0) {
                return false;
            }
            if ((t.kind() == OpTemplate.Kind.FORK || t.kind() == OpTemplate.Kind.RECLAIM) && t.gupFlags() != 0) return false;
        }
        for (var p : initial.processes()) {
            for (var v : p.vmas()) {
                if (v.kind() != VmaKind.ANON_PRIVATE && v.kind() != VmaKind.NONE) {
                    return false;
                }
            }
        }
        for (int[] to : renamings(initial.pageCount())) {
            MmState renamed = initial.pagesPermuted(to);
            if (renamed == null || !renamed.equals(initial)) return false;
        }
        return true;
    }

    /**
     * Why the processes of an exploration with this alphabet are not interchangeable, if they are not: an operation
     * in flight that names another process's slot, which {@link MmState#permuted} does not rename.
     */
    public static java.util.Optional<String> symmetryRefusal(List<OpTemplate> alphabet) {
        for (OpTemplate t : alphabet) {
            if (t.kind() == OpTemplate.Kind.FORK && t.gupFlags() != 0) {
                return java.util.Optional.of("a fork in flight names its child's slot, which MmState.permuted() does not rename");
            }
            if (t.kind() == OpTemplate.Kind.PROC_MEM_WRITE) {
                return java.util.Optional.of("a /proc/PID/mem write in flight names its target process, which MmState.permuted() does not rename");
            }
        }
        return java.util.Optional.empty();
    }

    public boolean symmetric() {
        return renamings.length > 0 || pageRenamings.length > 0;
    }

    /** Whether states are also counted up to a renaming of the pages. */
    public boolean pageSymmetric() {
        return pageRenamings.length > 0;
    }

    /** Every permutation of 0..n-1 but the identity, in lexicographic order. */
    static int[][] renamings(int n) {
        List<int[]> all = new java.util.ArrayList<>();
        permute(new int[n], new boolean[n], 0, all);
        return all.subList(1, all.size()).toArray(new int[0][]);
    }

    private static void permute(int[] p, boolean[] used, int i, List<int[]> out) {
        if (i == p.length) {
            out.add(p.clone());
            return;
        }
        for (int v = 0; v < p.length; v++) {
            if (used[v]) continue;
            used[v] = true;
            p[i] = v;
            permute(p, used, i + 1, out);
            used[v] = false;
        }
    }

    @Override
    public List<MmState> initialStates() {
        return List.of(initial);
    }

    @Override
    public void enabled(MmState state, List<Op> out) {
        for (OpTemplate t : alphabet) {
            t.instantiate(state, out);
        }
    }

    /** Stops at the first template that offers an operation (at the depth bound, nearly always the first one). */
    @Override
    public boolean anyEnabled(MmState state, List<Op> scratch) {
        for (OpTemplate t : alphabet) {
            t.instantiate(state, scratch);
            if (!scratch.isEmpty()) return true;
        }
        return false;
    }

    @Override
    public MmState next(MmState state, Op op) {
        Step step = Rules.apply(state, profile, op, false);
        boolean moved = step.outcome() == Step.Outcome.DONE || step.outcome() == Step.Outcome.TRAPPED
                || step.outcome() == Step.Outcome.IN_PROGRESS;
        if (!moved || step.after() == state || step.after().equals(state)) return null;
        return step.after();
    }

    @Override
    public Step step(MmState state, Op op) {
        return Rules.apply(state, profile, op);
    }

    @Override
    public MmState mm(MmState state) {
        return state;
    }

    @Override
    public void encode(MmState state, IntConsumer out) {
        encode(state, out, null);
    }

    /**
     * With symmetry, the detail is the renamed state's, then the renaming's index (0 for none): decode rebuilds the
     * renamed state and renames it back.
     */
    @Override
    public void encode(MmState state, IntConsumer out, IntConsumer detail) {
        if (!symmetric()) {
            state.encode(out, detail);
            return;
        }
        // Only the renamings that put the processes in the order of their signatures: the same set of renamed states
        // for every state of a class (a signature goes with its process), so the smallest encoding over them is still
        // one per class, and when the signatures differ there is one renaming to encode instead of n!. With
        // interchangeable pages, the same for the renamings of the pages that put the pages' signatures in order (a
        // page's signature goes with it under both renamings, and page and process renamings commute).
        int n = state.processes().size();
        long[] signature = new long[n];
        long[] pageSignature = null;
        int samePages = 0;
        if (pageRenamings.length > 0) {
            pageSignature = new long[state.pageCount()];
            for (int a = 0; a < pageSignature.length; a++) pageSignature[a] = state.pageSignature(a);
            samePages = samePages(state, pageSignature);
        }
        Ints best = new Ints();
        Ints bestDetail = detail == null ? null : new Ints();
        Ints other = new Ints();
        Ints otherDetail = detail == null ? null : new Ints();
        int chosen = -1;
        // g = -1 is the pages' identity, r = -1 the processes'; the pair is chosen as (g + 1) * (renamings + 1) + r + 1
        // (0 for none), which decode reads back
        for (int g = -1; g < pageRenamings.length; g++) {
            if (pageSignature != null && !inOrder(pageSignature, g < 0 ? null : pageRenamings[g])) continue;
            if (g >= 0 && !keepsOrder(samePages, pageRenamings[g])) continue;
            MmState base = g < 0 ? state : state.pagesPermuted(pageRenamings[g]);
            if (base == null) throw new IllegalStateException("a state of an exploration with interchangeable pages that "
                    + "MmState.pagesPermuted cannot rename: " + state);
            for (int p = 0; p < n; p++) signature[p] = base.processSignature(p);
            for (int r = -1; r < renamings.length; r++) {
                int[] to = r < 0 ? null : renamings[r];
                if (!inOrder(signature, to)) continue;
                other.size = 0;
                if (otherDetail != null) otherDetail.size = 0;
                (to == null ? base : base.permuted(to)).encode(other, otherDetail);
                if (chosen < 0 || other.compareTo(best) < 0) {
                    Ints t = best;
                    best = other;
                    other = t;
                    t = bestDetail;
                    bestDetail = otherDetail;
                    otherDetail = t;
                    chosen = (g + 1) * (renamings.length + 1) + r + 1;
                }
            }
        }
        for (int i = 0; i < best.size; i++) out.accept(best.words[i]);
        if (detail != null) {
            for (int i = 0; i < bestDetail.size; i++) detail.accept(bestDetail.words[i]);
            detail.accept(chosen);
        }
    }

    /**
     * Pairs of pages that are the same in every process (equal VMAs and PTEs, no GUP reference at either), as bits
     * {@code a * MAX_PAGES + b} for {@code a < b}: renaming one into the other gives the very same state, so the
     * renamings that swap them give no other encoding and are skipped.
     */
    private static int samePages(MmState state, long[] pageSignature) {
        int same = 0;
        for (int a = 0; a < pageSignature.length; a++) {
            for (int b = a + 1; b < pageSignature.length; b++) {
                if (pageSignature[a] != pageSignature[b] || !sameColumns(state, a, b)) continue;
                same |= 1 << (a * MmState.MAX_PAGES + b);
            }
        }
        return same;
    }

    private static boolean sameColumns(MmState state, int a, int b) {
        for (var p : state.processes()) {
            if (!p.vmas().get(a).equals(p.vmas().get(b)) || !p.ptes().get(a).equals(p.ptes().get(b))) return false;
        }
        for (var r : state.refs()) {
            if (r.addr().index() == a || r.addr().index() == b) return false;
        }
        return true;
    }

    /** Whether renaming {@code to} keeps every pair of {@link #samePages} in its order. */
    private static boolean keepsOrder(int samePages, int[] to) {
        if (samePages == 0) return true;
        for (int a = 0; a < to.length; a++) {
            for (int b = a + 1; b < to.length; b++) {
                if ((samePages & (1 << (a * MmState.MAX_PAGES + b))) != 0 && to[a] > to[b]) return false;
            }
        }
        return true;
    }

    /**
     * Whether renaming {@code to} (identity if null) leaves the signatures in ascending slot order: process (or page)
     * i goes to slot to[i], so each pair that lands in neighbouring slots must be in order.
     */
    private static boolean inOrder(long[] signature, int[] to) {
        for (int i = 0; i < signature.length; i++) {
            for (int j = 0; j < signature.length; j++) {
                int slotI = to == null ? i : to[i];
                int slotJ = to == null ? j : to[j];
                if (slotJ == slotI + 1 && signature[i] > signature[j]) return false;
            }
        }
        return true;
    }

    @Override
    public boolean canDecode() {
        return true;
    }

    @Override
    public MmState decode(int[] words, int from, int to) {
        if (!symmetric()) return MmState.decode(words, from, to);
        int chosen = words[to - 1];
        MmState renamed = MmState.decode(words, from, to - 1);
        int r = chosen % (renamings.length + 1);
        int g = chosen / (renamings.length + 1);
        if (r > 0) renamed = renamed.permuted(inverse(renamings[r - 1]));
        if (g > 0) renamed = renamed.pagesPermuted(inverse(pageRenamings[g - 1]));
        return renamed;
    }

    private static int[] inverse(int[] there) {
        int[] back = new int[there.length];
        for (int i = 0; i < there.length; i++) back[there[i]] = i;
        return back;
    }

    /** The encoding of a state up to renaming: the one {@link #encode} writes for every state of its class. */
    public int[] canonical(MmState state) {
        Ints all = new Ints();
        encode(state, all);
        return java.util.Arrays.copyOf(all.words, all.size);
    }

    /** A growable int buffer, compared as a sequence (shorter first on a common prefix). */
    private static final class Ints implements IntConsumer {
        int[] words = new int[64];
        int size;

        @Override
        public void accept(int v) {
            if (size == words.length) words = java.util.Arrays.copyOf(words, size * 2);
            words[size++] = v;
        }

        int compareTo(Ints o) {
            return java.util.Arrays.compare(words, 0, size, o.words, 0, o.size);
        }
    }

    @Override
    public Op operation(MmState state, Op op) {
        return op;
    }

    @Override
    public String describe(MmState state, Op op) {
        return op.call();
    }
}
