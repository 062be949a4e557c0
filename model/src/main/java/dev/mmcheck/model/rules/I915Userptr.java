package dev.mmcheck.model.rules;

import dev.mmcheck.model.op.Op;
import dev.mmcheck.model.profile.DecisionPoint;
import dev.mmcheck.model.profile.Decisions.UserptrInvalidate;
import dev.mmcheck.model.profile.Decisions.UserptrProbe;
import dev.mmcheck.model.profile.Decisions.UserptrSubmitCheck;
import dev.mmcheck.model.state.Data;
import dev.mmcheck.model.state.GupFlag;
import dev.mmcheck.model.state.GupRef;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.Userptr;
import dev.mmcheck.model.state.Vaddr;
import dev.mmcheck.model.state.Vma;

/**
 * drivers/gpu/drm/i915/gem/i915_gem_userptr.c (and the userptr half of i915_gem_execbuffer.c): a device driver as an
 * actor. The object pins its page with pin_user_pages_fast(FOLL_WRITE) (short-term, not FOLL_LONGTERM), subscribes to
 * the mm with an mmu interval notifier, and submits GPU work that uses the page; {@link #invalidate} is the notifier
 * callback, called by {@link Kernel#setPte} before a PTE of the range loses its page or its write permission (zap,
 * COW, swap-out, migration, mprotect, KSM, fork's write-protect). Abstracts away: one page per object; one object per
 * process; the worker path of v4.8-v5.12 (the fast path only); the dma-resv fences (a GPU job is "busy"); the
 * shrinker; PMD-level changes do not notify; the OOM reaper's non-blocking invalidation (-EAGAIN).
 */
final class I915Userptr {
    private I915Userptr() {
    }

    private static final int PIN = GupFlag.PIN.bit() | GupFlag.WRITE.bit() | GupFlag.FAST.bit() | GupFlag.DRIVER.bit();

    static Step.Outcome create(Kernel k, Op.UserptrCreate op) {
        Pid p = op.pid();
        if (k.process(p).userptr().exists()) {
            k.call("the model keeps one userptr object per process");
            return Step.Outcome.FAILED;
        }
        k.call("i915_gem_userptr_ioctl");
        if (op.unsynchronized() && k.profile.get(DecisionPoint.USERPTR_INVALIDATE) != UserptrInvalidate.DROP_PAGES) {
            k.call("I915_USERPTR_UNSYNCHRONIZED: -ENODEV (refused from v5.13)");
            return Step.Outcome.FAILED;
        }
        if (op.probe()) {
            if (k.profile.get(DecisionPoint.USERPTR_PROBE) == UserptrProbe.ABSENT) {
                k.call("I915_USERPTR_PROBE: unknown flag, -EINVAL (before v5.15)");
                return Step.Outcome.FAILED;
            }
            Vma vma = k.vma(p, op.addr());
            if (!vma.mapped() || vma.pfnmap() || vma.mixedmap()) {
                k.call("probe_range: " + (!vma.mapped() ? "a hole" : vma.pfnmap() ? "VM_PFNMAP" : "VM_MIXEDMAP") + ": -EFAULT");
                return Step.Outcome.FAILED;
            }
            k.call("probe_range: the range is backed by ordinary VMAs");
        }
        k.call(op.unsynchronized() ? "I915_USERPTR_UNSYNCHRONIZED: no notifier" : "mmu_interval_notifier_insert");
        k.setProcess(p, k.process(p).withUserptr(Userptr.create(op.addr(), op.unsynchronized())));
        return Step.Outcome.DONE;
    }

    static Step.Outcome submit(Kernel k, Op.UserptrSubmit op) {
        Pid p = op.pid();
        Userptr u = k.process(p).userptr();
        if (!u.exists()) {
            k.call("execbuf: no such userptr object: -ENOENT");
            return Step.Outcome.FAILED;
        }
        boolean keepPins = k.profile.get(DecisionPoint.USERPTR_INVALIDATE) != UserptrInvalidate.DROP_PAGES;
        if (!u.submitting()) {
            k.call("execbuf -> i915_gem_object_userptr_submit_init: mmu_interval_read_begin");
            if (u.pinned() && !u.stale()) {
                k.call("the pages are current (notifier_seq unchanged): reuse them");
            } else {
                if (u.gpuBusy()) {
                    k.call("i915_gem_object_unbind: waits for the GPU");
                    return Step.Outcome.NOT_RUNNABLE;
                }
                GupRef held = held(k, p, u.addr());
                if (held != null) {
                    k.call("put_pages: unpin the stale pages");
                    Gup.release(k, held);
                }
                k.call("pin_user_pages_fast(FOLL_WRITE)");
                if (!Gup.getUserPages(k, p, u.addr(), PIN, 0)) {
                    k.call("-EFAULT");
                    k.setProcess(p, k.process(p).withUserptr(u.withPinned(false).withStale(false)));
                    return Step.Outcome.DONE;
                }
                u = u.withPinned(true).withStale(false);
            }
            k.setProcess(p, k.process(p).withUserptr(u.withSubmitting(true)));
            return Step.Outcome.IN_PROGRESS;
        }
        k.call("eb_move_to_gpu: fences installed -> i915_gem_object_userptr_submit_done");
        u = u.withSubmitting(false);
        boolean invalidated = keepPins ? u.stale() : !u.pinned();
        if (invalidated && k.profile.get(DecisionPoint.USERPTR_SUBMIT_CHECK) == UserptrSubmitCheck.RETRY) {
            k.call("mmu_interval_read_retry: an invalidation came in: -EAGAIN, userspace retries");
            k.setProcess(p, k.process(p).withUserptr(u));
            return Step.Outcome.DONE;
        }
        if (!u.pinned()) {
            k.call("the invalidation dropped the pages and nothing re-checks: the job has no pages");
            k.setProcess(p, k.process(p).withUserptr(u.withUsedStale()));
            return Step.Outcome.DONE;
        }
        k.call("the GPU job starts on the pinned page");
        u = u.withGpuBusy(true);
        if (u.stale()) u = u.withUsedStale();
        k.setProcess(p, k.process(p).withUserptr(u));
        return Step.Outcome.DONE;
    }

    static Step.Outcome gpuWrite(Kernel k, Op.UserptrGpuWrite op) {
        if (op.owner().index() >= k.processCount()) return Step.Outcome.NOT_RUNNABLE;
        Userptr u = k.process(op.owner()).userptr();
        if (!u.exists() || !u.gpuBusy()) return Step.Outcome.NOT_RUNNABLE;
        GupRef held = held(k, op.owner(), u.addr());
        if (held != null) {
            k.call(String.format("the GPU writes 0x%02x into %s; the fence signals", op.value(), held.folio()));
            k.store(held.folio(), Data.storeBy(op.value(), op.owner(), k.aliveMask()));
        } else {
            k.call("the GPU job completes (its pages were dropped under it)");
        }
        k.setProcess(op.owner(), k.process(op.owner()).withUserptr(u.withGpuBusy(false)));
        return Step.Outcome.DONE;
    }

    /** The object's pin, if it holds one. */
    static GupRef held(Kernel k, Pid p, Vaddr a) {
        return GupRef.find(k.refs(), p, a, GupFlag.DRIVER);
    }

    /**
     * mm/mmu_notifier.c: mn_itree_invalidate() -> the object's callback, for a PTE of {@code p} at {@code a} that is about
     * to lose its page or its write permission. Throws {@link Memory.Wait} where the callback waits for the GPU (the
     * CPU operation blocks until the job completes).
     */
    static void invalidate(Kernel k, Pid p, Vaddr a, Pte old, Pte now) {
        Userptr u = k.process(p).userptr();
        if (!u.exists() || u.unsynchronized() || !u.addr().equals(a) || !(old instanceof Pte.Present o)) return;
        boolean change = !(now instanceof Pte.Present n) || !n.folio().equals(o.folio()) || (o.write() && !n.write());
        if (!change) return;
        UserptrInvalidate era = k.profile.get(DecisionPoint.USERPTR_INVALIDATE);
        if (u.gpuBusy() && era != UserptrInvalidate.NO_WAIT) {
            throw new Memory.Wait("mmu notifier: i915 userptr invalidate waits for the GPU job");
        }
        if (era == UserptrInvalidate.DROP_PAGES) {
            GupRef held = held(k, p, a);
            if (held != null) {
                k.call("mmu notifier: i915 userptr invalidate: put_pages drops the pin");
                Gup.release(k, held);
            }
            k.setProcess(p, k.process(p).withUserptr(k.process(p).userptr().withPinned(false)));
            return;
        }
        k.call("mmu notifier: i915 userptr invalidate: mmu_interval_set_seq" + (era == UserptrInvalidate.NO_WAIT && u.gpuBusy()
                ? " (no wait: the GPU job keeps using the pinned page)" : ""));
        k.setProcess(p, k.process(p).withUserptr(u.withStale(true)));
    }
}
