package dev.mmcheck.model.rules;

import com.google.common.collect.ImmutableList;
import dev.mmcheck.model.state.GupRef;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Process;
import dev.mmcheck.model.state.Pmd;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.UffdState;
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
        // dup_userfaultfd(): the child VMAs keep VM_UFFD_* only with UFFD_FEATURE_EVENT_FORK (the monitor gets a new
        // context for the child); otherwise they are cleared
        boolean eventFork = pp.uffd().has(UffdState.EVENT_FORK);
        if (pp.uffd().has(UffdState.OPEN)) k.call(eventFork ? "dup_userfaultfd: UFFD_EVENT_FORK, the child keeps its uffd VMAs" : "dup_userfaultfd: no EVENT_FORK, clear VM_UFFD_* in the child");
        List<Vma> vmas = new ArrayList<>();
        for (Vma v : pp.vmas()) {
            vmas.add(v.dontCopy() ? Vma.UNMAPPED : eventFork ? v : v.withUffd(0));
        }
        List<Pte> ptes = new ArrayList<>(java.util.Collections.nCopies(vmas.size(), Pte.NONE));
        Process c = new Process(true, false, false, ImmutableList.copyOf(vmas), ImmutableList.copyOf(ptes));
        if (eventFork) c = c.withUffd(new UffdState(pp.uffd().features(), pp.uffd().intent(), 0, 0));
        k.setProcess(child, c);
        for (int i = 0; i < vmas.size(); i++) {
            Vaddr a = new Vaddr(i);
            Vma v = pp.vma(a);
            if (!v.mapped() || v.dontCopy()) continue;
            // vma_needs_copy(): from v5.19 (c56d1b62cce8) also a child VMA with VM_UFFD_WP, whose markers and bits
            // faults could not rebuild
            boolean uffdWp = vmas.get(i).uffdWp() && Userfaultfd.markers(k);
            if (!v.anonVma() && !v.pfnmap() && !v.mixedmap() && !uffdWp) {
                if (k.trace) k.call("copy_page_range " + a + ": no anon_vma, left to faults");
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
