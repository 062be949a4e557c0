package dev.mmcheck.model.rules;

import dev.mmcheck.model.profile.Decisions.KsmBreakCow;
import dev.mmcheck.model.profile.Decisions.KsmWriteProtect;
import dev.mmcheck.model.profile.Decisions.KsmZeroPages;
import dev.mmcheck.model.state.Vma;
import dev.mmcheck.model.state.Folio;
import dev.mmcheck.model.state.FolioFlag;
import dev.mmcheck.model.state.FolioId;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.Vaddr;

/**
 * mm/ksm.c: merging two identical anon pages.
 * Abstracts away: ksmd's scanning, checksums and the unstable tree (two pages of equal content merge in
 * one step), KSM's own scan reference (write_protect_page()'s "+ 1"), stable node chains, the use_zero_pages
 * mode, and merging two pages that are both KSM already.
 */
final class Ksm {
    private Ksm() {
    }

    /**
     * try_to_merge_two_pages(): the page at p:a becomes the KSM page (write_protect_page() then
     * set_page_stable_node()), and the page at q:b is replaced by it (write_protect_page() then
     * replace_page()). If the second step fails, break_cow() unshares the first again. If one of the two
     * is already a KSM page, the other is merged into it (try_to_merge_with_ksm_page()).
     * Returns false if nothing changed.
     *
     * <p>In cmp_and_merge_page() the page being scanned is the one that becomes the KSM page, and the page it
     * matches in the unstable tree (scanned earlier in the same full scan: scan_get_next_rmap_item() empties the
     * unstable tree before each) is replaced. Which of two pages ksmd scans later is not fixed by anything the model
     * holds: within an mm it scans by address, and the model does not place its pages; across mms it scans the
     * mm_slot list in order, and __ksm_enter() (at MADV_MERGEABLE, and at fork through ksm_fork()) inserts an mm
     * just behind the scan cursor, wherever that is at the time. So explorations offer both orders of every pair
     * (read in a v5.x mm/ksm.c; __ksm_enter() inserts behind the cursor the same way in the 2025 mm_flags_*()
     * patches to it on linux-mm; not re-read at a v7.1 tag).
     */
    static boolean merge(Kernel k, Pid p, Vaddr a, Pid q, Vaddr b) {
        FolioId f1 = ((Pte.Present) k.pte(p, a)).folio();
        FolioId f2 = ((Pte.Present) k.pte(q, b)).folio();
        if (k.has(f2, FolioFlag.KSM)) {
            if (k.trace) k.call("try_to_merge_with_ksm_page(" + f2 + ")");
            return writeProtectPage(k, p, a) && replacePage(k, p, a, f2);
        }
        if (k.has(f1, FolioFlag.KSM)) {
            if (k.trace) k.call("try_to_merge_with_ksm_page(" + f1 + ")");
            return writeProtectPage(k, q, b) && replacePage(k, q, b, f1);
        }
        k.call("try_to_merge_two_pages");
        if (!writeProtectPage(k, p, a)) return false;
        Folio kf = k.folio(f1);
        k.setFolio(f1, kf.with(FolioFlag.KSM).withData(kf.data().merged()));
        if (k.trace) k.call("stable_tree_insert: " + f1 + " becomes a KSM page");
        if (!writeProtectPage(k, q, b)) {
            if (k.trace) k.call("break_cow(" + p + " " + a + ")");
            Memory.handleFault(k, p, a, k.profile.ksmBreakCow() == KsmBreakCow.UNSHARE_FAULT ? Memory.Fault.UNSHARE : Memory.Fault.WRITE);
            return true;
        }
        return replacePage(k, q, b, f1);
    }

    /**
     * write_protect_page(): if the PTE is writable or dirty (or, from v5.19, the page exclusive), clear
     * it and refuse when mapcount + swapcache != refcount (any GUP reference); from v5.19 share an
     * exclusive page with page_try_share_anon_rmap(), refused if maybe pinned. Then map it clean and R/O.
     */
    private static boolean writeProtectPage(Kernel k, Pid p, Vaddr a) {
        Boolean refused = k.earlyCheckRefused;
        k.earlyCheckRefused = null;
        if (!needsWriteProtect(k, p, a)) return true;
        Pte.Present pr = (Pte.Present) k.pte(p, a);
        FolioId f = pr.folio();
        KsmWriteProtect rule = k.profile.ksmWriteProtect();
        boolean anonExclusive = k.profile.tracksAnonExclusive() && k.folio(f).has(FolioFlag.ANON_EXCLUSIVE);
        if (refused != null) {
            if (refused) {
                k.call("write_protect_page " + p + " " + a + ": the checks read before the clear failed: restore the PTE, refuse");
                return false;
            }
            k.call("write_protect_page " + p + " " + a + ": ptep_clear_flush, acting on the checks read before it");
        } else if (!checksPass(k, p, a, f)) {
            return false;
        }
        if (anonExclusive && rule == KsmWriteProtect.REFCOUNT_CHECK_AND_SHARE) k.setFlag(f, FolioFlag.ANON_EXCLUSIVE, false);
        if (k.trace) k.call("write_protect_page " + p + " " + a);
        k.setPte(p, a, pr.mkclean().wrprotect());
        return true;
    }

    /** write_protect_page() has work: the PTE is writable or dirty, or (from v5.19) the page is exclusive. */
    static boolean needsWriteProtect(Kernel k, Pid p, Vaddr a) {
        Pte.Present pr = (Pte.Present) k.pte(p, a);
        boolean anonExclusive = k.profile.tracksAnonExclusive() && k.folio(pr.folio()).has(FolioFlag.ANON_EXCLUSIVE);
        return pr.write() || pr.dirty() || (k.profile.ksmWriteProtect() != KsmWriteProtect.REFCOUNT_CHECK && anonExclusive);
    }

    /**
     * write_protect_page()'s checks after the PTE clear: no reference beyond the mappings (mapcount + swapcache !=
     * refcount: O_DIRECT or GUP in progress), and from v5.19 page_try_share_anon_rmap() refusing a maybe-pinned
     * exclusive page.
     */
    static boolean checksPass(Kernel k, Pid p, Vaddr a, FolioId f) {
        Folio folio = k.folio(f);
        int swapped = folio.has(FolioFlag.SWAPCACHE) ? 1 : 0;
        if (folio.mapcount() + swapped != folio.refcount()) {
            if (k.trace) k.call("write_protect_page " + p + " " + a + ": mapcount + swapcache != refcount, refuse");
            return false;
        }
        boolean anonExclusive = k.profile.tracksAnonExclusive() && folio.has(FolioFlag.ANON_EXCLUSIVE);
        if (anonExclusive && k.profile.ksmWriteProtect() == KsmWriteProtect.REFCOUNT_CHECK_AND_SHARE && folio.maybeDmaPinned()) {
            k.call("write_protect_page: page_try_share_anon_rmap fails, refuse");
            return false;
        }
        return true;
    }

    /**
     * try_to_merge_with_zero_page() (use_zero_pages=1, v4.11+): a mergeable, zero-filled anon page is write-protected
     * like any merge candidate, then replace_page() maps pte_mkspecial(zero pfn) in its place (pte_mkdirty too from
     * v6.6, so KSM zero pages can be told apart and counted) with no reference, and the old page is dropped. Not for an
     * mm that forbids the zeropage. Returns false if nothing changed.
     */
    static boolean mergeWithZeropage(Kernel k, Pid p, Vaddr a) {
        Vma vma = k.vma(p, a);
        if (k.profile.ksmZeroPages() == KsmZeroPages.ABSENT) {
            k.call("no use_zero_pages before v4.11");
            return false;
        }
        if (!vma.mergeable() || k.process(p).forbidsZeropage() || !(k.pte(p, a) instanceof Pte.Present pr)
                || !MemoryInsert.mapsAnon(k, p, a, pr)) {
            k.call("ksmd: no zero-filled anonymous page in a VM_MERGEABLE VMA here");
            return false;
        }
        FolioId old = pr.folio();
        if (k.has(old, FolioFlag.KSM) || k.folio(old).data().value() != 0) {
            k.call("ksmd: the page is not zero-filled (or is KSM already)");
            return false;
        }
        k.call("try_to_merge_with_zero_page");
        if (!writeProtectPage(k, p, a)) return false;
        boolean dirty = k.profile.ksmZeroPages() == KsmZeroPages.SPECIAL_DIRTY;
        if (k.trace) k.call("replace_page: " + p + " " + a + " -> the zeropage" + (dirty ? " (pte_mkdirty: a KSM zero page)" : ""));
        k.setPte(p, a, new Pte.Present(FolioId.ZERO, false, dirty, false, true));
        k.mapcountAdd(old, -1);
        if (k.folio(old).mapcount() == 0) Swapfile.tryToFreeSwap(k, old);
        k.put(old, 1);
        return true;
    }

    /** replace_page(): map the KSM page R/O in place of the page at p:a (never exclusive), drop the old page. */
    private static boolean replacePage(Kernel k, Pid p, Vaddr a, FolioId kpage) {
        FolioId old = ((Pte.Present) k.pte(p, a)).folio();
        if (k.trace) k.call("replace_page: " + p + " " + a + " -> " + kpage);
        k.get(kpage, 1);
        k.mapcountAdd(kpage, 1);
        k.setPte(p, a, new Pte.Present(kpage, false, false, false, false));
        k.mapcountAdd(old, -1);
        if (k.folio(old).mapcount() == 0) Swapfile.tryToFreeSwap(k, old);
        k.put(old, 1);
        return true;
    }
}
