package dev.mmcheck.model.rules;

import dev.mmcheck.model.profile.Decisions.SwapOutPinned;
import dev.mmcheck.model.profile.Decisions.SwapPteExclusive;
import dev.mmcheck.model.state.Folio;
import dev.mmcheck.model.state.FolioFlag;
import dev.mmcheck.model.state.FolioId;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.SwapSlot;
import dev.mmcheck.model.state.SwapSlotState;
import dev.mmcheck.model.state.Vaddr;

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
     * folio_maybe_dma_pinned() is kept (keep_locked) before add_to_swap(). Returns false if nothing changed.
     */
    static boolean shrinkFolio(Kernel k, Pid p, Vaddr a) {
        FolioId f = ((Pte.Present) k.pte(p, a)).folio();
        k.call("shrink_page_list(" + f + ")");
        if (!k.has(f, FolioFlag.SWAPCACHE) && k.profile.swapOutPinned() != SwapOutPinned.UNMAP && k.folio(f).maybeDmaPinned()) {
            k.call("folio_maybe_dma_pinned and not in the swapcache: keep it (feb889fb40fa)");
            return false;
        }
        if (!k.has(f, FolioFlag.SWAPCACHE)) {
            SwapSlot s = k.allocSlot();
            k.setSlot(s, new SwapSlotState(0, k.data(f), f.index()));
            k.setFolio(f, k.folio(f).with(FolioFlag.SWAPCACHE).withSwapSlot(s.index()));
            k.get(f, 1);
            k.call("add_to_swap: " + s);
        }
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
        Folio folio = k.folio(f);
        if (folio.mapcount() > 0) {
            k.call("folio still mapped: keep it (in the swapcache)");
            return true;
        }
        k.setSlot(slot, k.slot(slot).withData(folio.data()));
        if (folio.refcount() == 1) {
            k.call("pageout; __remove_mapping: free " + f);
            Swapfile.deleteFromSwapCache(k, f);
        } else {
            k.call("pageout; __remove_mapping: page_ref_freeze fails (extra references), " + f + " stays in the swapcache");
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
        Pte.Present pr = (Pte.Present) k.pte(p, a);
        boolean anonExclusive = k.profile.tracksAnonExclusive() && k.has(f, FolioFlag.ANON_EXCLUSIVE);
        if (anonExclusive) {
            if (k.profile.swapOutPinned() == SwapOutPinned.REFUSE
                    && k.folio(f).maybeDmaPinned()) {
                k.call("try_to_unmap_one " + p + " " + a + ": page_try_share_anon_rmap fails (maybe pinned), restore PTE, abort");
                return false;
            }
            k.setFlag(f, FolioFlag.ANON_EXCLUSIVE, false);
        }
        boolean swpExclusive = anonExclusive
                && k.profile.swapPteExclusive() == SwapPteExclusive.PRESENT;
        k.call("try_to_unmap_one " + p + " " + a + ": swap PTE " + slot + (swpExclusive ? " (exclusive)" : ""));
        Swapfile.swapDuplicate(k, slot);
        k.setPte(p, a, new Pte.Swap(slot, swpExclusive, pr.softDirty()));
        k.mapcountAdd(f, -1);
        k.put(f, 1);
        return true;
    }
}
