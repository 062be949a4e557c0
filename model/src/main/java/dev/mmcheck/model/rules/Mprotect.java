package dev.mmcheck.model.rules;

import dev.mmcheck.model.state.FolioFlag;
import dev.mmcheck.model.state.FolioId;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.Vaddr;
import dev.mmcheck.model.state.Vma;

/**
 * mm/mprotect.c: mprotect_fixup() -> change_pte_range() for one page.
 * Abstracts away: PROT_NONE and NUMA hinting (protnone PTEs), uffd-wp, and the per-arch dirty-bit games.
 */
final class Mprotect {
    private Mprotect() {
    }

    /**
     * Sets VM_WRITE and rewrites the present PTE with the new protection. A shared mapping without write-notify (a
     * driver's VM_PFNMAP or VM_MIXEDMAP mapping) takes the write bit straight from vm_page_prot; elsewhere only
     * can_change_pte_writable() may upgrade without a fault. Returns false for -EACCES (PROT_WRITE without VM_MAYWRITE).
     */
    static boolean mprotect(Kernel k, Pid p, Vaddr a, boolean write) {
        if (write && !k.vma(p, a).mayWrite()) {
            k.call("mprotect_fixup: PROT_WRITE without VM_MAYWRITE: -EACCES");
            return false;
        }
        Vma vma = k.vma(p, a).withWrite(write);
        k.setVma(p, a, vma);
        k.call("mprotect_fixup -> change_pte_range");
        if (!(k.pte(p, a) instanceof Pte.Present pr)) return true;
        if (!write) {
            k.setPte(p, a, pr.wrprotect());
            return true;
        }
        if (pr.write()) return true;
        if (vma.kind().shared() && !MemoryInsert.writeNotify(vma)) {
            k.call("pte_modify: vm_page_prot of a shared mapping without write-notify is writable");
            k.setPte(p, a, pr.mkwrite());
        } else if (canChangePteWritable(k, p, a, vma, pr)) {
            k.call("can_change_pte_writable: map it writable without a fault");
            k.setPte(p, a, pr.mkwrite());
        }
        return true;
    }

    /**
     * can_change_pte_writable(): not if soft-dirty tracking wants a fault on this PTE; private: vm_normal_page() gives
     * an anon PageAnonExclusive page (v6.0-v6.1: and the PTE is dirty; v6.2+: clean too); shared: pte_dirty. Before
     * v6.0 only the shared branch existed (MM_CP_DIRTY_ACCT for write-notify mappings).
     */
    private static boolean canChangePteWritable(Kernel k, Pid p, Vaddr a, Vma vma, Pte.Present pr) {
        if (vma.softDirtyTracking() && !pr.softDirty()) return false;
        if (!vma.isCow()) return pr.dirty();
        FolioId page = MemoryInsert.vmNormalPage(k, p, a, pr);
        boolean anon = page != null && !page.isZero() && k.folio(page).isAnon();
        boolean exclusive = anon && k.has(page, FolioFlag.ANON_EXCLUSIVE);
        return switch (k.profile.mprotectUpgrade()) {
            case NEVER_PRIVATE -> false;
            case ANON_EXCLUSIVE_DIRTY -> pr.dirty() && exclusive;
            case ANON_EXCLUSIVE -> exclusive;
            case ANY_ANON -> anon;
            case ANY_PAGE -> true;
        };
    }
}
