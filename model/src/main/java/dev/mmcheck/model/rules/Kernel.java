package dev.mmcheck.model.rules;

import com.google.common.collect.ImmutableList;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.state.Data;
import dev.mmcheck.model.state.Folio;
import dev.mmcheck.model.state.FolioFlag;
import dev.mmcheck.model.state.FolioId;
import dev.mmcheck.model.state.FolioKind;
import dev.mmcheck.model.state.GupRef;
import dev.mmcheck.model.state.MmState;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Pmd;
import dev.mmcheck.model.state.Process;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.SwapSlot;
import dev.mmcheck.model.state.SwapSlotState;
import dev.mmcheck.model.state.Vaddr;
import dev.mmcheck.model.state.Vma;
import dev.mmcheck.model.state.MmState;
import dev.mmcheck.model.state.ZeropageCounts;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The machine while one operation runs: a mutable working copy of an {@link MmState} that the rule
 * classes change, plus the list of kernel functions the operation went through. {@link #commit()}
 * freezes it into the successor state. One instance per transition; never shared.
 */
public final class Kernel {
    final Profile profile;
    /**
     * Whether the kernel path is recorded. The search runs without it (the path is only read when a trace is
     * replayed for a report), so the rules build their path strings only {@code if (k.trace)}.
     */
    final boolean trace;
    /**
     * What the first step of a write fault split into steps read of the subpages' mapcounts (a {@code ReuseStep}), for
     * reuse_swap_page() in its second step to use instead of reading them again; null otherwise. Consumed once.
     */
    Integer subpageMapcountRead;
    /**
     * What the check of a KSM merge or a migration split into steps found when it ran before the PTE clear was visible
     * (before v6.1; {@code UnmapStep.refused()}): true if it refused the page; null when the check runs now. Consumed
     * once, by the first write_protect_page() or try_to_migrate_one().
     */
    Boolean earlyCheckRefused;
    private final MmState before;
    // Copy-on-write views of the state's lists: what an operation does not touch is neither copied nor rebuilt.
    private final CowList<Process> processes;
    private final CowList<Folio> folios;
    private final CowList<SwapSlotState> swap;
    private final CowList<GupRef> refs;
    private ZeropageCounts zeropage;
    /** Null until the first change; reads go to {@code before.written()} until then. */
    private java.util.TreeMap<Integer, Data> written;
    private final List<String> path;

    Kernel(MmState s, Profile profile) {
        this(s, profile, true);
    }

    Kernel(MmState s, Profile profile, boolean trace) {
        this.profile = profile;
        this.trace = trace;
        this.before = s;
        this.processes = new CowList<>(s.processes());
        this.folios = new CowList<>(s.folios());
        this.swap = new CowList<>(s.swap());
        this.refs = new CowList<>(s.refs());
        this.zeropage = s.zeropage();
        this.path = trace ? new ArrayList<>() : List.of();
    }

    /** Records that the operation went through a kernel function (or took a named branch in one). */
    void call(String fn) {
        if (trace) path.add(fn);
    }

    List<String> path() {
        return path;
    }

    MmState commit() {
        trimTail(folios, Folio::isFree);
        trimTail(swap, SwapSlotState::isFree);
        ImmutableList<GupRef> sortedRefs;
        if (refs.changed()) {
            List<GupRef> sorted = new ArrayList<>(refs);
            Collections.sort(sorted);
            sortedRefs = ImmutableList.copyOf(sorted);
            if (sortedRefs.equals(before.refs())) sortedRefs = before.refs();
        } else {
            sortedRefs = before.refs();
        }
        ImmutableList<Process> ps = processes.freeze();
        ImmutableList<Folio> fs = folios.freeze();
        ImmutableList<SwapSlotState> ss = swap.freeze();
        var w = written == null ? before.written() : com.google.common.collect.ImmutableSortedMap.copyOf(written);
        if (ps == before.processes() && fs == before.folios() && ss == before.swap() && sortedRefs == before.refs()
                && zeropage.equals(before.zeropage()) && w == before.written()) {
            return before;
        }
        return new MmState(ps, fs, ss, sortedRefs, zeropage, w);
    }

    private java.util.SortedMap<Integer, Data> written() {
        return written != null ? written : before.written();
    }

    private static <T> void trimTail(List<T> l, java.util.function.Predicate<T> free) {
        while (!l.isEmpty() && free.test(l.get(l.size() - 1))) {
            l.remove(l.size() - 1);
        }
    }

    // ---- processes, VMAs and PTEs

    int processCount() {
        return processes.size();
    }

    Process process(Pid p) {
        return processes.get(p.index());
    }

    void setProcess(Pid p, Process proc) {
        processes.set(p.index(), proc);
    }

    int pageCount() {
        return processes.get(0).ptes().size();
    }

    int aliveMask() {
        int m = 0;
        for (int i = 0; i < processes.size(); i++) {
            if (processes.get(i).alive()) m |= 1 << i;
        }
        return m;
    }

    Vma vma(Pid p, Vaddr a) {
        return process(p).vma(a);
    }

    void setVma(Pid p, Vaddr a, Vma v) {
        Process proc = process(p);
        if (v.equals(proc.vmas().get(a.index()))) return;
        List<Vma> vmas = new ArrayList<>(proc.vmas());
        vmas.set(a.index(), v);
        setProcess(p, proc.withVmas(ImmutableList.copyOf(vmas)));
    }

    Pte pte(Pid p, Vaddr a) {
        return process(p).pte(a);
    }

    void setPte(Pid p, Vaddr a, Pte pte) {
        if (!profile.hasSoftDirty()) pte = withoutSoftDirty(pte);
        // Without CONFIG_ARCH_HAS_PTE_SPECIAL pte_mkspecial() is a no-op: the PTE has no special bit.
        if (!profile.hasPteSpecial() && pte instanceof Pte.Present pr && pr.special()) pte = pr.withoutSpecial();
        // mmu_notifier_invalidate_range_start(): a driver subscribed to this range hears of the change first
        if (process(p).userptr().exists()) I915Userptr.invalidate(this, p, a, process(p).pte(a), pte);
        if (process(p).hmm().exists()) Hmm.invalidate(this, p, a, process(p).pte(a), pte);
        Process proc = process(p);
        if (pte.equals(proc.ptes().get(a.index()))) return; // no change: the process, and the state, stay the same objects
        List<Pte> ptes = new ArrayList<>(proc.ptes());
        ptes.set(a.index(), pte);
        setProcess(p, proc.withPtes(ImmutableList.copyOf(ptes)));
    }

    /** On an arch without soft-dirty tracking the PTE has no soft-dirty bit at all. */
    private static Pte withoutSoftDirty(Pte pte) {
        return switch (pte) {
            case Pte.Present pr -> pr.softDirty() ? pr.clearSoftDirty() : pr;
            case Pte.Swap sw -> sw.softDirty() ? new Pte.Swap(sw.slot(), sw.exclusive(), false) : sw;
            case Pte.Migration m -> m.softDirty() ? new Pte.Migration(m.page(), m.kind(), false) : m;
            default -> pte;
        };
    }

    void setHasPinned(Pid p) {
        Process proc = process(p);
        if (!proc.hasPinned()) {
            setProcess(p, proc.withHasPinned());
        }
    }

    void setForbidsZeropage(Pid p) {
        Process proc = process(p);
        if (!proc.forbidsZeropage()) {
            setProcess(p, proc.withForbidsZeropage());
        }
    }

    // ---- folios

    Folio folio(FolioId f) {
        return folios.get(f.index());
    }

    int folioCount() {
        return folios.size();
    }

    void setFolio(FolioId f, Folio folio) {
        folios.set(f.index(), folio);
    }

    boolean has(FolioId f, FolioFlag flag) {
        return !f.isAnyZero() && folio(f).has(flag);
    }

    /** Allocates an anon folio in the lowest free slot, with no references yet. */
    FolioId allocAnon(Data data) {
        return alloc(Folio.newAnon(data));
    }

    private FolioId alloc(Folio fresh) {
        for (int i = 0; i < folios.size(); i++) {
            if (folios.get(i).isFree()) {
                folios.set(i, fresh);
                return new FolioId(i);
            }
        }
        folios.add(fresh);
        return new FolioId(folios.size() - 1);
    }

    /**
     * The pagecache folio of the file page a file mapping maps at {@code a} (file page = page index).
     * It enters the page cache at the first mmap and never leaves it.
     */
    FolioId pagecache(Vaddr a) {
        return pagecacheAt(a.index());
    }

    /** The page-cache folio of the file (regular or shmem) a file VMA maps at {@code a}, read back in if evicted. */
    FolioId pagecache(Vma vma, Vaddr a) {
        return pagecacheAt(vma.kind().backing() == dev.mmcheck.model.state.VmaKind.Backing.SHMEM ? MmState.SHMEM_FILE + a.index() : a.index());
    }

    /** The page-cache folio at a file index if it is in the page cache, else null. */
    FolioId cachedPage(int index) {
        for (int i = 0; i < folios.size(); i++) {
            Folio f = folios.get(i);
            if (f.kind() == FolioKind.PAGECACHE && f.fileIndex() == index) return new FolioId(i);
        }
        return null;
    }

    private FolioId pagecacheAt(int index) {
        FolioId cached = cachedPage(index);
        if (cached != null) return cached;
        Data d = written().getOrDefault(index, Data.INITIAL);
        if (trace && written().containsKey(index)) call("read page " + index + " back into the page cache");
        return alloc(new Folio(FolioKind.PAGECACHE, 0, 1, 0, d, -1, index));
    }

    /** The page-cache folio leaves the page cache: its data is kept (written back, or in shmem's swap). */
    void evictPagecache(FolioId f) {
        Folio x = folio(f);
        if (written == null) written = new java.util.TreeMap<>(before.written());
        written.put(x.fileIndex(), x.data());
        put(f, 1);
    }

    /** The device memory (a raw PFN, no struct page) a pfnmap maps at {@code a}: it exists as long as the device. */
    FolioId devicePfn(Vaddr a) {
        return persistent(FolioKind.PFN, a);
    }

    /** The page a VM_MIXEDMAP driver allocated for offset {@code a}; the driver holds one reference. */
    FolioId driverPage(Vaddr a) {
        return persistent(FolioKind.DRIVER, a);
    }

    /** The persistent-memory block of the FSDAX file at offset {@code a}, once written (idle at refcount 1). */
    FolioId daxBlock(Vaddr a) {
        return persistent(FolioKind.DAX, a);
    }

    /** The block of an FSDAX file at {@code a}, or null for a hole. */
    FolioId daxBlockIfAllocated(Vaddr a) {
        for (int i = 0; i < folios.size(); i++) {
            Folio f = folios.get(i);
            if (f.kind() == FolioKind.DAX && f.fileIndex() == a.index()) return new FolioId(i);
        }
        return null;
    }

    private FolioId persistent(FolioKind kind, Vaddr a) {
        for (int i = 0; i < folios.size(); i++) {
            Folio f = folios.get(i);
            if (f.kind() == kind && f.fileIndex() == a.index()) return new FolioId(i);
        }
        int idle = kind == FolioKind.PFN ? 0 : 1;
        return alloc(new Folio(kind, 0, idle, 0, Data.INITIAL, -1, a.index()));
    }

    ZeropageCounts zeropage() {
        return zeropage;
    }

    /** folio_get() / folio_ref_add() on the folio a page belongs to; on the zeropage, the references above its boot count. */
    void get(FolioId f, int n) {
        if (n == 0) return;
        if (f.isZero()) {
            zeropage = new ZeropageCounts(zeropage.refcount() + n, zeropage.mapcount());
            return;
        }
        if (f.isHugeZero()) return;
        if (noStructPage(f)) return;
        f = head(f);
        Folio x = folio(f);
        setFolio(f, x.withRefcount(x.refcount() + n));
    }

    /**
     * folio_put() / folio_put_refs() on the folio a page belongs to: frees the folio (every subpage of a large one)
     * when the last reference goes (never the zeropage).
     */
    void put(FolioId f, int n) {
        if (n == 0) return;
        if (f.isZero()) {
            if (zeropage.refcount() < n) throw new IllegalStateException("zeropage refcount underflow");
            zeropage = new ZeropageCounts(zeropage.refcount() - n, zeropage.mapcount());
            return;
        }
        if (f.isHugeZero()) return;
        if (noStructPage(f)) return;
        f = head(f);
        Folio x = folio(f);
        int r = x.refcount() - n;
        if (r < 0) throw new IllegalStateException(f + " refcount underflow");
        if (r == 0) {
            boolean large = x.part().large();
            Folio tail = large ? folio(new FolioId(f.index() + 1)) : null;
            if (x.mapcount() != 0 || x.has(FolioFlag.SWAPCACHE) || x.entireMapcount() != 0 || x.pincount() != 0
                    || (tail != null && tail.mapcount() != 0)) {
                throw new IllegalStateException(f + " freed while mapped, pinned or in the swapcache");
            }
            setFolio(f, Folio.FREE);
            if (large) setFolio(new FolioId(f.index() + 1), Folio.FREE);
            if (trace) call("free " + f + (large ? " (large)" : ""));
        } else {
            setFolio(f, x.withRefcount(r));
        }
    }

    /** The PTE mapcount of one page (a subpage's own _mapcount for a large folio). */
    void mapcountAdd(FolioId f, int n) {
        if (f.isZero()) {
            if (zeropage.mapcount() + n < 0) throw new IllegalStateException("zeropage mapcount underflow");
            zeropage = new ZeropageCounts(zeropage.refcount(), zeropage.mapcount() + n);
            return;
        }
        if (f.isHugeZero()) return;
        if (noStructPage(f)) return;
        Folio x = folio(f);
        setFolio(f, x.withMapcount(x.mapcount() + n));
    }

    /** The entire (PMD) mapcount of the large folio with this head. */
    void entireMapcountAdd(FolioId head, int n) {
        if (head.isHugeZero()) return;
        Folio x = folio(head);
        if (!x.part().head()) throw new IllegalStateException(head + " is not the head of a large folio");
        if (x.entireMapcount() + n < 0) throw new IllegalStateException(head + " entire mapcount underflow");
        setFolio(head, x.withEntireMapcount(x.entireMapcount() + n));
    }

    /** The large folio's _pincount (v5.7+, 47e29d32afba): one per pinned page. */
    void pincountAdd(FolioId page, int n) {
        FolioId h = head(page);
        Folio x = folio(h);
        if (x.pincount() + n < 0) throw new IllegalStateException(h + " pincount underflow");
        setFolio(h, x.withPincount(x.pincount() + n));
    }

    /** The head of the folio a page belongs to (the page itself for a small folio or a head). */
    FolioId head(FolioId f) {
        return !f.isAnyZero() && folio(f).part().tail() ? new FolioId(f.index() - 1) : f;
    }

    /** folio_ref_count() of the folio a page belongs to. */
    int refcount(FolioId page) {
        return folio(head(page)).refcount();
    }

    /** folio_maybe_dma_pinned() of the folio a page belongs to. */
    boolean maybePinned(FolioId page) {
        return !page.isAnyZero() && folio(head(page)).maybeDmaPinned();
    }

    boolean large(FolioId f) {
        return !f.isAnyZero() && folio(f).part().large();
    }

    /** The other subpage of the large folio a page belongs to. */
    FolioId sibling(FolioId f) {
        FolioId h = head(f);
        return h.equals(f) ? new FolioId(h.index() + 1) : h;
    }

    /**
     * The mappings of the folio a page belongs to: each PMD and each PTE once (folio_large_mapcount(); what the
     * refcount balances: every mapping holds one reference).
     */
    int totalMapcount(FolioId f) {
        FolioId h = head(f);
        Folio x = folio(h);
        if (!x.part().large()) return x.mapcount();
        return x.entireMapcount() + x.mapcount() + folio(new FolioId(h.index() + 1)).mapcount();
    }

    /**
     * A large anon folio of two subpages (head, tail) in adjacent free slots, with no references yet; {@code hugetlb}
     * for a hugetlb folio.
     */
    FolioId allocLarge(Data head, Data tail, boolean hugetlb) {
        int i = 0;
        while (i + 1 < folios.size() && !(folios.get(i).isFree() && folios.get(i + 1).isFree())) i++;
        if (i + 1 >= folios.size()) {
            if (i < folios.size() && !folios.get(i).isFree()) i = folios.size();
            while (folios.size() < i + 2) folios.add(Folio.FREE);
        }
        folios.set(i, Folio.newAnon(head).withPart(hugetlb ? Folio.Part.HUGETLB_HEAD : Folio.Part.HEAD));
        folios.set(i + 1, Folio.newAnon(tail).withPart(hugetlb ? Folio.Part.HUGETLB_TAIL : Folio.Part.TAIL));
        return new FolioId(i);
    }

    // ---- PMDs

    Pmd pmd(Pid p, Vaddr a) {
        return process(p).pmd(a);
    }

    void setPmd(Pid p, Vaddr a, Pmd pmd) {
        if (!profile.hasSoftDirty()) {
            if (pmd instanceof Pmd.Huge h && h.softDirty()) pmd = h.clearSoftDirty();
            if (pmd instanceof Pmd.Migration m && m.softDirty()) pmd = new Pmd.Migration(m.folio(), m.kind(), false, m.uffdWp());
        }
        Process proc = process(p);
        List<Pmd> pmds = new ArrayList<>(proc.pmds());
        pmds.set(a.index() / 2, pmd);
        setProcess(p, proc.withPmds(ImmutableList.copyOf(pmds)));
    }

    /**
     * A raw PFN has no struct page: only a rule variant that lets vm_normal_page() return one (no-folio-for-raw-pfn is
     * then violated) makes the rules count references or set flags on it. In the kernel that writes into memory that
     * is not a struct page; the model records the call and leaves the PFN's state alone, so the search stays total.
     */
    private boolean noStructPage(FolioId f) {
        if (folio(f).kind() != FolioKind.PFN) return false;
        if (trace) call("(" + f + " is a raw PFN: pfn_to_page() of device memory; the refcount/flag update lands on no struct page)");
        return true;
    }

    void setFlag(FolioId f, FolioFlag flag, boolean on) {
        if (f.isAnyZero()) return;
        if (noStructPage(f)) return;
        Folio x = folio(f);
        setFolio(f, on ? x.with(flag) : x.without(flag));
    }

    Data data(FolioId f) {
        return f.isAnyZero() ? Data.INITIAL : folio(f).data();
    }

    void store(FolioId f, Data d) {
        if (f.isAnyZero()) throw new IllegalStateException("store into the zeropage");
        setFolio(f, folio(f).withData(d));
    }

    // ---- swap slots

    SwapSlotState slot(SwapSlot s) {
        return swap.get(s.index());
    }

    void setSlot(SwapSlot s, SwapSlotState st) {
        swap.set(s.index(), st);
    }

    SwapSlot allocSlot() {
        for (int i = 0; i < swap.size(); i++) {
            if (swap.get(i).isFree()) return new SwapSlot(i);
        }
        swap.add(SwapSlotState.FREE);
        return new SwapSlot(swap.size() - 1);
    }

    // ---- GUP references

    List<GupRef> refs() {
        return refs;
    }

    void addRef(GupRef r) {
        refs.add(r);
    }

    void removeRef(GupRef r) {
        if (!refs.remove(r)) throw new IllegalStateException("no such reference " + r);
    }

    void replaceRef(GupRef old, GupRef now) {
        refs.set(refs.indexOf(old), now);
    }

    /** Every folio's data and every swap slot's data, with an exited process forgotten from the witnesses. */
    void forgetProcess(Pid gone) {
        for (int i = 0; i < folios.size(); i++) {
            Folio f = folios.get(i);
            if (!f.isFree()) folios.set(i, f.withData(f.data().forgetProcess(gone)));
        }
        for (int i = 0; i < swap.size(); i++) {
            SwapSlotState s = swap.get(i);
            if (!s.isFree()) swap.set(i, s.withData(s.data().forgetProcess(gone)));
        }
    }
}
