package dev.mmcheck.model.rules;

import dev.mmcheck.model.state.FolioFlag;
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

    /** Sets VM_WRITE and rewrites the present PTE with the new protection. */
    static void mprotect(Kernel k, Pid p, Vaddr a, boolean write) {
        Vma vma = k.vma(p, a).withWrite(write);
        k.setVma(p, a, vma);
        k.call("mprotect_fixup -> change_pte_range");
        if (!(k.pte(p, a) instanceof Pte.Present pr)) return;
        if (!write) {
            k.setPte(p, a, pr.wrprotect());
            return;
        }
        if (!pr.write() && canChangePteWritable(k, vma, pr)) {
            k.call("can_change_pte_writable: map it writable without a fault");
            k.setPte(p, a, pr.mkwrite());
        }
    }

    /**
     * v6.0+ can_change_pte_writable(): not if soft-dirty tracking wants a fault on this PTE; private:
     * PageAnon && PageAnonExclusive (vm_normal_page() is NULL for the zeropage); shared: pte_dirty.
     * Before v6.0 only the shared branch existed (MM_CP_DIRTY_ACCT for write-notify mappings).
     */
    private static boolean canChangePteWritable(Kernel k, Vma vma, Pte.Present pr) {
        if (vma.softDirtyTracking() && !pr.softDirty()) return false;
        if (!vma.isCow()) return pr.dirty();
        boolean anon = !pr.folio().isZero() && k.folio(pr.folio()).isAnon();
        return switch (k.profile.mprotectUpgrade()) {
            case NEVER_PRIVATE -> false;
            case ANON_EXCLUSIVE -> anon && k.has(pr.folio(), FolioFlag.ANON_EXCLUSIVE);
            case ANY_ANON -> anon;
            case ANY_PAGE -> true;
        };
    }
}
