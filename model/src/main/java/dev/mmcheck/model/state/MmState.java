package dev.mmcheck.model.state;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The whole abstract machine at one instant: processes with their page tables, the folios they map,
 * the swap slots and the outstanding GUP references. Immutable; the rules build successors through
 * {@link dev.mmcheck.model.rules.Kernel}. No search bookkeeping lives here.
 *
 * <p>{@code written} holds the data of file and shmem pages that left the page cache (written back or swapped out),
 * by page-cache index ({@link #SHMEM_FILE} + page for the shmem file): empty until something is evicted.
 *
 * <p>The shared zeropage is not in {@link #folios()}: PTEs and references name it by
 * {@link FolioId#ZERO}; {@link #zeropage()} holds the references and rmaps taken on it (GUP before v6.5,
 * insert_page() before v6.11), so an unbalanced map/unmap shows as a count no reference explains.
 */
public record MmState(ImmutableList<Process> processes, ImmutableList<Folio> folios,
                      ImmutableList<SwapSlotState> swap, ImmutableList<GupRef> refs, ZeropageCounts zeropage,
                      com.google.common.collect.ImmutableSortedMap<Integer, Data> written) {
    /** The page-cache index of the shmem (memfd) file's page {@code a}: a second file, after the regular file's pages. */
    public static final int SHMEM_FILE = 16;

    public MmState(ImmutableList<Process> processes, ImmutableList<Folio> folios, ImmutableList<SwapSlotState> swap,
                   ImmutableList<GupRef> refs, ZeropageCounts zeropage) {
        this(processes, folios, swap, refs, zeropage, com.google.common.collect.ImmutableSortedMap.of());
    }

    public static final int MAX_PROCESSES = 4;
    public static final int MAX_PAGES = 4;

    /** {@code processes} slots of which only P0 is alive, with {@code pages} unmapped virtual pages each. */
    public static MmState initial(int processes, int pages) {
        if (processes < 1 || processes > MAX_PROCESSES) {
            throw new IllegalArgumentException("processes must be 1.." + MAX_PROCESSES + ", got " + processes);
        }
        if (pages < 1 || pages > MAX_PAGES) {
            throw new IllegalArgumentException("pages must be 1.." + MAX_PAGES + ", got " + pages);
        }
        ImmutableList.Builder<Process> ps = ImmutableList.builder();
        for (int i = 0; i < processes; i++) {
            Process dead = Process.dead(pages);
            ps.add(i == 0 ? new Process(true, false, false, dead.vmas(), dead.ptes()) : dead);
        }
        return new MmState(ps.build(), ImmutableList.of(), ImmutableList.of(), ImmutableList.of(), ZeropageCounts.NONE);
    }

    /**
     * This state with the processes renamed: process slot i becomes slot {@code to[i]} ({@code to} a permutation of
     * the slots), with every name of a process moved with it (GUP reference owners, the writer and witnesses of all
     * data). Folio and slot numbers are kept. The symmetry reduction of an exploration encodes states up to this
     * renaming (see {@code Exploration}).
     */
    public MmState permuted(int[] to) {
        Process[] ps = new Process[processes.size()];
        for (int i = 0; i < ps.length; i++) ps[to[i]] = processes.get(i);
        ImmutableList.Builder<Folio> fs = ImmutableList.builderWithExpectedSize(folios.size());
        for (Folio f : folios) fs.add(f.isFree() ? f : f.withData(f.data().renamed(to)));
        ImmutableList.Builder<SwapSlotState> ss = ImmutableList.builderWithExpectedSize(swap.size());
        for (SwapSlotState st : swap) ss.add(st.isFree() ? st : st.withData(st.data().renamed(to)));
        List<GupRef> rs = new ArrayList<>(refs.size());
        for (GupRef r : refs) {
            rs.add(new GupRef(new Pid(to[r.owner().index()]), r.addr(), r.flags(), r.folio(), r.detached(), r.label()));
        }
        java.util.Collections.sort(rs);
        var w = written;
        if (!w.isEmpty()) {
            var b = com.google.common.collect.ImmutableSortedMap.<Integer, Data>naturalOrder();
            for (var e : w.entrySet()) b.put(e.getKey(), e.getValue().renamed(to));
            w = b.build();
        }
        return new MmState(ImmutableList.copyOf(ps), fs.build(), ss.build(), ImmutableList.copyOf(rs), zeropage, w);
    }

    /**
     * This state with the pages renamed: page i of every process becomes page {@code to[i]} ({@code to} a permutation
     * of the pages), its VMA and PTE moved with it and every GUP reference's address renamed. Folios, swap slots and
     * file indices are kept (a page's data goes with its folio). Null for a state that holds what this does not
     * rename: a PMD (which maps a pair of pages), a userfaultfd context or an operation in flight. The symmetry
     * reduction of an exploration with interchangeable pages encodes states up to this renaming (see
     * {@code Exploration}).
     */
    public MmState pagesPermuted(int[] to) {
        Process[] ps = new Process[processes.size()];
        for (int i = 0; i < ps.length; i++) {
            Process p = processes.get(i);
            if (!p.pageWise()) return null;
            Vma[] vmas = new Vma[to.length];
            Pte[] ptes = new Pte[to.length];
            for (int a = 0; a < to.length; a++) {
                vmas[to[a]] = p.vmas().get(a);
                ptes[to[a]] = p.ptes().get(a);
            }
            ps[i] = new Process(p.alive(), p.hasPinned(), p.forbidsZeropage(), ImmutableList.copyOf(vmas),
                    ImmutableList.copyOf(ptes), p.pmds(), p.uffd(), p.extras());
        }
        List<GupRef> rs = new ArrayList<>(refs.size());
        for (GupRef r : refs) {
            rs.add(new GupRef(r.owner(), new Vaddr(to[r.addr().index()]), r.flags(), r.folio(), r.detached(), r.label()));
        }
        java.util.Collections.sort(rs);
        return new MmState(ImmutableList.copyOf(ps), folios, swap, ImmutableList.copyOf(rs), zeropage, written);
    }

    public int pageCount() {
        return processes.get(0).ptes().size();
    }

    public Process process(Pid p) {
        return processes.get(p.index());
    }

    public Folio folio(FolioId f) {
        if (f.isAnyZero()) throw new IllegalArgumentException("the zeropage has no tracked folio state");
        return folios.get(f.index());
    }

    public SwapSlotState slot(SwapSlot s) {
        return swap.get(s.index());
    }

    public int aliveMask() {
        int m = 0;
        for (int i = 0; i < processes.size(); i++) {
            if (processes.get(i).alive()) m |= 1 << i;
        }
        return m;
    }

    /**
     * The folio a process would see at an address: the one its present PTE or PMD maps, the swapcache folio its swap
     * PTE would fault back in, or the page a migration or device entry names. Null if nothing would be found without
     * allocating.
     */
    public FolioId folioAt(Pid p, Vaddr a) {
        Pmd pmd = process(p).pmd(a);
        if (pmd instanceof Pmd.Huge h) return subpage(h.folio(), a);
        // an access would wait for the migration and then find the page the entry names (or its successor)
        if (pmd instanceof Pmd.Migration m) return subpage(m.folio(), a);
        Pte pte = process(p).pte(a);
        if (pte instanceof Pte.Present pr) return pr.folio();
        if (pte instanceof Pte.Migration m) return m.page();
        if (pte instanceof Pte.DeviceExclusive d) return d.page();
        if (pte instanceof Pte.DevicePrivate d) return d.page();
        // a poisoned page: the access is SIGBUS, but the entry still names the page the mapping had
        if (pte instanceof Pte.Hwpoison h) return h.page();
        if (pte instanceof Pte.Swap sw) {
            int c = slot(sw.slot()).cache();
            return c >= 0 ? new FolioId(c) : null;
        }
        return null;
    }

    /** What a read by {@code p} at {@code a} would return, or null if the page is not mapped or not populated. */
    public Data dataAt(Pid p, Vaddr a) {
        Pmd pmd = process(p).pmd(a);
        if (pmd instanceof Pmd.Huge h) return dataOf(subpage(h.folio(), a));
        if (pmd instanceof Pmd.Migration m) return dataOf(subpage(m.folio(), a));
        Pte pte = process(p).pte(a);
        if (pte instanceof Pte.Present pr) return dataOf(pr.folio());
        if (pte instanceof Pte.Migration m) return dataOf(m.page());
        if (pte instanceof Pte.DevicePrivate d) return dataOf(d.page());
        if (pte instanceof Pte.DeviceExclusive d) return dataOf(d.page());
        if (pte instanceof Pte.Swap sw) {
            SwapSlotState s = slot(sw.slot());
            return s.cache() >= 0 ? folios.get(s.cache()).data() : s.data();
        }
        return null;
    }

    public Data dataOf(FolioId f) {
        return f.isAnyZero() ? Data.INITIAL : folio(f).data();
    }

    /** The subpage of the large folio with head {@code head} that a PMD maps at {@code a} (the huge zeropage is one page). */
    public static FolioId subpage(FolioId head, Vaddr a) {
        return head.isAnyZero() ? head : new FolioId(head.index() + a.index() % 2);
    }

    /**
     * Sorts ascending by insertion: a state holds a handful of references, for which Arrays.sort's general
     * machinery cost more than the sorting (3.5% of a search's time in a profile).
     */
    private static void sortSmall(long[] a) {
        if (a.length > 32) {
            java.util.Arrays.sort(a);
            return;
        }
        for (int i = 1; i < a.length; i++) {
            long x = a[i];
            int j = i - 1;
            while (j >= 0 && a[j] > x) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = x;
        }
    }

    /** The head of the folio a slot belongs to (itself for a small folio or a head). */
    public FolioId head(FolioId f) {
        return !f.isAnyZero() && folio(f).part().tail() ? new FolioId(f.index() - 1) : f;
    }

    /**
     * Writes the canonical encoding of this state: equal encodings iff the states are equal up to the
     * numbering of folios and swap slots. Those numbers are not observable (the kernel's are physical
     * addresses), so folios and slots are renumbered in order of first reference: page tables in process
     * and page order, then GUP references, then the remaining folios (pagecache, unmapped swapcache) and
     * slots in slot order. Every field is written in a fixed order with fixed widths; list lengths first.
     */
    public void encode(IntConsumer out) {
        encode(out, null);
    }

    /**
     * Writes the canonical encoding to {@code out} and, when {@code detail} is not null, what {@link #decode} needs
     * beyond it to rebuild exactly this state (not only one with the same encoding): the slot each canonical folio and
     * swap-slot number has here, the length of both lists (so the free slots come back where they were), the stale
     * data of free swap slots, and the page a GUP-fast walk or an hmm mirror read before it was freed. The detail ends
     * with its own length, so that a decoder finds it from the end.
     */
    public void encode(IntConsumer out, IntConsumer detail) {
        encode(out, detail, null, null);
    }

    /**
     * Writes what {@code permuted(procTo).pagesPermuted(pageTo).encode(out, detail)} writes, without building that
     * state (a null renaming is the identity): the symmetry reduction encodes each successor this way, under the
     * renamings it tries. {@code SymmetryTest} checks the two agree.
     *
     * @throws IllegalStateException if {@code pageTo} is given for a state {@link #pagesPermuted} refuses
     */
    public void encode(IntConsumer out, IntConsumer detail, int[] procTo, int[] pageTo) {
        int n = processes.size();
        int pages = pageCount();
        int[] procFrom = procTo == null ? null : inverse(procTo);
        int[] pageFrom = pageTo == null ? null : inverse(pageTo);
        if (pageTo != null) {
            for (Process p : processes) {
                if (!p.pageWise()) {
                    throw new IllegalStateException("a page renaming of a state with a PMD, a userfaultfd context or an "
                            + "operation in flight: " + this);
                }
            }
        }
        int[] folioNo = new int[folios.size()];
        int[] slotNo = new int[swap.size()];
        java.util.Arrays.fill(folioNo, -1);
        java.util.Arrays.fill(slotNo, -1);
        int[] next = {0, 0};
        for (int slot = 0; slot < n; slot++) {
            Process p = processes.get(procFrom == null ? slot : procFrom[slot]);
            for (Pmd pmd : p.pmds()) {
                FolioId f = pmd instanceof Pmd.Huge h ? h.folio() : pmd instanceof Pmd.Migration m ? m.folio() : null;
                if (f != null && !f.isAnyZero()) numberFolio(f.index(), folioNo, slotNo, next);
            }
            for (int b = 0; b < pages; b++) {
                Pte pte = p.ptes().get(pageFrom == null ? b : pageFrom[b]);
                FolioId f = pageOf(pte);
                if (f != null && !f.isAnyZero()) numberFolio(f.index(), folioNo, slotNo, next);
                if (pte instanceof Pte.Swap sw) numberSlot(sw.slot().index(), folioNo, slotNo, next);
            }
        }
        // Folios no PTE reaches (held only by GUP references, the page cache or the swapcache) are numbered
        // by a signature that does not depend on folio numbers: their own fields, their slot's, and the
        // references that hold them. Folios with equal signatures are interchangeable.
        List<Integer> rest = new ArrayList<>();
        for (int i = 0; i < folios.size(); i++) {
            if (folioNo[i] < 0 && !folios.get(i).isFree()) rest.add(i);
        }
        if (!rest.isEmpty()) {
            Map<Integer, int[]> signature = new HashMap<>();
            for (int i : rest) signature.put(i, signature(i, procTo, pageTo));
            rest.sort((x, y) -> java.util.Arrays.compare(signature.get(x), signature.get(y)));
            for (int i : rest) numberFolio(i, folioNo, slotNo, next);
        }
        for (int i = 0; i < swap.size(); i++) {
            if (slotNo[i] < 0 && !swap.get(i).isFree()) numberSlot(i, folioNo, slotNo, next);
        }
        out.accept(n);
        out.accept(pages);
        int[] freed = NO_FREED;
        for (int slot = 0; slot < n; slot++) {
            Process p = processes.get(procFrom == null ? slot : procFrom[slot]);
            boolean pmds = p.anyPmd();
            boolean uffd = !p.uffd().equals(UffdState.NONE);
            // most processes have no extras: one identity test instead of nine
            boolean some = p.extras() != Process.Extras.NONE;
            boolean loop = some && p.gupLoop().active();
            boolean userptr = some && p.userptr().exists();
            boolean walk = some && p.fastWalk().active();
            boolean forking = some && p.forkStep().active();
            boolean collapsing = some && p.collapseStep().active();
            boolean unmapping = some && p.unmapStep().active();
            boolean reusing = some && p.reuseStep().active();
            boolean splitting = some && p.splitStep().active();
            boolean hmm = some && p.hmm().exists();
            out.accept((p.alive() ? 1 : 0) | (p.hasPinned() ? 2 : 0) | (p.forbidsZeropage() ? 4 : 0) | (pmds ? 8 : 0) | (uffd ? 16 : 0)
                    | (loop ? 32 : 0) | (userptr ? 64 : 0) | (walk ? 128 : 0) | (forking ? 256 : 0) | (collapsing ? 512 : 0) | (unmapping ? 1024 : 0)
                    | (reusing ? 2048 : 0) | (splitting ? 4096 : 0) | (hmm ? 8192 : 0));
            if (uffd) {
                out.accept(p.uffd().features() | (p.uffd().intent() << 8) | (p.uffd().pending() << 16) | (p.uffd().leaked() << 24));
            }
            if (loop) out.accept(p.gupLoop().encoded());
            if (userptr) out.accept(p.userptr().encoded());
            if (walk) {
                out.accept(p.fastWalk().encoded());
                Pte seen = p.fastWalk().seen();
                if (seen instanceof Pte.Present sp && !sp.folio().isZero()
                        && (sp.folio().index() >= folioNo.length || folioNo[sp.folio().index()] < 0)) {
                    // the page the walk read has been freed since (and maybe dropped from the list): its PTE bits, then
                    // a mark that is neither a folio number nor the zeropage's -1
                    // (the kind bit left out, the zero-ref and uffd-wp bits in the detail)
                    int bits = StateWords.present(sp);
                    out.accept(0x100 | (bits & (4 | 8 | 16 | 32)));
                    out.accept(-3);
                    freed = addFreed(freed, sp.folio().index(), bits & (64 | 128));
                } else if (seen != null) {
                    encodePte(seen, out, folioNo, slotNo);
                }
            }
            if (forking) out.accept(p.forkStep().encoded());
            if (collapsing) out.accept(p.collapseStep().base().index());
            if (unmapping) out.accept(p.unmapStep().encoded());
            if (reusing) out.accept(p.reuseStep().encoded());
            if (splitting) out.accept(p.splitStep().base().index());
            if (hmm) {
                out.accept(p.hmm().encoded());
                FolioId seen = p.hmm().seen();
                // the page may have been freed since (no pin holds it): -3, neither a folio number nor the zeropage's -1
                if (seen != null) {
                    boolean gone = !seen.isAnyZero() && (seen.index() >= folioNo.length || folioNo[seen.index()] < 0);
                    out.accept(seen.isAnyZero() ? -10 + seen.index() : gone ? -3 : folioNo[seen.index()]);
                    if (gone) freed = addFreed(freed, seen.index(), 0);
                }
            }
            if (pmds) {
                for (Pmd pmd : p.pmds()) {
                    switch (pmd) {
                        case Pmd.None none -> out.accept(0);
                        case Pmd.Huge h -> {
                            out.accept(StateWords.hugePmd(h));
                            out.accept(h.folio().isAnyZero() ? h.folio().index() : folioNo[h.folio().index()]);
                        }
                        case Pmd.Migration m -> {
                            out.accept(StateWords.migrationPmd(m));
                            out.accept(folioNo[m.folio().index()]);
                        }
                    }
                }
            }
            for (int b = 0; b < pages; b++) out.accept(StateWords.vma(p.vmas().get(pageFrom == null ? b : pageFrom[b])));
            // An instanceof chain, most frequent kinds first: cheaper than a pattern switch on this hot path.
            for (int b = 0; b < pages; b++) encodePte(p.ptes().get(pageFrom == null ? b : pageFrom[b]), out, folioNo, slotNo);
        }
        Folio[] byNo = new Folio[next[0]];
        for (int i = 0; i < folios.size(); i++) {
            if (folioNo[i] >= 0) byNo[folioNo[i]] = folios.get(i);
        }
        out.accept(byNo.length);
        for (Folio f : byNo) {
            out.accept(f.kind().ordinal() | (f.flags() << 4) | (f.part().ordinal() << 12));
            if (f.part().head()) {
                out.accept(f.pincount());
                out.accept(f.entireMapcount());
            }
            out.accept(f.refcount());
            out.accept(f.mapcount());
            out.accept(f.isFree() ? f.data().encode() : f.data().encode(procTo));
            out.accept(f.swapSlot() < 0 ? -1 : slotNo[f.swapSlot()]);
            out.accept(f.fileIndex());
        }
        SwapSlotState[] slotsByNo = new SwapSlotState[next[1]];
        for (int i = 0; i < swap.size(); i++) {
            if (slotNo[i] >= 0) slotsByNo[slotNo[i]] = swap.get(i);
        }
        out.accept(slotsByNo.length);
        for (SwapSlotState st : slotsByNo) {
            out.accept(st.swapCount());
            out.accept(st.isFree() ? st.data().encode() : st.data().encode(procTo));
            out.accept(st.cache() < 0 ? -1 : folioNo[st.cache()]);
        }
        // References are sorted by owner, label, address, flags, then folio number; re-sort by canonical number.
        long[] keys = new long[refs.size()];
        for (int i = 0; i < refs.size(); i++) {
            GupRef r = refs.get(i);
            int head = refHead(r, procTo, pageTo);
            int folio = r.folio().isAnyZero() ? r.folio().index() + 1 : folioNo[r.folio().index()] + 1;
            // the huge zeropage's -1 kept to 16 bits: sign-extended it would cover the whole key
            keys[i] = ((long) r.label() << 48) | ((long) head << 16) | (folio & 0xffff);
        }
        sortSmall(keys);
        out.accept(keys.length);
        for (long key : keys) {
            out.accept((int) (key >>> 32));
            out.accept((int) key);
        }
        out.accept(zeropage.refcount());
        out.accept(zeropage.mapcount());
        if (!written.isEmpty()) {
            out.accept(written.size());
            for (var e : written.entrySet()) {
                out.accept(e.getKey());
                out.accept(e.getValue().encode(procTo));
            }
        }
        if (detail != null) writeDetail(detail, folioNo, slotNo, next, freed);
    }

    private static final int[] NO_FREED = {0};

    /** Appends a freed page's slot and the PTE bits the encoding left out: {@code freed[0]} counts the pairs. */
    private static int[] addFreed(int[] freed, int index, int bits) {
        int[] f = java.util.Arrays.copyOf(freed, freed.length + 2);
        f[0]++;
        f[freed.length] = index;
        f[freed.length + 1] = bits;
        return f;
    }

    private void writeDetail(IntConsumer detail, int[] folioNo, int[] slotNo, int[] next, int[] freed) {
        int words = writeSlots(detail, folios.size(), folioNo, next[0]) + writeSlots(detail, swap.size(), slotNo, next[1]);
        // a freed swap slot keeps the data last written to it
        for (int i = 0; i < swap.size(); i++) {
            if (slotNo[i] < 0) {
                detail.accept(swap.get(i).data().encode());
                words++;
            }
        }
        for (int v : freed) detail.accept(v);
        words += freed.length;
        detail.accept(words);
    }

    /** A list's length, the count of canonical numbers, then the slot each number stands for; returns the words written. */
    private static int writeSlots(IntConsumer detail, int size, int[] numberOf, int numbers) {
        detail.accept(size);
        detail.accept(numbers);
        int[] slotOf = new int[numbers];
        for (int i = 0; i < numberOf.length; i++) {
            if (numberOf[i] >= 0) slotOf[numberOf[i]] = i;
        }
        for (int i : slotOf) detail.accept(i);
        return 2 + numbers;
    }

    /**
     * The state whose {@link #encode(IntConsumer, IntConsumer) encoding and detail} are {@code words[from, to)}: equal
     * to the state that was encoded, folio and slot numbers included.
     *
     * @throws IllegalArgumentException if the words are not an encoding followed by its detail
     */
    public static MmState decode(int[] words, int from, int to) {
        return new MmStateDecoder(words, from, to).state();
    }

    /**
     * A folio's fields, its slot's and the keys of the references that hold it, as ints: equal iff the folios are
     * interchangeable. Every variable-length part is preceded by its length (or a presence flag).
     */
    private int[] signature(int folio, int[] procTo, int[] pageTo) {
        Folio f = folios.get(folio);
        int holders = 0;
        for (GupRef r : refs) {
            if (r.folio().index() == folio) holders++;
        }
        int[] sig = new int[12 + holders];
        int n = 0;
        sig[n++] = f.kind().ordinal();
        sig[n++] = f.flags();
        sig[n++] = f.part().ordinal();
        sig[n++] = f.pincount();
        sig[n++] = f.entireMapcount();
        sig[n++] = f.refcount();
        sig[n++] = f.mapcount();
        sig[n++] = f.isFree() ? f.data().encode() : f.data().encode(procTo);
        sig[n++] = f.fileIndex();
        if (f.swapSlot() >= 0) {
            SwapSlotState st = swap.get(f.swapSlot());
            sig[n++] = 1;
            sig[n++] = st.swapCount();
            sig[n++] = st.isFree() ? st.data().encode() : st.data().encode(procTo);
        } else {
            sig[n++] = 0;
            sig[n++] = 0;
            sig[n++] = 0;
        }
        int from = n;
        for (GupRef r : refs) {
            if (r.folio().index() == folio) sig[n++] = refKey(r, procTo, pageTo);
        }
        java.util.Arrays.sort(sig, from, n);
        return sig;
    }

    private static int refKey(GupRef r, int[] procTo, int[] pageTo) {
        return refHead(r, procTo, pageTo) | (r.label() << 17);
    }

    /** A reference's {@link StateWords#refHead head} with its owner and address renamed (null: the identity). */
    private static int refHead(GupRef r, int[] procTo, int[] pageTo) {
        int owner = procTo == null ? r.owner().index() : procTo[r.owner().index()];
        int addr = pageTo == null ? r.addr().index() : pageTo[r.addr().index()];
        return StateWords.refHead(owner, addr, r);
    }

    /**
     * Numbers a folio, then the swap slot it caches: a folio and its slot are always numbered together. The
     * subpages of a large folio are numbered head first, consecutively, so that the canonical numbering keeps a
     * tail right after its head.
     */
    private void numberFolio(int folio, int[] folioNo, int[] slotNo, int[] next) {
        if (folioNo[folio] >= 0) return;
        Folio f = folios.get(folio);
        if (f.part().tail()) {
            numberFolio(folio - 1, folioNo, slotNo, next);
            return;
        }
        folioNo[folio] = next[0]++;
        if (f.part().head()) folioNo[folio + 1] = next[0]++;
        int slot = f.swapSlot();
        if (slot >= 0) numberSlot(slot, folioNo, slotNo, next);
        if (f.part().head()) {
            int tailSlot = folios.get(folio + 1).swapSlot();
            if (tailSlot >= 0) numberSlot(tailSlot, folioNo, slotNo, next);
        }
    }

    /** The page a PTE names, present or not (null for none and swap entries). */
    public static FolioId pageOf(Pte pte) {
        if (pte instanceof Pte.Present pr) return pr.folio();
        if (pte instanceof Pte.None || pte instanceof Pte.Swap || pte instanceof Pte.UffdMarker) return null;
        if (pte instanceof Pte.Migration m) return m.page();
        if (pte instanceof Pte.DevicePrivate d) return d.page();
        if (pte instanceof Pte.DeviceExclusive d) return d.page();
        if (pte instanceof Pte.Hwpoison h) return h.page();
        throw new IllegalStateException("unknown PTE " + pte);
    }

    /** Numbers a swap slot, then its swapcache folio. */
    private void numberSlot(int slot, int[] folioNo, int[] slotNo, int[] next) {
        if (slotNo[slot] >= 0) return;
        slotNo[slot] = next[1]++;
        int cache = swap.get(slot).cache();
        if (cache >= 0) numberFolio(cache, folioNo, slotNo, next);
    }

    /**
     * What a renaming of processes carries along with process {@code p} and cannot change: its flags, how many GUP
     * references it owns and, if it is alive, its userfaultfd context, VMAs and the kinds and bits of its PMDs and PTEs
     * (whether one maps a zeropage, never which folio or swap slot); never a folio, slot or process number. So process
     * {@code p} here and process {@code to[p]} of {@link #permuted permuted(to)} have the same signature. Symmetry reduction orders
     * processes by it and tries only the renamings that leave the signatures in order. A hash: equal signatures of
     * different processes only cost that reduction more renamings to try.
     */
    public long processSignature(int p) {
        return processSignature(p, null);
    }

    /** {@link #processSignature(int)} of process {@code p} in {@code pagesPermuted(pageTo)} (null: the identity). */
    public long processSignature(int p, int[] pageTo) {
        Process proc = processes.get(p);
        long h = (proc.alive() ? 1 : 0) | (proc.hasPinned() ? 2 : 0) | (proc.forbidsZeropage() ? 4 : 0)
                | (proc.extras() != Process.Extras.NONE ? 8 : 0);
        int owned = 0;
        for (GupRef r : refs) {
            if (r.owner().index() == p) owned++;
        }
        // an exited process's slot holds no mapping (exit resets it): its flags and references say all
        if (!proc.alive()) return mix(h, owned);
        int[] pageFrom = pageTo == null ? null : inverse(pageTo);
        UffdState u = proc.uffd();
        h = mix(h, u.features() | (u.intent() << 8) | (u.pending() << 16) | (u.leaked() << 24));
        int pages = proc.vmas().size();
        for (int b = 0; b < pages; b++) h = mix(h, StateWords.vma(proc.vmas().get(pageFrom == null ? b : pageFrom[b])));
        for (Pmd pmd : proc.pmds()) {
            h = mix(h, switch (pmd) {
                case Pmd.None n -> 0;
                case Pmd.Huge hp -> StateWords.hugePmd(hp) | (hp.folio().isAnyZero() ? 64 : 0);
                case Pmd.Migration m -> StateWords.migrationPmd(m);
            });
        }
        for (int b = 0; b < pages; b++) h = mix(h, signatureWord(proc.ptes().get(pageFrom == null ? b : pageFrom[b])));
        return mix(h, owned);
    }

    /** A PTE's kind and bits, and whether it maps a zeropage; never which folio or swap slot. */
    private static int signatureWord(Pte pte) {
        return switch (pte) {
            case Pte.None n -> 0;
            case Pte.Present pr -> StateWords.present(pr) | (pr.folio().isZero() ? 256 : pr.folio().isHugeZero() ? 512 : 0);
            case Pte.Swap sw -> StateWords.swap(sw);
            case Pte.Migration m -> StateWords.migration(m);
            case Pte.DevicePrivate d -> StateWords.devicePrivate(d);
            case Pte.DeviceExclusive d -> StateWords.deviceExclusive(d);
            case Pte.Hwpoison hw -> StateWords.PTE_HWPOISON;
            case Pte.UffdMarker m -> StateWords.PTE_MARKER;
        };
    }

    /**
     * What a renaming of pages or of processes carries along with page {@code a} and cannot change: for each live
     * process (summed, so in no order) its VMA and PTE at {@code a} (kinds and bits, never a folio or slot), and the
     * flags of the GUP references at {@code a}, whoever owns them. So page {@code a} here, page {@code to[a]} of
     * {@link #pagesPermuted pagesPermuted(to)} and page {@code a} of any {@link #permuted} have the same signature. The symmetry reduction over pages tries only the page renamings that leave the signatures in order.
     */
    public long pageSignature(int a) {
        long h = 0;
        for (Process proc : processes) {
            if (proc.alive()) h += mix(StateWords.vma(proc.vmas().get(a)), signatureWord(proc.ptes().get(a)));
        }
        for (GupRef r : refs) {
            if (r.addr().index() == a) h += mix(2, r.flags());
        }
        return h;
    }

    /** The renaming that undoes {@code to}. */
    public static int[] inverse(int[] to) {
        int[] back = new int[to.length];
        for (int i = 0; i < to.length; i++) back[to[i]] = i;
        return back;
    }

    private static long mix(long h, int v) {
        return (h ^ v) * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
    }

    /**
     * One PTE's words: its kind and bits ({@link StateWords}), then the folio (by the state's numbering; -1 for the
     * zeropage) or the slot.
     */
    private static void encodePte(Pte pte, IntConsumer out, int[] folioNo, int[] slotNo) {
        if (pte instanceof Pte.None) {
            out.accept(0);
        } else if (pte instanceof Pte.Present pr) {
            out.accept(StateWords.present(pr));
            out.accept(pr.folio().isZero() ? -1 : folioNo[pr.folio().index()]);
        } else if (pte instanceof Pte.Swap sw) {
            out.accept(StateWords.swap(sw));
            out.accept(slotNo[sw.slot().index()]);
        } else if (pte instanceof Pte.Migration m) {
            out.accept(StateWords.migration(m));
            out.accept(folioNo[m.page().index()]);
        } else if (pte instanceof Pte.DevicePrivate d) {
            out.accept(StateWords.devicePrivate(d));
            out.accept(folioNo[d.page().index()]);
        } else if (pte instanceof Pte.DeviceExclusive d) {
            out.accept(StateWords.deviceExclusive(d));
            out.accept(folioNo[d.page().index()]);
        } else if (pte instanceof Pte.Hwpoison h) {
            out.accept(StateWords.PTE_HWPOISON);
            out.accept(folioNo[h.page().index()]);
        } else if (pte instanceof Pte.UffdMarker) {
            out.accept(StateWords.PTE_MARKER);
        } else {
            throw new IllegalStateException("unknown PTE " + pte);
        }
    }
}
