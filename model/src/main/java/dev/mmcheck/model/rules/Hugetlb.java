package dev.mmcheck.model.rules;

import dev.mmcheck.model.profile.Decisions.HugetlbForkPinned;
import dev.mmcheck.model.profile.Decisions.PinUnshare;
import dev.mmcheck.model.state.Data;
import dev.mmcheck.model.state.FolioFlag;
import dev.mmcheck.model.state.FolioId;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Pmd;
import dev.mmcheck.model.state.Vaddr;
import dev.mmcheck.model.state.Vma;

/**
 * mm/hugetlb.c for a private anonymous hugetlb mapping (MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB) over an aligned pair of
 * pages: one hugetlb folio mapped by a huge PTE (a {@link Pmd.Huge} here), never split. PG_anon_exclusive lives on
 * the head page (v5.19+).
 * Abstracts away: reservations and the hugetlb pool (a page is always available), shared hugetlb mappings and PMD
 * sharing, hugetlb migration, swap (hugetlb is never swapped) and hugetlb's vmemmap optimization.
 */
final class Hugetlb {
    private Hugetlb() {
    }

    /**
     * hugetlb_fault(): an empty huge PTE gets a new zeroed hugetlb folio (hugetlb_no_page(): R/O in a private
     * mapping, new anon rmap, exclusive from v5.19; a write then goes through hugetlb_wp(), which reuses it). A
     * write (or, from v5.19, an unshare) fault on a R/O huge PTE goes to hugetlb_wp().
     */
    static boolean fault(Kernel k, Pid p, Vaddr a, Memory.Fault fault) {
        if (!HugeMemory.hugeVma(k, p, a)) {
            k.call("hugetlb_fault: the VMA no longer covers the whole huge page: SIGBUS");
            return false;
        }
        if (k.pmd(p, a) instanceof Pmd.None) {
            k.call("hugetlb_fault -> hugetlb_no_page: a new hugetlb folio");
            HugeMemory.base(a);
            k.setVma(p, HugeMemory.base(a), k.vma(p, HugeMemory.base(a)).withAnonVma());
            k.setVma(p, HugeMemory.other(HugeMemory.base(a)), k.vma(p, HugeMemory.other(HugeMemory.base(a))).withAnonVma());
            FolioId h = k.allocLarge(Data.INITIAL, Data.INITIAL, true);
            k.get(h, 1);
            k.entireMapcountAdd(h, 1);
            if (k.profile.tracksAnonExclusive()) k.setFlag(h, FolioFlag.ANON_EXCLUSIVE, true);
            k.setPmd(p, a, new Pmd.Huge(h, false, fault == Memory.Fault.WRITE, fault == Memory.Fault.WRITE));
            if (fault != Memory.Fault.WRITE) return true;
        }
        Pmd.Huge h = (Pmd.Huge) k.pmd(p, a);
        if (fault == Memory.Fault.READ || h.write()) {
            if (fault == Memory.Fault.WRITE) k.setPmd(p, a, h.mkdirty());
            return true;
        }
        boolean unshare = fault == Memory.Fault.UNSHARE;
        if (unshare && !k.profile.tracksAnonExclusive()) return true;
        return wp(k, p, a, unshare);
    }

    /**
     * hugetlb_wp() (hugetlb_cow() before v5.19): reuse iff the folio is anon and mapped once (folio_mapcount() == 1),
     * whatever its refcount: a FOLL_GET reference (vmsplice) does not prevent reuse, the kernel's documented leak
     * ("there can still be leaks between processes, for example, with FOLL_GET users"). On reuse v5.19+ sets
     * PG_anon_exclusive on the head; an unshare leaves the huge PTE R/O. Otherwise copy into a new hugetlb folio.
     */
    static boolean wp(Kernel k, Pid p, Vaddr a, boolean unshare) {
        Pmd.Huge pmd = (Pmd.Huge) k.pmd(p, a);
        FolioId h = pmd.folio();
        Vma vma = k.vma(p, a);
        if (k.trace) k.call(unshare ? "hugetlb_wp(FAULT_FLAG_UNSHARE)" : "hugetlb_wp");
        int mapcount = k.folio(h).entireMapcount();
        if (mapcount == 1) {
            k.call("folio_mapcount == 1 && anon: reuse");
            if (k.profile.tracksAnonExclusive() && !k.has(h, FolioFlag.ANON_EXCLUSIVE)) {
                k.call("page_move_anon_rmap: SetPageAnonExclusive(head)");
                k.setFlag(h, FolioFlag.ANON_EXCLUSIVE, true);
            }
            if (!unshare) k.setPmd(p, a, vma.write() ? pmd.mkdirty().mkwrite() : pmd.mkdirty());
            return true;
        }
        k.call("hugetlb_wp: copy into a new hugetlb folio");
        FolioId nf = k.allocLarge(k.data(h), k.data(new FolioId(h.index() + 1)), true);
        k.get(nf, 1);
        k.entireMapcountAdd(nf, 1);
        if (k.profile.tracksAnonExclusive()) k.setFlag(nf, FolioFlag.ANON_EXCLUSIVE, true);
        k.setPmd(p, a, unshare ? new Pmd.Huge(nf, false, false, pmd.softDirty()) : new Pmd.Huge(nf, vma.write(), true, true));
        k.entireMapcountAdd(h, -1);
        k.put(h, 1);
        return true;
    }

    /**
     * copy_hugetlb_page_range() for a private mapping: before v5.12 always share; v5.12-v5.18 (4eae4efa2c29) a
     * maybe-pinned folio of an mm with MMF_HAS_PINNED is copied for the child now; v5.19+ hugetlb_try_dup_anon_rmap():
     * an exclusive and maybe-pinned head is copied, any other is shared after clearing PG_anon_exclusive. A shared
     * huge PTE is write-protected in both.
     */
    static void copy(Kernel k, Pid parent, Pid child, Vaddr a, Pmd.Huge pmd) {
        FolioId h = pmd.folio();
        boolean maybePinned = k.process(parent).hasPinned() && k.maybePinned(h);
        boolean copy = false;
        if (k.profile.hugetlbForkPinned() == HugetlbForkPinned.COPY) {
            copy = k.profile.tracksAnonExclusive() ? maybePinned && k.has(h, FolioFlag.ANON_EXCLUSIVE) : maybePinned;
        }
        if (copy) {
            k.call("copy_hugetlb_page_range: maybe pinned, the child gets a copy now");
            FolioId nf = k.allocLarge(k.data(h), k.data(new FolioId(h.index() + 1)), true);
            k.get(nf, 1);
            k.entireMapcountAdd(nf, 1);
            if (k.profile.tracksAnonExclusive()) k.setFlag(nf, FolioFlag.ANON_EXCLUSIVE, true);
            k.setPmd(child, a, new Pmd.Huge(nf, k.vma(child, a).write(), true, true));
            return;
        }
        if (k.profile.tracksAnonExclusive() && k.has(h, FolioFlag.ANON_EXCLUSIVE)) {
            k.call("hugetlb_try_dup_anon_rmap: ClearPageAnonExclusive");
            k.setFlag(h, FolioFlag.ANON_EXCLUSIVE, false);
        }
        k.call("copy_hugetlb_page_range: share, write-protect both");
        k.get(h, 1);
        k.entireMapcountAdd(h, 1);
        k.setPmd(parent, a, pmd.wrprotect());
        k.setPmd(child, a, pmd.wrprotect());
    }

    /** Whether GUP must unshare a R/O hugetlb page first (v5.19+: a FOLL_PIN without FOLL_WRITE of a non-exclusive head). */
    static boolean mustUnshare(Kernel k, int flags, FolioId page) {
        return k.profile.pinUnshare() != PinUnshare.NEVER && Gup.mustUnshare(k, null, flags, k.head(page));
    }
}
