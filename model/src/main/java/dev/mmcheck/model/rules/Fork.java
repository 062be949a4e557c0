package dev.mmcheck.model.rules;

import com.google.common.collect.ImmutableList;
import dev.mmcheck.model.state.GupRef;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Process;
import dev.mmcheck.model.state.Pmd;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.Vaddr;
import dev.mmcheck.model.state.Vma;
import java.util.ArrayList;
import java.util.List;

/** kernel/fork.c: dup_mmap(), and kernel/exit.c / mm/mmap.c: exit_mmap(). */
final class Fork {
    private Fork() {
    }

    /**
     * dup_mmap(): VM_DONTCOPY VMAs are not created in the child; copy_page_range() skips VMAs without
     * an anon_vma unless they are VM_PFNMAP or VM_MIXEDMAP (vma_needs_copy(): their PTEs cannot be refilled by
     * faults), and copies the others PTE by PTE. The child's
     * mm starts without MMF_HAS_PINNED (it is not in MMF_INIT_MASK).
     */
    static void fork(Kernel k, Pid parent, Pid child) {
        k.call("dup_mmap");
        Process pp = k.process(parent);
        List<Vma> vmas = new ArrayList<>();
        for (Vma v : pp.vmas()) {
            vmas.add(v.dontCopy() ? Vma.UNMAPPED : v);
        }
        List<Pte> ptes = new ArrayList<>(java.util.Collections.nCopies(vmas.size(), Pte.NONE));
        k.setProcess(child, new Process(true, false, false, ImmutableList.copyOf(vmas), ImmutableList.copyOf(ptes)));
        for (int i = 0; i < vmas.size(); i++) {
            Vaddr a = new Vaddr(i);
            Vma v = pp.vma(a);
            if (!v.mapped() || v.dontCopy()) continue;
            if (!v.anonVma() && !v.pfnmap() && !v.mixedmap()) {
                k.call("copy_page_range " + a + ": no anon_vma, left to faults");
                continue;
            }
            if (i % 2 == 0 && !(k.pmd(parent, a) instanceof Pmd.None)) {
                // copy_pmd_range(): the PMD is copied whole, unless copy_huge_pmd() split it
                if (k.pmd(parent, a) instanceof Pmd.Huge h && !h.folio().isHugeZero() && k.folio(h.folio()).part().hugetlb()) {
                    Hugetlb.copy(k, parent, child, a, h);
                    i++;
                    continue;
                }
                if (HugeMemory.copyHugePmd(k, parent, child, a)) {
                    i++;
                    continue;
                }
            }
            if (k.pmd(parent, a) instanceof Pmd.None) Memory.copyPte(k, parent, child, a);
        }
    }

    /**
     * exit_mmap(): zap every PTE; then the process's files close, releasing its pipes' pages and its
     * io_uring/RDMA pins. The slot is forgotten from every page's witnesses, so a later process in the
     * same slot is a different process.
     */
    static void exit(Kernel k, Pid p) {
        k.call("exit_mmap");
        for (int i = 0; i < k.pageCount(); i++) {
            HugeMemory.zapPmd(k, p, new Vaddr(i));
            Memory.zapPte(k, p, new Vaddr(i));
        }
        for (GupRef r : List.copyOf(k.refs())) {
            if (r.owner().equals(p)) Gup.release(k, r);
        }
        k.setProcess(p, Process.dead(k.pageCount()));
        k.forgetProcess(p);
    }
}
