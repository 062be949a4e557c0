package dev.mmcheck.model.rules;

import dev.mmcheck.model.profile.Decisions.SwapOutPinned;
import dev.mmcheck.model.profile.Decisions.SwapPteExclusive;
import dev.mmcheck.model.state.Folio;
import dev.mmcheck.model.state.FolioFlag;
import dev.mmcheck.model.state.FolioId;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Pmd;
import dev.mmcheck.model.profile.Decisions;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.SwapSlot;
import dev.mmcheck.model.state.SwapSlotState;
import dev.mmcheck.model.state.MmState;
import dev.mmcheck.model.state.Vaddr;
import dev.mmcheck.model.state.Vma;
import dev.mmcheck.model.state.VmaKind;

/**
 * mm/vmscan.c: shrink_page_list() / shrink_folio_list() for one anon folio, with mm/rmap.c:
 * try_to_unmap_one() for each mapping.
 * Abstracts away: LRU aging and the young bit (every candidate is reclaimed), the isolation reference,
 * writeback (pageout completes at once), swap readahead, KSM folios (never reclaimed here) and
 * pagecache folios (never evicted).
 */
final class Vmscan {
    private Vmscan() {
    }

    /**
     * Reclaims the folio mapped at p:a. From v5.11 (feb889fb40fa) an anon folio not yet in the swapcache that
     * folio_maybe_dma_pinned() is kept (keep_locked) before add_to_swap(). A large folio is split first when the
     * release says so ({@link Decisions.ThpSwapout}), and kept if it cannot be split (a GUP reference or pin): then its
     * subpages are reclaimed as small folios; otherwise it goes to the swapcache whole (one slot per subpage) and
     * try_to_unmap(TTU_SPLIT_HUGE_PMD) splits its PMDs before unmapping each PTE. Returns false if nothing changed.
     */
    static boolean shrinkFolio(Kernel k, Pid p, Vaddr a) {
        FolioId f = k.pmd(p, a) instanceof Pmd.Huge h ? h.folio() : ((Pte.Present) k.pte(p, a)).folio();
        f = k.head(f);
        if (k.trace) k.call("shrink_page_list(" + f + ")");
        if (!k.has(f, FolioFlag.SWAPCACHE) && k.profile.swapOutPinned() != SwapOutPinned.UNMAP && k.maybePinned(f)) {
            k.call("folio_maybe_dma_pinned and not in the swapcache: keep it (feb889fb40fa)");
            return false;
        }
        if (k.large(f) && !k.has(f, FolioFlag.SWAPCACHE)) {
            Folio head = k.folio(f);
            int expected = k.totalMapcount(f);
            if (head.refcount() != expected) {
                k.call("can_split_folio: extra references: activate (keep it)");
                return false;
            }
            boolean split = switch (k.profile.thpSwapout()) {
                case SPLIT_ALWAYS -> true;
                case SPLIT_IF_NO_PMD -> head.entireMapcount() == 0;
                case SPLIT_IF_PARTIALLY_MAPPED -> partiallyMapped(k, f);
            };
            if (split) {
                k.call("split_folio_to_list: reclaim the subpages one by one");
                if (!HugeMemory.splitFolio(k, f)) return false;
                boolean any = false;
                for (int i = 0; i < Folio.NR_SUBPAGES; i++) {
                    FolioId sub = new FolioId(f.index() + i);
                    if (k.folio(sub).isFree() || k.folio(sub).mapcount() == 0) continue;
                    any |= shrinkSmall(k, sub);
                }
                return any;
            }
        }
        return k.large(f) ? shrinkLarge(k, f) : shrinkSmall(k, f);
    }

    /** Some subpages of a large folio mapped (by PTEs) and some not: what the deferred split list holds. */
    private static boolean partiallyMapped(Kernel k, FolioId h) {
        if (k.folio(h).entireMapcount() > 0) return false;
        boolean some = false;
        boolean none = false;
        for (int i = 0; i < Folio.NR_SUBPAGES; i++) {
            if (k.folio(new FolioId(h.index() + i)).mapcount() > 0) some = true;
            else none = true;
        }
        return some && none;
    }

    /**
     * A reclaim split into steps ({@link dev.mmcheck.model.state.UnmapStep}), step 1: shrink_folio_list()'s checks and
     * add_to_swap(), then try_to_unmap_one()'s first half for the mapping at p:a: the PTE clear (v6.1+, the check
     * follows behind an smp_mb()) or, before v6.1, the pinned check (which a weakly ordered CPU may satisfy before the
     * clear is visible). Only a small anon folio mapped once is split; anything else is reclaimed whole in this step.
     * Returns false if nothing changed; the caller tells a step in flight by the process's unmap step.
     */
    static boolean shrinkBegin(Kernel k, Pid p, Vaddr a) {
        if (!(k.pte(p, a) instanceof Pte.Present pr) || !(k.pmd(p, a) instanceof Pmd.None) || k.large(pr.folio())
                || k.folio(pr.folio()).mapcount() != 1) {
            return shrinkFolio(k, p, a);
        }
        FolioId f = pr.folio();
        if (k.trace) k.call("shrink_page_list(" + f + ")");
        if (!k.has(f, FolioFlag.SWAPCACHE) && k.profile.swapOutPinned() != SwapOutPinned.UNMAP && k.maybePinned(f)) {
            k.call("folio_maybe_dma_pinned and not in the swapcache: keep it (feb889fb40fa)");
            return false;
        }
        addToSwap(k, f);
        dev.mmcheck.model.state.UnmapStep u = clearOrCheckFirst(k, p, a, f, false);
        k.setProcess(p, k.process(p).withUnmapStep(u));
        return true;
    }

    /**
     * The first step of an unmap (reclaim's try_to_unmap_one(), or KSM's write_protect_page() with {@code ksm}): from
     * v6.1 the PTE clear, with the check to follow behind an smp_mb(); before, the check, read before the clear is
     * visible to a lockless walker.
     */
    static dev.mmcheck.model.state.UnmapStep clearOrCheckFirst(Kernel k, Pid p, Vaddr a, FolioId f, boolean ksm) {
        String who = (ksm ? "write_protect_page " : "try_to_unmap_one ") + p + " " + a;
        if (k.profile.get(dev.mmcheck.model.profile.DecisionPoint.GUP_FAST_UNMAP) == dev.mmcheck.model.profile.Decisions.GupFastUnmap.MB_ORDERED) {
            k.call(who + ": ptep_clear_flush; smp_mb()");
            return new dev.mmcheck.model.state.UnmapStep(a, true, false, ksm ? dev.mmcheck.model.state.UnmapStep.Kind.KSM : dev.mmcheck.model.state.UnmapStep.Kind.RECLAIM);
        }
        return checkFirst(k, p, a, f, ksm, who);
    }

    /** Migration's first step: try_to_migrate_one()'s clear (v6.1+) or its pinned check read before the clear. */
    static dev.mmcheck.model.state.UnmapStep migrateFirst(Kernel k, Pid p, Vaddr a, FolioId f) {
        String who = "try_to_migrate_one " + p + " " + a;
        if (k.profile.get(dev.mmcheck.model.profile.DecisionPoint.GUP_FAST_UNMAP) == dev.mmcheck.model.profile.Decisions.GupFastUnmap.MB_ORDERED) {
            k.call(who + ": ptep_clear_flush; smp_mb()");
            return new dev.mmcheck.model.state.UnmapStep(a, true, false, dev.mmcheck.model.state.UnmapStep.Kind.MIGRATE);
        }
        boolean pinned = k.profile.tracksAnonExclusive() && k.maybePinned(f);
        k.call(who + ": folio_try_share_anon_rmap: page_maybe_dma_pinned() " + pinned + " (read before the PTE clear is visible: no smp_mb())");
        return new dev.mmcheck.model.state.UnmapStep(a, false, pinned, dev.mmcheck.model.state.UnmapStep.Kind.MIGRATE);
    }

    private static dev.mmcheck.model.state.UnmapStep checkFirst(Kernel k, Pid p, Vaddr a, FolioId f, boolean ksm, String who) {
        if (ksm) {
            boolean ok = Ksm.checksPass(k, p, a, f);
            k.call(who + ": the reference and pinned checks " + (ok ? "pass" : "fail") + " (read before the PTE clear is visible: no smp_mb())");
            return new dev.mmcheck.model.state.UnmapStep(a, false, !ok, dev.mmcheck.model.state.UnmapStep.Kind.KSM);
        }
        if (k.profile.tracksAnonExclusive() && k.profile.swapOutPinned() == SwapOutPinned.REFUSE) {
            boolean pinned = k.maybePinned(f);
            k.call(who + ": page_try_share_anon_rmap: page_maybe_dma_pinned() " + pinned
                    + " (read before the PTE clear is visible: no smp_mb())");
            return new dev.mmcheck.model.state.UnmapStep(a, false, pinned, dev.mmcheck.model.state.UnmapStep.Kind.RECLAIM);
        }
        k.call(who + ": page_vma_mapped_walk (no pinned check at unmap in this release)");
        return new dev.mmcheck.model.state.UnmapStep(a, false, false, dev.mmcheck.model.state.UnmapStep.Kind.RECLAIM);
    }

    /** Step 2: the rest of try_to_unmap_one() with the check as its order gives it, then shrink_folio_list()'s end. */
    static void shrinkFinish(Kernel k, Pid p) {
        dev.mmcheck.model.state.UnmapStep u = k.process(p).unmapStep();
        k.setProcess(p, k.process(p).withUnmapStep(dev.mmcheck.model.state.UnmapStep.NONE));
        FolioId f = ((Pte.Present) k.pte(p, u.addr())).folio();
        if (!u.cleared()) k.call("try_to_unmap_one " + p + " " + u.addr() + ": ptep_clear_flush");
        tryToUnmapOne(k, p, u.addr(), f, Swapfile.slotOf(k, f), u.cleared() ? null : u.refused());
        finishSmall(k, f, Swapfile.slotOf(k, f));
    }

    private static void addToSwap(Kernel k, FolioId f) {
        if (!k.has(f, FolioFlag.SWAPCACHE)) {
            SwapSlot s = k.allocSlot();
            k.setSlot(s, new SwapSlotState(0, k.data(f), f.index()));
            k.setFolio(f, k.folio(f).with(FolioFlag.SWAPCACHE).withSwapSlot(s.index()));
            k.get(f, 1);
            if (k.trace) k.call("add_to_swap: " + s);
        }
    }

    private static boolean shrinkSmall(Kernel k, FolioId f) {
        addToSwap(k, f);
        SwapSlot slot = Swapfile.slotOf(k, f);
        k.call("try_to_unmap");
        boolean ok = true;
        for (int q = 0; q < k.processCount() && ok; q++) {
            Pid pid = new Pid(q);
            for (int b = 0; b < k.pageCount() && ok; b++) {
                Vaddr va = new Vaddr(b);
                if (k.pte(pid, va) instanceof Pte.Present pr && pr.folio().equals(f)) {
                    ok = tryToUnmapOne(k, pid, va, f, slot);
                }
            }
        }
        finishSmall(k, f, slot);
        return true;
    }

    /** shrink_folio_list() after try_to_unmap(): keep a folio still mapped, else page it out and free it if it can. */
    private static void finishSmall(Kernel k, FolioId f, SwapSlot slot) {
        Folio folio = k.folio(f);
        if (folio.mapcount() > 0) {
            k.call("folio still mapped: keep it (in the swapcache)");
            return;
        }
        k.setSlot(slot, k.slot(slot).withData(folio.data()));
        if (folio.refcount() == 1) {
            if (k.trace) k.call("pageout; __remove_mapping: free " + f);
            Swapfile.deleteFromSwapCache(k, f);
        } else {
            if (k.trace) k.call("pageout; __remove_mapping: page_ref_freeze fails (extra references), " + f + " stays in the swapcache");
        }
    }

    /** A large folio swapped out whole: a slot per subpage, PMDs split by try_to_unmap(), then every PTE unmapped. */
    private static boolean shrinkLarge(Kernel k, FolioId h) {
        java.util.List<FolioId> pages = Swapfile.pages(k, h);
        if (!k.has(h, FolioFlag.SWAPCACHE)) {
            for (FolioId page : pages) {
                SwapSlot s = k.allocSlot();
                k.setSlot(s, new SwapSlotState(0, k.data(page), page.index()));
                k.setFolio(page, k.folio(page).with(FolioFlag.SWAPCACHE).withSwapSlot(s.index()));
            }
            k.get(h, pages.size());
            k.call("add_to_swap: the whole folio (THP_SWAP)");
        }
        k.call("try_to_unmap(TTU_SPLIT_HUGE_PMD)");
        for (int q = 0; q < k.processCount(); q++) {
            Pid pid = new Pid(q);
            if (!k.process(pid).alive()) continue;
            for (int pair = 0; pair < k.process(pid).pmds().size(); pair++) {
                if (k.process(pid).pmds().get(pair) instanceof Pmd.Huge x && x.folio().equals(h)) {
                    HugeMemory.splitPmd(k, pid, new Vaddr(pair * 2));
                }
            }
        }
        boolean ok = true;
        for (int q = 0; q < k.processCount() && ok; q++) {
            Pid pid = new Pid(q);
            for (int b = 0; b < k.pageCount() && ok; b++) {
                Vaddr va = new Vaddr(b);
                if (k.pte(pid, va) instanceof Pte.Present pr && !pr.folio().isAnyZero() && k.head(pr.folio()).equals(h)) {
                    ok = tryToUnmapOne(k, pid, va, pr.folio(), Swapfile.slotOf(k, pr.folio()));
                }
            }
        }
        if (k.totalMapcount(h) > 0) {
            k.call("folio still mapped: keep it (in the swapcache)");
            return true;
        }
        for (FolioId page : pages) {
            SwapSlot s = Swapfile.slotOf(k, page);
            k.setSlot(s, k.slot(s).withData(k.data(page)));
        }
        if (k.folio(h).refcount() == pages.size()) {
            if (k.trace) k.call("pageout; __remove_mapping: free " + h);
            Swapfile.deleteFromSwapCache(k, h);
        } else {
            if (k.trace) k.call("pageout; __remove_mapping: page_ref_freeze fails (extra references), " + h + " stays in the swapcache");
        }
        return true;
    }

    /**
     * mm/rmap.c: try_to_unmap_one() for an anon page going to swap: clear the PTE; from v5.19 an
     * exclusive page is shared first with page_try_share_anon_rmap(), which fails for a maybe-pinned
     * page (restore the PTE, abort the walk); the swap PTE remembers exclusivity with
     * pte_swp_mkexclusive() and soft-dirty with pte_swp_mksoft_dirty().
     */
    static boolean tryToUnmapOne(Kernel k, Pid p, Vaddr a, FolioId f, SwapSlot slot) {
        return tryToUnmapOne(k, p, a, f, slot, null);
    }

    /** {@code refused}: what a check an earlier step ran found (null: the check runs now). */
    private static boolean tryToUnmapOne(Kernel k, Pid p, Vaddr a, FolioId f, SwapSlot slot, Boolean refused) {
        Pte.Present pr = (Pte.Present) k.pte(p, a);
        boolean anonExclusive = k.profile.tracksAnonExclusive() && k.has(f, FolioFlag.ANON_EXCLUSIVE);
        if (anonExclusive) {
            if (k.profile.swapOutPinned() == SwapOutPinned.REFUSE
                    && (refused != null ? refused : k.maybePinned(f))) {
                if (k.trace) k.call("try_to_unmap_one " + p + " " + a + ": page_try_share_anon_rmap fails (maybe pinned), restore PTE, abort");
                return false;
            }
            k.setFlag(f, FolioFlag.ANON_EXCLUSIVE, false);
        }
        boolean swpExclusive = anonExclusive
                && k.profile.swapPteExclusive() == SwapPteExclusive.PRESENT;
        if (k.trace) k.call("try_to_unmap_one " + p + " " + a + ": swap PTE " + slot + (swpExclusive ? " (exclusive)" : ""));
        Swapfile.swapDuplicate(k, slot);
        k.setPte(p, a, new Pte.Swap(slot, swpExclusive, pr.softDirty(), pr.uffdWp()));
        k.mapcountAdd(f, -1);
        k.put(f, 1);
        return true;
    }
    /**
     * Reclaim of a file or shmem page-cache folio (shrink_folio_list()): refused while anything but its mappings and the
     * page cache holds it (a GUP reference or pin: folio_ref_freeze() in __remove_mapping() fails); else every PTE that
     * maps it is cleared by try_to_unmap_one(), which leaves a uffd-wp marker where the PTE carried the bit (v5.19+,
     * pte_install_uffd_wp_if_needed()), and the folio leaves the page cache (written back, or to shmem's swap).
     */
    static boolean evict(Kernel k, Pid p, Vaddr a) {
        Vma vma = k.vma(p, a);
        if (!vma.mapped() || !vma.kind().pagecache()) {
            if (k.trace) k.call("evict: no file or shmem mapping at " + p + " " + a);
            return false;
        }
        int index = vma.kind().backing() == VmaKind.Backing.SHMEM ? MmState.SHMEM_FILE + a.index() : a.index();
        FolioId f = k.cachedPage(index);
        if (f == null) {
            if (k.trace) k.call("evict: file page " + index + " is not in the page cache");
            return false;
        }
        Folio folio = k.folio(f);
        if (folio.refcount() != folio.mapcount() + 1) {
            if (k.trace) k.call("shrink_folio_list: refcount " + folio.refcount() + " != mapcount " + folio.mapcount()
                    + " + 1 (the page cache): extra references, kept");
            return false;
        }
        if (k.trace) k.call("shrink_folio_list " + f + " -> try_to_unmap");
        for (int q = 0; q < k.processCount(); q++) {
            Pid pid = new Pid(q);
            if (!k.process(pid).alive()) continue;
            for (int b = 0; b < k.pageCount(); b++) {
                Vaddr va = new Vaddr(b);
                if (k.pte(pid, va) instanceof Pte.Present pr && pr.folio().equals(f)) {
                    if (k.trace) k.call("try_to_unmap_one " + pid + " " + va);
                    k.setPte(pid, va, Pte.NONE);
                    k.mapcountAdd(f, -1);
                    k.put(f, 1);
                    Userfaultfd.installMarkerIfNeeded(k, pid, va, pr);
                }
            }
        }
        k.call(vma.kind().backing() == VmaKind.Backing.SHMEM ? "shmem_writepage: to swap; __remove_mapping"
                : "pageout: written back; __remove_mapping");
        k.evictPagecache(f);
        return true;
    }
}
