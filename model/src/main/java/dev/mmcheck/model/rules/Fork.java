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
        seqBegins(k, parent);
        copy(k, parent, child, null);
    }

    /**
     * A fork split into steps, step 1: dup_mmap() takes mmap_lock for write, copy_page_range() begins write_protect_seq
     * (v5.11+), and copy_present_pte()'s page_maybe_dma_pinned() check runs for every present PTE; the write-protects
     * and copies wait for step 2 ({@link #finish}). Every check runs before every write-protect, where the kernel
     * alternates them PTE by PTE under each PTE's lock: the same for one page, and GUP-fast, the only thing that runs
     * in between, takes no lock.
     */
    static void begin(Kernel k, Pid parent, Pid child) {
        boolean seq = k.profile.get(dev.mmcheck.model.profile.DecisionPoint.GUP_FAST_FORK)
                == dev.mmcheck.model.profile.Decisions.GupFastFork.WRITE_PROTECT_SEQ;
        k.call("dup_mmap: mmap_write_lock(" + parent + "); copy_page_range" + (seq ? ": raw_write_seqcount_begin(write_protect_seq)" : ""));
        seqBegins(k, parent);
        int copy = 0;
        for (int i = 0; i < k.pageCount(); i++) {
            Vaddr a = new Vaddr(i);
            if (!(k.pmd(parent, a) instanceof Pmd.None) || !(k.pte(parent, a) instanceof Pte.Present)) continue;
            boolean c = Memory.checkPinnedAtFork(k, parent, a);
            if (c) copy |= 1 << i;
            k.call("copy_present_pte " + a + ": page_maybe_dma_pinned() " + (c ? "true: copy it for the child" : "false: share it"));
        }
        k.setProcess(parent, k.process(parent).withForkStep(new dev.mmcheck.model.state.ForkStep(child, copy)));
    }

    /** A fork split into steps, step 2: the copy as step 1 decided it; write_protect_seq ends and mmap_lock is released. */
    static void finish(Kernel k, Pid parent) {
        dev.mmcheck.model.state.ForkStep f = k.process(parent).forkStep();
        k.setProcess(parent, k.process(parent).withForkStep(dev.mmcheck.model.state.ForkStep.NONE));
        copy(k, parent, f.child(), f);
        boolean seq = k.profile.get(dev.mmcheck.model.profile.DecisionPoint.GUP_FAST_FORK)
                == dev.mmcheck.model.profile.Decisions.GupFastFork.WRITE_PROTECT_SEQ;
        k.call("copy_page_range done" + (seq ? ": raw_write_seqcount_end" : "") + "; mmap_write_unlock(" + parent + ")");
    }

    /**
     * raw_write_seqcount_begin(&mm->write_protect_seq) (v5.11+): a FOLL_PIN GUP-fast walk of this mm between its
     * steps will see the sequence changed when it re-checks it.
     */
    private static void seqBegins(Kernel k, Pid parent) {
        dev.mmcheck.model.state.FastWalk w = k.process(parent).fastWalk();
        if (w.active() && !w.slow() && !w.seqChanged() && (w.flags() & dev.mmcheck.model.state.GupFlag.PIN.bit()) != 0
                && k.profile.get(dev.mmcheck.model.profile.DecisionPoint.GUP_FAST_FORK)
                == dev.mmcheck.model.profile.Decisions.GupFastFork.WRITE_PROTECT_SEQ) {
            k.setProcess(parent, k.process(parent).withFastWalk(w.withSeqChanged()));
        }
    }

    private static void copy(Kernel k, Pid parent, Pid child, dev.mmcheck.model.state.ForkStep decided) {
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
            if (k.pmd(parent, a) instanceof Pmd.None) Memory.copyPte(k, parent, child, a, decided == null ? null : decided.copies(a));
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
