package dev.mmcheck.model.rules;

import dev.mmcheck.model.profile.Decisions.ForkPinned;
import dev.mmcheck.model.profile.Decisions.HugeZeroWp;
import dev.mmcheck.model.profile.Decisions.PinUnshare;
import dev.mmcheck.model.state.Data;
import dev.mmcheck.model.state.Folio;
import dev.mmcheck.model.state.FolioFlag;
import dev.mmcheck.model.state.FolioId;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Pmd;
import dev.mmcheck.model.state.Process;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.Vaddr;
import dev.mmcheck.model.state.Vma;
import dev.mmcheck.model.state.VmaKind;

/**
 * mm/huge_memory.c: anonymous THPs mapped by a PMD: the huge fault and the huge zeropage, do_huge_pmd_wp_page(), the
 * PMD split (__split_huge_pmd_locked()) and the folio split (split_huge_page()), fork's copy_huge_pmd(), zap_huge_pmd(),
 * change_huge_pmd(). A PMD covers an aligned pair of the model's pages and a THP has two subpages (see {@link Folio}).
 * Abstracts away: the deposited page table, the deferred split queue (a partially unmapped folio stays large until
 * reclaim or a split asks), khugepaged's and the fault's allocation failures (a THP is always available), mTHP sizes
 * between a page and a PMD (a PTE-mapped large folio stands for them), PUD mappings and the per-mm huge zeropage
 * reference (MMF_HUGE_ZERO_PAGE).
 */
final class HugeMemory {
    private HugeMemory() {
    }

    static Vaddr base(Vaddr a) {
        return new Vaddr(a.index() & ~1);
    }

    static Vaddr other(Vaddr a) {
        return new Vaddr(a.index() ^ 1);
    }

    /** The two pages form one THP-eligible VMA (the same ANON_THP or hugetlb VMA over the aligned pair). */
    static boolean hugeVma(Kernel k, Pid p, Vaddr a) {
        if ((a.index() | 1) >= k.pageCount()) return false;
        Vma v = k.vma(p, base(a));
        return v.kind().huge() && v.equals(k.vma(p, other(base(a))));
    }

    // ---- faults

    /**
     * do_huge_pmd_anonymous_page() on an empty PMD whose range has no page table yet (both PTEs none): a read maps
     * the huge zeropage read-only (transparent_hugepage/use_zero_page=1, unless mm_forbids_zeropage()); a write
     * allocates a zeroed THP mapped by the PMD, writable if VM_WRITE, PG_anon_exclusive on the head (v5.19+; the
     * tail gets it when the PMD is split). Returns false when the PTE path must handle the fault.
     */
    static boolean hugeFault(Kernel k, Pid p, Vaddr a, boolean write) {
        if (!hugeVma(k, p, a) || k.vma(p, a).kind() != VmaKind.ANON_THP) return false;
        Vaddr b = base(a);
        if (!(k.pmd(p, a) instanceof Pmd.None) || !(k.pte(p, b) instanceof Pte.None) || !(k.pte(p, other(b)) instanceof Pte.None)) {
            return false;
        }
        k.call("do_huge_pmd_anonymous_page");
        if (!write && !k.process(p).forbidsZeropage()) {
            k.call("set_huge_zero_page: the huge zeropage, read-only");
            k.setPmd(p, a, new Pmd.Huge(FolioId.HUGE_ZERO, false, false, false));
            return true;
        }
        FolioId h = newLargeAnon(k, p, a, Data.INITIAL, Data.INITIAL);
        k.setPmd(p, a, new Pmd.Huge(h, k.vma(p, a).write(), true, true));
        return true;
    }

    /** A new large anon folio mapped by one PMD: folio_add_new_anon_rmap(), PG_anon_exclusive on the head from v5.19. */
    static FolioId newLargeAnon(Kernel k, Pid p, Vaddr a, Data d0, Data d1) {
        Vaddr b = base(a);
        k.setVma(p, b, k.vma(p, b).withAnonVma());
        k.setVma(p, other(b), k.vma(p, other(b)).withAnonVma());
        FolioId h = k.allocLarge(d0, d1, false);
        k.get(h, 1);
        k.entireMapcountAdd(h, 1);
        if (k.profile.tracksAnonExclusive()) k.setFlag(h, FolioFlag.ANON_EXCLUSIVE, true);
        return h;
    }

    /**
     * do_huge_pmd_wp_page(): a write or unshare fault on a R/O PMD. The huge zeropage: a new THP (before v5.8 and from
     * v6.13) or split and fall back. A THP: reuse by the release's rule, else (from v5.8) split the PMD and fall back
     * to do_wp_page() on the faulting subpage, or (before v5.8) copy the whole THP. Returns false for SIGBUS.
     */
    static boolean doHugePmdWpPage(Kernel k, Pid p, Vaddr a, boolean unshare) {
        if (k.trace) k.call(unshare ? "do_huge_pmd_wp_page(FAULT_FLAG_UNSHARE)" : "do_huge_pmd_wp_page");
        if (!unshare) Userfaultfd.wpFault(k, p, a, ((Pmd.Huge) k.pmd(p, a)).uffdWp());
        Pmd.Huge pmd = (Pmd.Huge) k.pmd(p, a);
        Vma vma = k.vma(p, a);
        FolioId h = pmd.folio();
        if (h.isHugeZero()) {
            if (unshare && k.profile.pinUnshare() != PinUnshare.ALSO_LONGTERM_NON_ANON) {
                k.call("unshare of the huge zeropage: nothing to do");
                return true;
            }
            if (k.profile.hugeZeroWp() == HugeZeroWp.ALLOC_THP) {
                k.call("a new zeroed THP replaces the huge zeropage");
                FolioId nf = newLargeAnon(k, p, a, Data.INITIAL, Data.INITIAL);
                k.setPmd(p, a, unshare ? new Pmd.Huge(nf, false, false, pmd.softDirty()) : new Pmd.Huge(nf, vma.write(), true, true));
                return true;
            }
            splitPmd(k, p, a);
            k.call("VM_FAULT_FALLBACK");
            return Memory.doWpPage(k, p, a, unshare);
        }
        boolean reuse = switch (k.profile.thpWpReuse()) {
            case MAPCOUNT_COPY_THP, MAPCOUNT_SPLIT -> reuseSwapPage(k, h);
            case PAGE_COUNT_SPLIT -> refcountReuse(k, h);
            case ANON_EXCLUSIVE_SPLIT -> {
                if (k.has(h, FolioFlag.ANON_EXCLUSIVE)) {
                    k.call("PageAnonExclusive(head): reuse");
                    yield true;
                }
                if (!refcountReuse(k, h)) yield false;
                k.call("page_move_anon_rmap: SetPageAnonExclusive(head)");
                k.setFlag(h, FolioFlag.ANON_EXCLUSIVE, true);
                yield true;
            }
        };
        if (reuse) {
            if (unshare) {
                k.call("unshare: the THP is exclusive now, the PMD stays R/O");
                return true;
            }
            k.call("reuse the THP: pmd_mkwrite");
            k.setPmd(p, a, vma.write() ? pmd.mkdirty().mkwrite() : pmd.mkdirty());
            return true;
        }
        if (k.profile.thpWpReuse() == dev.mmcheck.model.profile.Decisions.ThpWpReuse.MAPCOUNT_COPY_THP) {
            k.call("do_huge_pmd_wp_page: copy into a new THP");
            FolioId nf = newLargeAnon(k, p, a, k.data(h), k.data(new FolioId(h.index() + 1)));
            k.setPmd(p, a, new Pmd.Huge(nf, vma.write(), true, true));
            k.entireMapcountAdd(h, -1);
            Swapfile.freeSwapCache(k, h);
            k.put(h, 1);
            return true;
        }
        splitPmd(k, p, a);
        k.call("VM_FAULT_FALLBACK: do_wp_page on the subpage");
        return Memory.doWpPage(k, p, a, unshare);
    }

    /**
     * reuse_swap_page() / page_trans_huge_map_swapcount() of a THP (before v5.18): the entire mapcount plus the largest
     * per-subpage (PTE mapcount + swap count) must be at most 1; the swapcache is then dropped if nothing else uses it.
     */
    static boolean reuseSwapPage(Kernel k, FolioId page) {
        FolioId h = k.head(page);
        int most = k.subpageMapcountRead != null ? k.subpageMapcountRead : mostSubpageMapcount(k, h);
        k.subpageMapcountRead = null;
        int count = k.folio(h).entireMapcount() + most;
        if (k.trace) k.call("reuse_swap_page(THP): entire mapcount " + k.folio(h).entireMapcount() + " + max(subpage mapcount + swapcount) " + most);
        if (count > 1) return false;
        if (k.has(h, FolioFlag.SWAPCACHE)) Swapfile.freeSwapCache(k, h);
        return true;
    }

    /** page_trans_huge_map_swapcount()'s first read: the largest subpage mapcount plus swapcount. */
    static int mostSubpageMapcount(Kernel k, FolioId h) {
        int most = 0;
        for (int i = 0; i < Folio.NR_SUBPAGES; i++) {
            FolioId sub = new FolioId(h.index() + i);
            Folio f = k.folio(sub);
            int swapCount = f.has(FolioFlag.SWAPCACHE) ? k.slot(new dev.mmcheck.model.state.SwapSlot(f.swapSlot())).swapCount() : 0;
            most = Math.max(most, f.mapcount() + swapCount);
        }
        return most;
    }

    /** The v5.18 rule (3bff7e3f1f16): folio refcount > 1 + swapcache copies; free the swapcache; reuse iff refcount == 1. */
    static boolean refcountReuse(Kernel k, FolioId page) {
        FolioId h = k.head(page);
        int swapcache = k.has(h, FolioFlag.SWAPCACHE) ? Folio.NR_SUBPAGES : 0;
        int ref = k.folio(h).refcount();
        if (ref > 1 + swapcache) {
            if (k.trace) k.call("page_count " + ref + " > 1 + swapcache: no reuse");
            return false;
        }
        if (swapcache > 0) Swapfile.freeSwapCache(k, h);
        return k.folio(h).refcount() == 1;
    }

    // ---- splits

    /**
     * __split_huge_pmd_locked() (never fails): the PMD becomes one PTE per subpage with its write, dirty and
     * soft-dirty bits; each PTE takes a reference and a subpage mapcount, the entire mapcount drops. From v5.19 an
     * exclusive head makes every subpage exclusive (and a non-exclusive head none). The huge zeropage becomes PTEs
     * of the small zeropage; a migration PMD becomes migration PTEs of the same kind.
     */
    static void splitPmd(Kernel k, Pid p, Vaddr a) {
        Vaddr b = base(a);
        switch (k.pmd(p, a)) {
            case Pmd.None n -> {
                return;
            }
            case Pmd.Huge h when h.folio().isHugeZero() -> {
                k.call("__split_huge_zero_page_pmd: PTEs of the zeropage");
                boolean wp = h.uffdWp() && k.profile.uffdHugeZeroSplit() == dev.mmcheck.model.profile.Decisions.UffdHugeZeroSplit.KEEP;
                if (h.uffdWp() && !wp) k.call("__split_huge_zero_page_pmd: the zeropage PTEs do not get the uffd-wp bit");
                for (int i = 0; i < Folio.NR_SUBPAGES; i++) {
                    k.setPte(p, new Vaddr(b.index() + i), new Pte.Present(FolioId.ZERO, false, false, h.softDirty(), true).withUffdWp(wp));
                }
            }
            case Pmd.Huge h -> {
                if (k.trace) k.call("__split_huge_pmd_locked " + h.folio());
                splitPtes(k, p, b, h);
                k.get(h.folio(), Folio.NR_SUBPAGES - 1);
                k.entireMapcountAdd(h.folio(), -1);
            }
            case Pmd.Migration m -> {
                k.call("__split_huge_pmd_locked: a PMD migration entry becomes PTE migration entries");
                for (int i = 0; i < Folio.NR_SUBPAGES; i++) {
                    k.setPte(p, new Vaddr(b.index() + i), new Pte.Migration(new FolioId(m.folio().index() + i), m.kind(), m.softDirty(), m.uffdWp()));
                }
            }
        }
        k.setPmd(p, a, Pmd.NONE);
    }

    /** __split_huge_pmd_locked()'s first half: a PTE and a subpage mapcount per subpage (the caller takes the references). */
    private static void splitPtes(Kernel k, Pid p, Vaddr b, Pmd.Huge h) {
        FolioId head = h.folio();
        boolean exclusive = k.has(head, FolioFlag.ANON_EXCLUSIVE);
        for (int i = 0; i < Folio.NR_SUBPAGES; i++) {
            FolioId sub = new FolioId(head.index() + i);
            k.mapcountAdd(sub, 1);
            k.setPte(p, new Vaddr(b.index() + i), new Pte.Present(sub, h.write(), h.dirty(), h.softDirty(), false).withUffdWp(h.uffdWp()));
            boolean propagate = i == 0 || k.profile.pmdSplitExclusive() == dev.mmcheck.model.profile.Decisions.PmdSplitExclusive.PROPAGATE;
            if (k.profile.tracksAnonExclusive() && propagate) k.setFlag(sub, FolioFlag.ANON_EXCLUSIVE, exclusive);
        }
    }

    /**
     * A PMD split split into steps ({@link dev.mmcheck.model.state.PairStep}), step 1: __split_huge_pmd_locked() installs
     * the PTEs and raises the subpage mapcounts; the compound mapcount still counts the PMD mapping. From v5.8
     * (c444eb564fb1) the split holds the page lock: the caller does not start it while a write fault holds it.
     */
    static void splitPmdBegin(Kernel k, Pid p, Vaddr a) {
        Pmd.Huge h = (Pmd.Huge) k.pmd(p, a);
        boolean locked = k.profile.get(dev.mmcheck.model.profile.DecisionPoint.THP_SPLIT_LOCK)
                == dev.mmcheck.model.profile.Decisions.ThpSplitLock.PAGE_LOCK;
        k.call("__split_huge_pmd" + (locked ? ": lock_page" : " (PMD lock only)") + " -> __split_huge_pmd_locked: PTEs, "
                + "atomic_inc(subpage _mapcount)");
        splitPtes(k, p, base(a), h);
        k.get(h.folio(), Folio.NR_SUBPAGES); // the PTEs' references; the PMD's is dropped in step 2
        k.setProcess(p, k.process(p).withSplitStep(new dev.mmcheck.model.state.PairStep(base(a))));
    }

    /** Step 2: the compound mapcount drops (atomic_add_negative(-1, compound_mapcount)) and the PMD is gone. */
    static void splitPmdFinish(Kernel k, Pid p) {
        Vaddr b = k.process(p).splitStep().base();
        k.setProcess(p, k.process(p).withSplitStep(dev.mmcheck.model.state.PairStep.NONE));
        Pmd.Huge h = (Pmd.Huge) k.pmd(p, b);
        k.call("__split_huge_pmd_locked: atomic_add_negative(-1, compound_mapcount)" + (k.profile.get(dev.mmcheck.model.profile.DecisionPoint.THP_SPLIT_LOCK)
                == dev.mmcheck.model.profile.Decisions.ThpSplitLock.PAGE_LOCK ? "; unlock_page" : ""));
        k.entireMapcountAdd(h.folio(), -1);
        k.put(h.folio(), 1);
        k.setPmd(p, b, Pmd.NONE);
    }

    /** split_huge_pmd() if a PMD maps the pair: what every operation on part of a PMD-mapped range does first. */
    static void splitIfPmd(Kernel k, Pid p, Vaddr a, String why) {
        if (!(k.pmd(p, a) instanceof Pmd.None)) {
            if (k.trace) k.call(why + ": split_huge_pmd");
            splitPmd(k, p, a);
        }
    }

    /**
     * split_huge_page() / split_folio(): refused (-EBUSY/-EAGAIN) when the folio has references other than its
     * mappings and the swapcache (a GUP reference or a pin), or is hugetlb. Otherwise every PMD mapping becomes PTEs
     * (unmap_folio() with migration entries and remap_page(): each subpage keeps its exclusivity) and the subpages
     * become small folios, each with its own mappings' references; an unmapped one not in the swapcache is freed.
     */
    static boolean splitFolio(Kernel k, FolioId page) {
        FolioId h = k.head(page);
        Folio head = k.folio(h);
        if (!head.part().large()) return true;
        if (head.part().hugetlb()) return false;
        int expected = k.totalMapcount(h) + (head.has(FolioFlag.SWAPCACHE) ? Folio.NR_SUBPAGES : 0);
        if (head.refcount() != expected || head.has(FolioFlag.MIGRATING)) {
            if (k.trace) k.call("can_split_folio: refcount " + head.refcount() + " != " + expected + " (extra references): not split");
            return false;
        }
        if (k.trace) k.call("split_huge_page " + h);
        for (int pi = 0; pi < k.processCount(); pi++) {
            Pid q = new Pid(pi);
            Process proc = k.process(q);
            if (!proc.alive()) continue;
            for (int pair = 0; pair < proc.pmds().size(); pair++) {
                if (proc.pmds().get(pair) instanceof Pmd.Huge x && x.folio().equals(h)) splitPmd(k, q, new Vaddr(pair * 2));
            }
        }
        for (int i = 0; i < Folio.NR_SUBPAGES; i++) {
            FolioId sub = new FolioId(h.index() + i);
            Folio f = k.folio(sub);
            int refs = f.mapcount() + (f.has(FolioFlag.SWAPCACHE) ? 1 : 0);
            Folio small = f.withPart(Folio.Part.SMALL).withPincount(0).withEntireMapcount(0).withRefcount(refs);
            k.setFolio(sub, refs == 0 ? Folio.FREE : small);
            if (refs == 0 && k.trace) k.call("free the unmapped subpage " + sub);
        }
        return true;
    }

    // ---- fork, zap, mprotect

    /**
     * copy_huge_pmd() at fork for a COW mapping. The huge zeropage is shared. A THP: before v5.9 always shared;
     * v5.9-v5.18 (d042035eaf5f) a maybe-pinned THP of an mm with MMF_HAS_PINNED makes fork split the parent's PMD and
     * copy at PTE level; v5.19+ page_try_dup_anon_rmap(head): a non-exclusive head is shared, an exclusive one is
     * shared after ClearPageAnonExclusive unless maybe pinned, which splits and copies at PTE level. A shared PMD is
     * write-protected in both. A PMD migration entry is downgraded to readable in both. Returns false if the PMD was
     * split and the caller must copy the PTEs.
     */
    static boolean copyHugePmd(Kernel k, Pid parent, Pid child, Vaddr a) {
        Pmd pmd = k.pmd(parent, a);
        switch (pmd) {
            case Pmd.None n -> {
                return false;
            }
            case Pmd.Migration m -> {
                boolean wp = Memory.childKeepsUffdWp(k, child, a, m.uffdWp());
                Pmd.Migration readable = new Pmd.Migration(m.folio(), Pte.MigrationKind.READABLE, m.softDirty(), m.uffdWp());
                Pmd.Migration childs = new Pmd.Migration(m.folio(), Pte.MigrationKind.READABLE, m.softDirty(), wp);
                boolean downgrade = m.kind() == Pte.MigrationKind.WRITABLE || (m.kind() == Pte.MigrationKind.READABLE_EXCLUSIVE
                        && k.profile.migrationEntryFork() == dev.mmcheck.model.profile.Decisions.MigrationEntryFork.MAKE_READABLE);
                if (!downgrade) {
                    k.setPmd(child, a, new Pmd.Migration(m.folio(), m.kind(), m.softDirty(), wp));
                    return true;
                }
                k.call("copy_huge_pmd: migration entry made readable in parent and child");
                k.setPmd(parent, a, readable);
                k.setPmd(child, a, childs);
                return true;
            }
            case Pmd.Huge h -> {
                if (h.folio().isHugeZero()) {
                    k.call("copy_huge_pmd: the huge zeropage, shared");
                    k.setPmd(child, a, h.wrprotect().withUffdWp(Memory.childKeepsUffdWp(k, child, a, h.uffdWp())));
                    return true;
                }
                FolioId head = h.folio();
                boolean maybePinned = k.process(parent).hasPinned() && k.folio(head).maybeDmaPinned();
                var plugin = k.profile.plugin(dev.mmcheck.model.profile.DecisionPoint.FORK_MAYBE_PINNED,
                        dev.mmcheck.model.plugin.ForkCopyRule.class);
                if (plugin.isPresent() || k.profile.forkPinned() == ForkPinned.COPY) {
                    boolean exclusive = k.has(head, FolioFlag.ANON_EXCLUSIVE);
                    boolean mustCopy = plugin.isPresent() ? plugin.get().copyAtFork(Views.page(k, parent, head, h.dirty()))
                            : k.profile.tracksAnonExclusive() ? exclusive && maybePinned : maybePinned;
                    if (mustCopy) {
                        k.call("copy_huge_pmd: maybe pinned: split the parent's PMD, copy at PTE level");
                        splitPmd(k, parent, a);
                        return false;
                    }
                    if (exclusive) {
                        k.call("page_try_dup_anon_rmap(head): ClearPageAnonExclusive");
                        k.setFlag(head, FolioFlag.ANON_EXCLUSIVE, false);
                    }
                }
                k.call("copy_huge_pmd: share the THP, write-protect both PMDs");
                k.get(head, 1);
                k.entireMapcountAdd(head, 1);
                Pmd.Huge ro = h.wrprotect();
                k.setPmd(parent, a, ro);
                k.setPmd(child, a, ro.withUffdWp(Memory.childKeepsUffdWp(k, child, a, h.uffdWp())));
                return true;
            }
        }
    }

    /** zap_huge_pmd(): the PMD goes; the THP loses an entire mapping and its reference. The owner's references detach. */
    static void zapPmd(Kernel k, Pid p, Vaddr a) {
        Pmd pmd = k.pmd(p, a);
        if (pmd instanceof Pmd.None) return;
        k.setPmd(p, a, Pmd.NONE);
        if (pmd instanceof Pmd.Huge h && !h.folio().isHugeZero()) {
            if (k.trace) k.call("zap_huge_pmd: unmap " + h.folio());
            k.entireMapcountAdd(h.folio(), -1);
            if (k.folio(h.folio()).part().hugetlb()) {
                k.put(h.folio(), 1);
            } else {
                if (k.totalMapcount(h.folio()) == 0) Swapfile.freeSwapCache(k, h.folio());
                k.put(h.folio(), 1);
            }
        } else {
            if (k.trace) k.call("zap_huge_pmd: clear " + pmd);
        }
        Vaddr b = base(a);
        for (int i = 0; i < Folio.NR_SUBPAGES; i++) Memory.detachRefs(k, p, new Vaddr(b.index() + i));
    }

    /**
     * change_huge_pmd() of a whole PMD: PROT_READ write-protects it; PROT_WRITE leaves it R/O before v6.2 and from
     * v6.2 maps an exclusive head writable unless soft-dirty tracking wants the fault (can_change_pmd_writable()).
     */
    static void changeHugePmd(Kernel k, Pid p, Vaddr a, boolean write) {
        if (!(k.pmd(p, a) instanceof Pmd.Huge h)) return;
        k.call("change_huge_pmd");
        if (!write) {
            k.setPmd(p, a, h.wrprotect());
            return;
        }
        if (h.write() || h.folio().isHugeZero() || k.folio(h.folio()).part().hugetlb()) return;
        Vma vma = k.vma(p, a);
        if (vma.softDirtyTracking() && !h.softDirty()) return;
        if (vma.uffdWp() && h.uffdWp()) return; // can_change_pmd_writable(): never a PMD the monitor protected
        var plugin = k.profile.plugin(dev.mmcheck.model.profile.DecisionPoint.MPROTECT_UPGRADE,
                dev.mmcheck.model.plugin.MprotectUpgradeRule.class);
        boolean upgrade = plugin.isPresent() ? plugin.get().canChangeWritable(Views.page(k, p, h.folio(), h.dirty()))
                : switch (k.profile.mprotectUpgrade()) {
                    case ANON_EXCLUSIVE, FOLIO_NOT_MAPPED_SHARED -> k.has(h.folio(), FolioFlag.ANON_EXCLUSIVE);
                    case ANY_ANON, ANY_PAGE -> true;
                    default -> false;
                };
        if (upgrade) {
            k.call("can_change_pmd_writable: map it writable without a fault");
            k.setPmd(p, a, h.mkwrite());
        }
    }
}
