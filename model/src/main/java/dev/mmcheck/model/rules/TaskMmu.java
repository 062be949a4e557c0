package dev.mmcheck.model.rules;

import dev.mmcheck.model.profile.Decisions.ClearRefsPinned;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.Vaddr;
import dev.mmcheck.model.state.Vma;

/** fs/proc/task_mmu.c: clear_refs_write(CLEAR_REFS_SOFT_DIRTY). */
final class TaskMmu {
    private TaskMmu() {
    }

    /**
     * clear_refs_write() clears VM_SOFTDIRTY on every VMA (tracking starts), and clear_soft_dirty()
     * write-protects every present PTE and clears its soft-dirty bit, except (v5.11+, pte_is_pinned())
     * a writable PTE of a COW mapping in an mm with MMF_HAS_PINNED whose page may be pinned. Swap PTEs
     * lose their soft-dirty bit.
     */
    static void clearSoftDirty(Kernel k, Pid p) {
        k.call("clear_refs_write(CLEAR_REFS_SOFT_DIRTY)");
        if (!k.profile.hasSoftDirty()) {
            k.call("no CONFIG_MEM_SOFT_DIRTY: clear_soft_dirty() is an empty stub");
            return;
        }
        for (int i = 0; i < k.pageCount(); i++) {
            Vaddr a = new Vaddr(i);
            Vma vma = k.vma(p, a);
            if (!vma.mapped()) continue;
            k.setVma(p, a, vma.withSoftDirtyTracking(true));
            if (k.pmd(p, a) instanceof dev.mmcheck.model.state.Pmd.Huge h) {
                // clear_soft_dirty_pmd(), once per PMD
                if (a.index() % 2 == 0) k.setPmd(p, a, h.wrprotect().clearSoftDirty());
                continue;
            }
            if (k.pmd(p, a) instanceof dev.mmcheck.model.state.Pmd.Migration m) {
                if (a.index() % 2 == 0) k.setPmd(p, a, new dev.mmcheck.model.state.Pmd.Migration(m.folio(), m.kind(), false));
                continue;
            }
            switch (k.pte(p, a)) {
                case Pte.None n -> {
                }
                case Pte.Swap sw -> k.setPte(p, a, new Pte.Swap(sw.slot(), sw.exclusive(), false));
                case Pte.Present pr -> {
                    if (pteIsPinned(k, p, a, vma, pr)) {
                        if (k.trace) k.call("clear_soft_dirty " + a + ": pte_is_pinned, left alone");
                    } else {
                        k.setPte(p, a, pr.wrprotect().clearSoftDirty());
                    }
                }
                case Pte.Migration m -> k.setPte(p, a, new Pte.Migration(m.page(), m.kind(), false));
                default -> {
                }
            }
        }
    }

    /** pte_is_pinned(): a writable PTE of a COW mapping in an mm that has pinned, whose vm_normal_page() may be pinned. */
    private static boolean pteIsPinned(Kernel k, Pid p, Vaddr a, Vma vma, Pte.Present pr) {
        if (k.profile.clearRefsPinned() != ClearRefsPinned.SKIP_MAYBE_PINNED || !pr.write() || !vma.isCow()
                || !k.process(p).hasPinned()) {
            return false;
        }
        var page = MemoryInsert.vmNormalPage(k, p, a, pr);
        return page != null && !page.isZero() && k.maybePinned(page);
    }
}
