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
        return mprotect(k, p, a, write, false);
    }

    /**
     * mprotect() of one page, or of a whole aligned pair ({@code pair}): a whole PMD goes through change_huge_pmd();
     * one page of a PMD-mapped range splits the VMA and so the PMD (vma_adjust_trans_huge()). A hugetlb range is only
     * changed whole (-EINVAL otherwise).
     */
    static boolean mprotect(Kernel k, Pid p, Vaddr a, boolean write, boolean pair) {
        if (write && !k.vma(p, a).mayWrite()) {
            k.call("mprotect_fixup: PROT_WRITE without VM_MAYWRITE: -EACCES");
            return false;
        }
        if (k.vma(p, a).kind() == dev.mmcheck.model.state.VmaKind.HUGETLB_PRIVATE && !pair) {
            k.call("mprotect: part of a hugetlb page: -EINVAL");
            return false;
        }
        if (pair) {
            Vaddr b = HugeMemory.base(a);
            for (Vaddr x : new Vaddr[] {b, HugeMemory.other(b)}) k.setVma(p, x, k.vma(p, x).withWrite(write));
            if (k.pmd(p, a) instanceof dev.mmcheck.model.state.Pmd.Huge) {
                k.call("mprotect_fixup -> change_pmd_range");
                HugeMemory.changeHugePmd(k, p, a, write);
                return true;
            }
            for (Vaddr x : new Vaddr[] {b, HugeMemory.other(b)}) changePte(k, p, x, write);
            return true;
        }
        HugeMemory.splitIfPmd(k, p, a, "mprotect of part of a PMD: vma_adjust_trans_huge");
        k.setVma(p, a, k.vma(p, a).withWrite(write));
        changePte(k, p, a, write);
        return true;
    }

    private static void changePte(Kernel k, Pid p, Vaddr a, boolean write) {
        Vma vma = k.vma(p, a);
        k.call("mprotect_fixup -> change_pte_range");
        if (k.pte(p, a) instanceof dev.mmcheck.model.state.Pte.Migration m && !write && m.kind() == dev.mmcheck.model.state.Pte.MigrationKind.WRITABLE) {
            // change_pte_range(): a writable migration entry becomes readable(-exclusive from v5.19)
            boolean anonExcl = k.profile.tracksAnonExclusive();
            k.setPte(p, a, new dev.mmcheck.model.state.Pte.Migration(m.page(), anonExcl
                    ? dev.mmcheck.model.state.Pte.MigrationKind.READABLE_EXCLUSIVE : dev.mmcheck.model.state.Pte.MigrationKind.READABLE, m.softDirty()));
            return;
        }
        if (!(k.pte(p, a) instanceof Pte.Present pr)) return;
        if (!write) {
            k.setPte(p, a, pr.wrprotect());
            return;
        }
        if (pr.write()) return;
        if (vma.kind().shared() && !MemoryInsert.writeNotify(vma, k.profile)) {
            k.call("pte_modify: vm_page_prot of a shared mapping without write-notify is writable");
            k.setPte(p, a, pr.mkwrite());
        } else if (canChangePteWritable(k, p, a, vma, pr)) {
            k.call("can_change_pte_writable: map it writable without a fault");
            k.setPte(p, a, pr.mkwrite());
        }
    }

    /**
     * can_change_pte_writable(): not if soft-dirty tracking wants a fault on this PTE; private: vm_normal_page() gives
     * an anon PageAnonExclusive page (v6.0-v6.1: and the PTE is dirty; v6.2+: clean too); shared: pte_dirty. Before
     * v6.0 only the shared branch existed (MM_CP_DIRTY_ACCT for write-notify mappings).
     */
    static boolean canChangePteWritable(Kernel k, Pid p, Vaddr a, Vma vma, Pte.Present pr) {
        if (vma.softDirtyTracking() && !pr.softDirty()) return false;
        // v6.0+: never a PTE the monitor write-protected (userfaultfd_pte_wp())
        if (vma.uffdWp() && pr.uffdWp()) return false;
        if (!vma.isCow()) return pr.dirty();
        FolioId page = MemoryInsert.vmNormalPage(k, p, a, pr);
        var plugin = k.profile.plugin(dev.mmcheck.model.profile.DecisionPoint.MPROTECT_UPGRADE,
                dev.mmcheck.model.plugin.MprotectUpgradeRule.class);
        if (plugin.isPresent()) {
            if (page == null || page.isZero()) return false;
            boolean yes = plugin.get().canChangeWritable(Views.page(k, p, page, pr.dirty()));
            k.call("can_change_pte_writable: plugin:" + plugin.get().name() + " says " + (yes ? "writable" : "no"));
            return yes;
        }
        boolean anon = page != null && !page.isZero() && k.folio(page).isAnon();
        boolean exclusive = anon && k.has(page, FolioFlag.ANON_EXCLUSIVE);
        return switch (k.profile.mprotectUpgrade()) {
            case NEVER_PRIVATE -> false;
            case ANON_EXCLUSIVE_DIRTY -> pr.dirty() && exclusive;
            case ANON_EXCLUSIVE -> exclusive;
            case ANY_ANON -> anon;
            case ANY_PAGE -> true;
            case FOLIO_NOT_MAPPED_SHARED -> anon && (k.large(page) ? !Memory.mappedByOther(k, page, p) : exclusive);
        };
    }
}
