package dev.mmcheck.model.rules;

import dev.mmcheck.model.state.FolioFlag;
import dev.mmcheck.model.state.FolioId;
import dev.mmcheck.model.state.SwapSlot;
import dev.mmcheck.model.state.SwapSlotState;

/**
 * mm/swapfile.c and mm/swap_state.c: swap counts and the swap cache.
 * Abstracts away: swap devices, swap_map continuation, writeback (a folio is never under writeback, so
 * SWP_STABLE_WRITES never matters), and the "swap is more than half full" test (mem_cgroup_swap_full()
 * is always false: swap space is plentiful, so swap-in keeps the swapcache).
 */
final class Swapfile {
    private Swapfile() {
    }

    static SwapSlot slotOf(Kernel k, FolioId f) {
        return new SwapSlot(k.folio(f).swapSlot());
    }

    /** swap_duplicate(): one more swap PTE references the slot. */
    static void swapDuplicate(Kernel k, SwapSlot s) {
        SwapSlotState st = k.slot(s);
        k.setSlot(s, st.withSwapCount(st.swapCount() + 1));
    }

    /** swap_free(): one swap PTE less. */
    static void swapFree(Kernel k, SwapSlot s) {
        SwapSlotState st = k.slot(s);
        if (st.swapCount() <= 0) throw new IllegalStateException(s + " swap count underflow");
        k.setSlot(s, st.withSwapCount(st.swapCount() - 1));
    }

    /**
     * mm/swapfile.c: reuse_swap_page() (v5.7-v5.17), small folios: count = mapcount + swapcount; if it
     * is 1 and the page is in the swapcache, delete_from_swap_cache(). Returns count <= 1. The refcount,
     * and so any GUP reference, is not looked at.
     */
    static boolean reuseSwapPage(Kernel k, FolioId f) {
        if (k.has(f, FolioFlag.KSM)) return false;
        boolean cached = k.has(f, FolioFlag.SWAPCACHE);
        int count = k.folio(f).mapcount() + (cached ? k.slot(slotOf(k, f)).swapCount() : 0);
        if (k.trace) k.call("reuse_swap_page: mapcount + swapcount = " + count);
        if (count == 1 && cached) {
            deleteFromSwapCache(k, f);
        }
        return count <= 1;
    }

    /** The folio's pages: the page itself, or every subpage of a large folio. */
    static java.util.List<FolioId> pages(Kernel k, FolioId f) {
        if (!k.large(f)) return java.util.List.of(f);
        FolioId h = k.head(f);
        return java.util.List.of(h, new FolioId(h.index() + 1));
    }

    /**
     * mm/swapfile.c: try_to_free_swap() / folio_free_swap(): drop the swapcache if no swap PTE uses any of the
     * folio's slots (a large folio leaves the swapcache whole).
     */
    static boolean tryToFreeSwap(Kernel k, FolioId f) {
        if (!k.has(f, FolioFlag.SWAPCACHE)) return false;
        for (FolioId page : pages(k, f)) {
            if (k.has(page, FolioFlag.SWAPCACHE) && k.slot(slotOf(k, page)).swapCount() > 0) return false;
        }
        k.call("try_to_free_swap");
        deleteFromSwapCache(k, f);
        return true;
    }

    /** mm/swap_state.c: delete_from_swap_cache(): the folio leaves the swapcache and drops its references (one per page). */
    static void deleteFromSwapCache(Kernel k, FolioId f) {
        java.util.List<FolioId> pages = pages(k, f);
        int n = 0;
        for (FolioId page : pages) {
            if (!k.has(page, FolioFlag.SWAPCACHE)) continue;
            SwapSlot s = slotOf(k, page);
            k.setSlot(s, k.slot(s).withCache(-1));
            k.setFolio(page, k.folio(page).without(FolioFlag.SWAPCACHE).withSwapSlot(-1));
            n++;
        }
        k.call("delete_from_swap_cache");
        k.put(f, n);
    }

    /** mm/swap_state.c: free_swap_cache(): after unmapping, drop the swapcache of a folio nothing maps. */
    static void freeSwapCache(Kernel k, FolioId f) {
        if (!f.isAnyZero() && k.has(f, FolioFlag.SWAPCACHE) && k.totalMapcount(f) == 0) {
            tryToFreeSwap(k, f);
        }
    }

    /** mm/swapfile.c: free_swap_and_cache(): zap of a swap PTE; reclaim the cached folio if it is unused. */
    static void freeSwapAndCache(Kernel k, SwapSlot s) {
        swapFree(k, s);
        SwapSlotState st = k.slot(s);
        if (st.swapCount() == 0 && st.cache() >= 0) {
            FolioId f = new FolioId(st.cache());
            if (k.totalMapcount(f) == 0) {
                k.call("__try_to_reclaim_swap");
                tryToFreeSwap(k, f);
            }
        }
    }

    /**
     * swapoff() -> try_to_unuse(): every swap PTE of every process is replaced by unuse_pte() with a PTE of the page
     * (read into the swapcache if it is not there): R/O (vm_page_prot), old, RMAP_EXCLUSIVE where the swap PTE was
     * exclusive (v5.19+), and from v5.19 (14a762dd1977) with the swap PTE's soft-dirty and uffd-wp bits; then the
     * swapcache is dropped. Returns false if no swap PTE exists. Not modelled: KSM's copy (ksm_might_need_to_copy()).
     */
    static boolean swapoff(Kernel k) {
        boolean any = false;
        boolean keep = k.profile.swapoffBits() == dev.mmcheck.model.profile.Decisions.SwapoffBits.KEEP;
        k.call("swapoff -> try_to_unuse");
        for (int q = 0; q < k.processCount(); q++) {
            dev.mmcheck.model.state.Pid pid = new dev.mmcheck.model.state.Pid(q);
            if (!k.process(pid).alive()) continue;
            for (int b = 0; b < k.pageCount(); b++) {
                dev.mmcheck.model.state.Vaddr va = new dev.mmcheck.model.state.Vaddr(b);
                if (!(k.pte(pid, va) instanceof dev.mmcheck.model.state.Pte.Swap sw)) continue;
                any = true;
                SwapSlot slot = sw.slot();
                FolioId f;
                if (k.slot(slot).cache() >= 0) {
                    f = new FolioId(k.slot(slot).cache());
                } else {
                    f = k.allocAnon(k.slot(slot).data());
                    k.setFolio(f, k.folio(f).with(FolioFlag.SWAPCACHE).withSwapSlot(slot.index()));
                    k.get(f, 1);
                    k.setSlot(slot, k.slot(slot).withCache(f.index()));
                    if (k.trace) k.call("read_swap_cache_async: " + f);
                }
                if (k.trace) k.call("unuse_pte " + pid + " " + va + (keep ? "" : ": mk_pte(page, vm_page_prot), the swap PTE's bits are dropped"));
                k.get(f, 1);
                k.mapcountAdd(f, 1);
                if (k.profile.tracksAnonExclusive() && sw.exclusive()) k.setFlag(f, FolioFlag.ANON_EXCLUSIVE, true);
                k.setPte(pid, va, new dev.mmcheck.model.state.Pte.Present(f, false, false, keep && sw.softDirty(), false, false,
                        keep && sw.uffdWp()));
                swapFree(k, slot);
            }
        }
        if (!any) {
            k.call("no swap entry is in use");
            return false;
        }
        for (int i = 0; i < k.folioCount(); i++) {
            FolioId f = new FolioId(i);
            if (k.has(f, FolioFlag.SWAPCACHE) && k.slot(slotOf(k, f)).swapCount() == 0) {
                if (k.trace) k.call("try_to_unuse: delete_from_swap_cache(" + f + ")");
                deleteFromSwapCache(k, f);
            }
        }
        return true;
    }
}
