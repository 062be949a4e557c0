package dev.mmcheck.model.rules;

import dev.mmcheck.model.profile.DecisionPoint;
import dev.mmcheck.model.profile.Decisions;
import dev.mmcheck.model.state.Data;
import dev.mmcheck.model.state.FolioId;
import dev.mmcheck.model.state.HmmMirror;
import dev.mmcheck.model.state.MmState;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Pmd;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.Vaddr;
import dev.mmcheck.model.state.Vma;

/**
 * mm/hmm.c: hmm_range_fault(), and the driver pattern of Documentation/mm/hmm.rst around it: a device that mirrors a
 * page of the process without a pin. The driver's fault handler reads the notifier sequence
 * (mmu_interval_read_begin()), faults the page in with hmm_range_fault() and, under its update lock, re-checks the
 * sequence (mmu_interval_read_retry(); -EBUSY: start again) before it writes the device page table; {@link
 * #invalidate}, the interval notifier's callback from {@link Kernel#setPte}, takes the same lock, moves the sequence
 * and clears the device entry. Nothing holds the page: only the notifier keeps the device coherent.
 * Abstracts away: one page per mirror and one mirror per process; the device page table is one entry; device-private
 * migration (migrate_vma) is {@code migrate-to-device}, not this; PMD-level changes do not notify.
 */
final class Hmm {
    private Hmm() {
    }

    static Step.Outcome mirror(Kernel k, Pid p, Vaddr a) {
        if (k.profile.get(DecisionPoint.HMM_MIRROR) == Decisions.HmmMirror.ABSENT) {
            k.call("mmu_interval_notifier_insert: not in this release (v5.5+)");
            return Step.Outcome.FAILED;
        }
        if (k.process(p).hmm().exists()) {
            k.call("the model keeps one mirror per process");
            return Step.Outcome.FAILED;
        }
        k.call("mmu_interval_notifier_insert");
        k.setProcess(p, k.process(p).withHmm(HmmMirror.create(a)));
        return Step.Outcome.DONE;
    }

    /**
     * The device's page fault, in two transitions: mmu_interval_read_begin() and hmm_range_fault() (which faults the page
     * in under mmap_read_lock and returns its pfn), then the driver's update lock, mmu_interval_read_retry() and the
     * device page table.
     */
    static Step.Outcome fault(Kernel k, Pid p, boolean write) {
        HmmMirror h = k.process(p).hmm();
        if (!h.exists()) return Step.Outcome.NOT_RUNNABLE;
        Vaddr a = h.addr();
        if (!h.faulting()) {
            Vma vma = k.vma(p, a);
            k.call("mmu_interval_read_begin; mmap_read_lock; hmm_range_fault");
            if (!vma.mapped() || vma.pfnmap() || vma.io() || (write && !vma.write())) {
                k.call("hmm_range_fault: " + (!vma.mapped() ? "no VMA" : write && !vma.write() ? "no VM_WRITE" : "VM_IO|VM_PFNMAP") + ": -EFAULT");
                return Step.Outcome.FAILED;
            }
            boolean present = k.pmd(p, a) instanceof Pmd.Huge hp ? !write || hp.write()
                    : k.pte(p, a) instanceof Pte.Present pr && (!write || pr.write());
            if (!present) {
                k.call("hmm_vma_fault: handle_mm_fault(" + (write ? "FAULT_FLAG_WRITE" : "read") + ")");
                if (!Memory.handleFault(k, p, a, write ? Memory.Fault.WRITE : Memory.Fault.READ)) return Step.Outcome.FAILED;
            }
            FolioId page = k.pmd(p, a) instanceof Pmd.Huge hp ? MmState.subpage(hp.folio(), a)
                    : k.pte(p, a) instanceof Pte.Present pr ? pr.folio() : null;
            if (page == null) {
                k.call("hmm_range_fault: the page is not present after the fault: -EFAULT");
                return Step.Outcome.FAILED;
            }
            k.call("hmm_range_fault: pfn of " + page + "; mmap_read_unlock (no reference kept)");
            k.setProcess(p, k.process(p).withHmm(h.faulted(write, page)));
            return Step.Outcome.IN_PROGRESS;
        }
        boolean retry = k.profile.get(DecisionPoint.HMM_MIRROR) == Decisions.HmmMirror.READ_RETRY;
        if (h.stale() && retry) {
            k.call("take the update lock; mmu_interval_read_retry: an invalidation came: -EBUSY, start again");
            k.setProcess(p, k.process(p).withHmm(h.restarted()));
            return Step.Outcome.IN_PROGRESS;
        }
        k.call("take the update lock; " + (retry ? "mmu_interval_read_retry: no invalidation; " : "(no mmu_interval_read_retry) ")
                + "the device page table maps " + h.seen());
        k.setProcess(p, k.process(p).withHmm(h.programmed()));
        return Step.Outcome.DONE;
    }

    static Step.Outcome deviceWrite(Kernel k, Pid p, int value) {
        HmmMirror h = k.process(p).hmm();
        if (!h.exists()) return Step.Outcome.NOT_RUNNABLE;
        if (!h.mapped() || !h.write()) {
            k.call("the device has no writable entry: it faults to the driver instead");
            return Step.Outcome.FAILED;
        }
        FolioId f = h.seen();
        if (f.isAnyZero() || f.index() >= k.folioCount() || k.folio(f).isFree()) {
            k.call("the device writes " + f + ", a page the mm no longer has: the model stops here");
            return Step.Outcome.FAILED;
        }
        if (k.trace) k.call(String.format("the device stores 0x%02x into %s", value, f));
        k.store(f, Data.storeBy(value, p, k.aliveMask()));
        return Step.Outcome.DONE;
    }

    /** The interval notifier's callback, before a PTE of the mirrored page loses its page or its write permission. */
    static void invalidate(Kernel k, Pid p, Vaddr a, Pte old, Pte now) {
        HmmMirror h = k.process(p).hmm();
        if (!h.exists() || !h.addr().equals(a) || !(old instanceof Pte.Present o)) return;
        boolean change = !(now instanceof Pte.Present n) || !n.folio().equals(o.folio()) || (o.write() && !n.write());
        if (!change) return;
        k.call("mmu notifier: the mirror's invalidate: take the update lock, mmu_interval_set_seq, clear the device entry");
        k.setProcess(p, k.process(p).withHmm(h.invalidated()));
    }
}
