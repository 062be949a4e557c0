package dev.mmcheck.model.scenario;

import dev.mmcheck.model.op.Op;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.rules.Rules;
import dev.mmcheck.model.rules.Step;
import dev.mmcheck.model.state.GupFlag;
import dev.mmcheck.model.state.Folio;
import dev.mmcheck.model.state.FolioFlag;
import dev.mmcheck.model.state.FolioId;
import dev.mmcheck.model.state.MmState;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.Vaddr;
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
 * signatures} (all renamings when the signatures are equal, but none that only swaps two processes that are the same),
 * so the search keeps one state per class. The renamed states are not built: {@link MmState#encode(IntConsumer,
 * IntConsumer, int[], int[])} writes a state's encoding under a renaming. The search still keeps and expands the
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
    /** Whether states are encoded up to a renaming of the processes: symmetry on and more than one process. */
    private final boolean processSymmetric;
    /** Whether states are encoded up to a renaming of the pages: symmetry on and the pages interchangeable. */
    private final boolean pageSymmetric;
    /**
     * Partial-order reduction: the alphabet's templates whose operations can sleep ({@link #sleepTemplate}), each with
     * its index among them; empty when the reduction is off.
     */
    private final java.util.Map<OpTemplate, Integer> sleepTemplates = new java.util.LinkedHashMap<>();
    /** The same, by kind for the kinds other than GUP, by FOLL_* flags for GUP: -1 where none can sleep. */
    private final int[] sleepIndexByKind = new int[OpTemplate.Kind.values().length];
    private final int[] sleepIndexByGupFlags = new int[GupFlag.STEPS.bit() << 1];

    public Exploration(Profile profile, MmState initial, List<OpTemplate> alphabet) {
        this(profile, initial, alphabet, false);
    }

    /**
     * @param symmetric encode states up to a renaming of processes (and of pages, where they are interchangeable)
     * @throws IllegalArgumentException if symmetry is asked for an alphabet {@link #symmetryRefusal} refuses
     */
    public Exploration(Profile profile, MmState initial, List<OpTemplate> alphabet, boolean symmetric) {
        this(profile, initial, alphabet, symmetric, false);
    }

    /**
     * @param partialOrder give the search sleep ids and footprints ({@link #footprint}), for partial-order reduction
     *                     by sleep sets; refused with symmetry, whose canonical states would mix the numberings of
     *                     the sleep sets that meet in a class
     */
    public Exploration(Profile profile, MmState initial, List<OpTemplate> alphabet, boolean symmetric,
                       boolean partialOrder) {
        if (symmetric && partialOrder) {
            throw new IllegalArgumentException("partial-order reduction and symmetry reduction together are not supported");
        }
        java.util.Arrays.fill(sleepIndexByKind, -1);
        java.util.Arrays.fill(sleepIndexByGupFlags, -1);
        if (partialOrder) {
            for (OpTemplate t : alphabet) {
                boolean whole = t.kind() == OpTemplate.Kind.GUP ? (t.gupFlags() & NOT_SLEEPING_GUP) == 0
                        : t.kind() != OpTemplate.Kind.RECLAIM || t.gupFlags() == 0;
                if (SLEEPING.contains(t.kind()) && whole) {
                    sleepTemplates.putIfAbsent(t, sleepTemplates.size());
                }
            }
            sleepTemplates.forEach((t, index) -> {
                if (t.kind() == OpTemplate.Kind.GUP) {
                    sleepIndexByGupFlags[t.gupFlags()] = index;
                } else {
                    sleepIndexByKind[t.kind().ordinal()] = index;
                }
            });
        }
        this.profile = profile;
        this.initial = initial;
        this.alphabet = List.copyOf(alphabet);
        if (symmetric) {
            symmetryRefusal(alphabet).ifPresent(why -> {
                throw new IllegalArgumentException("no symmetry reduction: " + why);
            });
        }
        this.processSymmetric = symmetric && initial.processes().size() > 1;
        this.pageSymmetric = symmetric && pagesInterchangeable(initial, alphabet);
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
        return processSymmetric || pageSymmetric;
    }

    /**
     * The operation kinds that can sleep: each acts on one page of one process (not a pair, not in steps), and on a
     * private anonymous page in a state where nothing is in flight it touches only that process's VMA and PTE for the
     * page, the small folio (and swap slot and swap-cache folio) behind that PTE, folios and slots it allocates, the
     * zeropage's counts (which only add up) and references it takes on what it maps; reclaim and MADV_PAGEOUT also
     * unmap the folio from the other PTEs that map it, which any operation on those PTEs names by the same folio. See
     * {@link #footprint}.
     */
    private static final Set<OpTemplate.Kind> SLEEPING = EnumSet.of(OpTemplate.Kind.READ, OpTemplate.Kind.WRITE,
            OpTemplate.Kind.GUP, OpTemplate.Kind.MPROTECT_RO, OpTemplate.Kind.MPROTECT_RW, OpTemplate.Kind.MADV_DONTNEED,
            OpTemplate.Kind.MADV_DONTFORK, OpTemplate.Kind.MADV_DOFORK, OpTemplate.Kind.MADV_PAGEOUT, OpTemplate.Kind.RECLAIM);
    /** GUP requests that never sleep: a walk in steps, /proc/PID/mem's FOLL_FORCE, a driver's reference. */
    private static final int NOT_SLEEPING_GUP = GupFlag.STEPS.bit() | GupFlag.FAST_WALK.bit() | GupFlag.FORCE.bit()
            | GupFlag.DRIVER.bit();

    /** Whether the search is given sleep ids and footprints. */
    public boolean partialOrder() {
        return !sleepTemplates.isEmpty();
    }

    @Override
    public int sleepIds() {
        return sleepTemplates.size() * initial.processes().size() * initial.pageCount();
    }

    /** (template, process, page), numbered in that order; -1 for an operation of a template that cannot sleep. */
    @Override
    public int sleepId(MmState state, Op op) {
        if (sleepTemplates.isEmpty()) return -1;
        int index = sleepIndex(op);
        if (index < 0) return -1;
        return (index * state.processes().size() + op.pid().index()) * state.pageCount() + pageOf(op).index();
    }

    /** The index of the template an operation that can sleep comes from ({@link #sleepTemplates}), or -1. */
    private int sleepIndex(Op op) {
        return switch (op) {
            case Op.Read r -> sleepIndexByKind[OpTemplate.Kind.READ.ordinal()];
            case Op.Write w -> w.steps() || w.value() != OpTemplate.STORED_VALUE ? -1
                    : sleepIndexByKind[OpTemplate.Kind.WRITE.ordinal()];
            case Op.Gup g -> g.label() != 0 || !g.labelName().isEmpty() || g.flags() >= sleepIndexByGupFlags.length ? -1
                    : sleepIndexByGupFlags[g.flags()];
            case Op.Mprotect m -> m.pair() || m.steps() ? -1
                    : sleepIndexByKind[(m.write() ? OpTemplate.Kind.MPROTECT_RW : OpTemplate.Kind.MPROTECT_RO).ordinal()];
            case Op.Reclaim r -> r.steps() ? -1 : sleepIndexByKind[OpTemplate.Kind.RECLAIM.ordinal()];
            case Op.Madvise m -> m.pair() ? -1 : switch (m.advice()) {
                case DONTNEED -> sleepIndexByKind[OpTemplate.Kind.MADV_DONTNEED.ordinal()];
                case DONTFORK -> sleepIndexByKind[OpTemplate.Kind.MADV_DONTFORK.ordinal()];
                case DOFORK -> sleepIndexByKind[OpTemplate.Kind.MADV_DOFORK.ordinal()];
                case PAGEOUT -> sleepIndexByKind[OpTemplate.Kind.MADV_PAGEOUT.ordinal()];
                case MERGEABLE -> -1;
            };
            default -> -1;
        };
    }

    private static Vaddr pageOf(Op op) {
        return switch (op) {
            case Op.Read r -> r.addr();
            case Op.Write w -> w.addr();
            case Op.Gup g -> g.addr();
            case Op.Mprotect m -> m.addr();
            case Op.Madvise m -> m.addr();
            case Op.Reclaim r -> r.addr();
            default -> throw new IllegalArgumentException("not a one-page operation: " + op);
        };
    }

    /**
     * Footprint bits: a process's page (its VMA and PTE there) from 0, four pages a process; a process's mm flags from
     * 16; folios by slot from 20 and swap slots from 41, 21 of each.
     */
    private static final int MM_BITS = 16;
    private static final int FOLIO_BITS = 20;
    private static final int SLOT_BITS = 41;
    private static final int WITH_BITS = 21;

    /**
     * The footprint of an operation that can sleep, on a private anonymous page in a state where no process has an
     * operation in flight, a userfaultfd context or a PMD: the process's page (VMA and PTE); the small folio its PTE
     * maps, or the swap slot its swap entry names, with a swap slot's swap-cache folio and a swap-cache folio's slot;
     * and the process's mm flags for a pin (which sets MMF_HAS_PINNED) and, under a rule plugin, for every operation
     * (the plugin's page view reads the flag). The zeropage is no resource: these operations only add to and take from
     * its counts, and none of their rules reads them; a folio they allocate is new to both orders, and the encoding
     * numbers folios and slots by first reference, not by where they were allocated. Anything else (another kind of
     * VMA or PTE, a large folio, a folio or slot number past 20, a state with something in flight) is {@code -1}: it
     * may depend on any operation.
     */
    @Override
    public long footprint(MmState state, Op op) {
        if (sleepId(state, op) < 0 || !quiet(state)) return -1L;
        return footprint(state, op, pageFootprint(state, op.pid().index(), pageOf(op).index()));
    }

    /** One pass for all of a state's operations: whether it is quiet, and each page's footprint, once. */
    @Override
    public void sleepInfo(MmState state, List<Op> ops, int[] ids, long[] footprints) {
        boolean quiet = !sleepTemplates.isEmpty() && quiet(state);
        long[] pages = null;
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            int id = sleepId(state, op);
            ids[i] = id;
            if (id < 0 || !quiet) {
                footprints[i] = -1L;
                continue;
            }
            if (pages == null) pages = new long[MmState.MAX_PROCESSES * MmState.MAX_PAGES];
            int page = op.pid().index() * MmState.MAX_PAGES + pageOf(op).index();
            if (pages[page] == 0) pages[page] = pageFootprint(state, op.pid().index(), pageOf(op).index());
            footprints[i] = footprint(state, op, pages[page]);
        }
    }

    /** No process has an operation in flight, a userfaultfd context or a PMD. */
    private static boolean quiet(MmState state) {
        for (var p : state.processes()) {
            if (!p.pageWise()) return false;
        }
        return true;
    }

    /** An operation's footprint from its page's: with the process's mm flags for a pin, or for all under a plugin. */
    private long footprint(MmState state, Op op, long page) {
        if (page != -1L && (op instanceof Op.Gup g && g.has(GupFlag.PIN) || !profile.plugins().isEmpty())) {
            return page | 1L << (MM_BITS + op.pid().index());
        }
        return page;
    }

    /** The page's VMA and PTE, and the folio or swap slot behind the PTE; -1 unless a private anonymous VMA. */
    private static long pageFootprint(MmState state, int pid, int page) {
        var process = state.processes().get(pid);
        Vaddr a = new Vaddr(page);
        if (process.vma(a).kind() != VmaKind.ANON_PRIVATE) return -1L;
        long f = 1L << (pid * MmState.MAX_PAGES + page);
        return switch (process.pte(a)) {
            case Pte.None none -> f;
            case Pte.Present present -> withFolio(state, f, present.folio());
            case Pte.Swap swap -> withSlot(state, f, swap.slot().index());
            default -> -1L;
        };
    }

    private static long withFolio(MmState state, long f, FolioId id) {
        if (id.isAnyZero()) return f;
        var folio = state.folio(id);
        if (id.index() >= WITH_BITS || folio.part() != Folio.Part.SMALL) return -1L;
        f |= 1L << (FOLIO_BITS + id.index());
        if (folio.has(FolioFlag.SWAPCACHE)) {
            if (folio.swapSlot() >= WITH_BITS) return -1L;
            f |= 1L << (SLOT_BITS + folio.swapSlot());
        }
        return f;
    }

    private static long withSlot(MmState state, long f, int slot) {
        if (slot >= WITH_BITS) return -1L;
        f |= 1L << (SLOT_BITS + slot);
        for (int i = 0; i < state.folios().size(); i++) {
            var folio = state.folios().get(i);
            if (!folio.isFree() && folio.has(FolioFlag.SWAPCACHE) && folio.swapSlot() == slot) {
                if (i >= WITH_BITS || folio.part() != Folio.Part.SMALL) return -1L;
                f |= 1L << (FOLIO_BITS + i);
            }
        }
        return f;
    }

    /** Whether states are also counted up to a renaming of the pages. */
    public boolean pageSymmetric() {
        return pageSymmetric;
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
     * With symmetry, the detail is the renamed state's, then the renaming ({@link #renamingCode}): decode rebuilds the
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
        // page's signature goes with it under both renamings, and page and process renamings commute). Renamings that
        // only swap two processes or two pages that are the same give the very same state and are left out.
        List<int[]> pageOrders;
        if (pageSymmetric) {
            long[] pageSignature = new long[state.pageCount()];
            for (int a = 0; a < pageSignature.length; a++) pageSignature[a] = state.pageSignature(a);
            pageOrders = sortingRenamings(pageSignature, (a, b) -> samePages(state, a, b));
        } else {
            pageOrders = java.util.Collections.singletonList(null);
        }
        int n = state.processes().size();
        long[] signature = new long[n];
        List<int[]> candidates = new java.util.ArrayList<>(2);
        for (int[] pageTo : pageOrders) {
            for (int p = 0; p < n; p++) signature[p] = state.processSignature(p, pageTo);
            List<int[]> procOrders = !processSymmetric ? List.of(identity(n))
                    : sortingRenamings(signature, (a, b) -> sameProcesses(state, a, b));
            for (int[] procTo : procOrders) {
                candidates.add(procTo);
                candidates.add(pageTo);
            }
        }
        if (candidates.size() == 2) {
            // one renaming: written as it is encoded
            int[] procTo = candidates.get(0);
            int[] pageTo = candidates.get(1);
            state.encode(out, detail, procTo, pageTo);
            if (detail != null) detail.accept(renamingCode(procTo, pageTo));
            return;
        }
        Ints best = new Ints();
        Ints bestDetail = detail == null ? null : new Ints();
        Ints other = new Ints();
        Ints otherDetail = detail == null ? null : new Ints();
        int chosen = -1;
        for (int c = 0; c < candidates.size(); c += 2) {
            other.size = 0;
            if (otherDetail != null) otherDetail.size = 0;
            state.encode(other, otherDetail, candidates.get(c), candidates.get(c + 1));
            if (chosen < 0 || other.compareTo(best) < 0) {
                Ints t = best;
                best = other;
                other = t;
                t = bestDetail;
                bestDetail = otherDetail;
                otherDetail = t;
                chosen = c;
            }
        }
        for (int i = 0; i < best.size; i++) out.accept(best.words[i]);
        if (detail != null) {
            for (int i = 0; i < bestDetail.size; i++) detail.accept(bestDetail.words[i]);
            detail.accept(renamingCode(candidates.get(chosen), candidates.get(chosen + 1)));
        }
    }

    private static int[] identity(int n) {
        int[] to = new int[n];
        for (int i = 0; i < n; i++) to[i] = i;
        return to;
    }

    /**
     * A renaming of processes and of pages (null: the identity) as one int: slot {@code to[i]} of each i in two bits,
     * processes from bit 0, pages from bit 8, and bit 16 set when the pages are renamed.
     */
    private static int renamingCode(int[] procTo, int[] pageTo) {
        int code = 0;
        for (int i = 0; i < procTo.length; i++) code |= procTo[i] << (2 * i);
        if (pageTo != null) {
            code |= 1 << 16;
            for (int i = 0; i < pageTo.length; i++) code |= pageTo[i] << (8 + 2 * i);
        }
        return code;
    }

    private static boolean isIdentity(int[] to) {
        for (int i = 0; i < to.length; i++) {
            if (to[i] != i) return false;
        }
        return true;
    }

    private static int[] renaming(int code, int n) {
        int[] to = new int[n];
        for (int i = 0; i < n; i++) to[i] = (code >>> (2 * i)) & 3;
        return to;
    }

    /** Two things of a state (processes or pages) that a renaming swapping them leaves the state unchanged under. */
    private interface Same {
        boolean test(int a, int b);
    }

    /**
     * The renamings {@code to} (item i goes to slot {@code to[i]}) that leave the signatures in ascending slot order,
     * keeping each pair of {@code same} items in its own order (swapping them would give the same state again): one
     * when the signatures differ. In lexicographic order of {@code from = inverse(to)}.
     */
    static List<int[]> sortingRenamings(long[] signature, Same same) {
        int n = signature.length;
        // the common case, signatures all different: each item goes to its rank
        int[] rank = new int[n];
        boolean tie = false;
        for (int i = 0; i < n && !tie; i++) {
            for (int j = 0; j < n; j++) {
                if (signature[j] < signature[i]) rank[i]++;
                else if (j != i && signature[j] == signature[i]) tie = true;
            }
        }
        if (!tie) return java.util.Collections.singletonList(rank);
        long[] sorted = signature.clone();
        for (int i = 1; i < n; i++) {
            // insertion sort: n is at most four
            long v = sorted[i];
            int j = i - 1;
            for (; j >= 0 && sorted[j] > v; j--) sorted[j + 1] = sorted[j];
            sorted[j + 1] = v;
        }
        List<int[]> out = new java.util.ArrayList<>(1);
        place(signature, sorted, same, new int[n], 0, 0, out);
        return out;
    }

    /** Fills slot {@code k} of {@code to} with each unused item whose signature belongs there; {@code used} a bit set. */
    private static void place(long[] signature, long[] sorted, Same same, int[] to, int k, int used, List<int[]> out) {
        int n = signature.length;
        if (k == n) {
            out.add(to.clone());
            return;
        }
        for (int i = 0; i < n; i++) {
            if ((used & (1 << i)) != 0 || signature[i] != sorted[k]) continue;
            boolean early = false;
            for (int j = 0; j < i && !early; j++) {
                early = (used & (1 << j)) == 0 && signature[j] == signature[i] && same.test(j, i);
            }
            if (early) continue;
            to[i] = k;
            place(signature, sorted, same, to, k + 1, used | (1 << i), out);
        }
    }

    /**
     * Whether pages {@code a} and {@code b} are the same in every process (equal VMAs and PTEs, no GUP reference at
     * either): renaming one into the other gives the very same state.
     */
    private static boolean samePages(MmState state, int a, int b) {
        for (var p : state.processes()) {
            if (!p.vmas().get(a).equals(p.vmas().get(b)) || !p.ptes().get(a).equals(p.ptes().get(b))) return false;
        }
        for (var r : state.refs()) {
            if (r.addr().index() == a || r.addr().index() == b) return false;
        }
        return true;
    }

    /**
     * Whether processes {@code a} and {@code b} are the same (equal, owning no GUP reference, and no data naming either
     * as its writer or one of them alone as a witness): swapping their slots gives the very same state. Two exited
     * processes are, unless one wrote data that outlived it.
     */
    private static boolean sameProcesses(MmState state, int a, int b) {
        if (!state.processes().get(a).equals(state.processes().get(b))) return false;
        for (var r : state.refs()) {
            if (r.owner().index() == a || r.owner().index() == b) return false;
        }
        for (var f : state.folios()) {
            if (!f.isFree() && namesOne(f.data(), a, b)) return false;
        }
        for (var st : state.swap()) {
            if (!st.isFree() && namesOne(st.data(), a, b)) return false;
        }
        for (var d : state.written().values()) {
            if (namesOne(d, a, b)) return false;
        }
        return true;
    }

    private static boolean namesOne(dev.mmcheck.model.state.Data d, int a, int b) {
        return d.writer() == a || d.writer() == b || ((d.witnesses() >>> a) & 1) != ((d.witnesses() >>> b) & 1);
    }

    @Override
    public boolean canDecode() {
        return true;
    }

    @Override
    public MmState decode(int[] words, int from, int to) {
        if (!symmetric()) return MmState.decode(words, from, to);
        int code = words[to - 1];
        MmState renamed = MmState.decode(words, from, to - 1);
        int[] procTo = renaming(code, renamed.processes().size());
        if (!isIdentity(procTo)) renamed = renamed.permuted(MmState.inverse(procTo));
        if ((code & (1 << 16)) != 0) {
            int[] pageTo = renaming(code >>> 8, renamed.pageCount());
            if (!isIdentity(pageTo)) renamed = renamed.pagesPermuted(MmState.inverse(pageTo));
        }
        return renamed;
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
