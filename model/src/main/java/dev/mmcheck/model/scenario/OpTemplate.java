package dev.mmcheck.model.scenario;

import dev.mmcheck.model.op.Op;
import dev.mmcheck.model.state.GupFlag;
import dev.mmcheck.model.state.GupRef;
import dev.mmcheck.model.state.MmState;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Vaddr;
import java.util.List;

/**
 * One entry of an exploration's operation alphabet: a kind of operation, instantiated for every live
 * process and page (and reference, process pair, ...) of a state.
 *
 * @param gupFlags {@link GupFlag} bits for {@link Kind#GUP}; for {@link Kind#PROC_MEM_WRITE}, 1 if GUP's retries are steps;
 *                 for {@link Kind#FORK}, {@link Kind#COLLAPSE} and {@link Kind#RECLAIM}, 1 if the operation is split into steps
 */
public record OpTemplate(Kind kind, int gupFlags) {
    public enum Kind {
        READ, WRITE, GUP, RELEASE, DEVICE_WRITE, FORK, EXIT, MUNMAP, MADV_DONTNEED, MADV_DONTFORK, MADV_DOFORK,
        MADV_PAGEOUT, MPROTECT_RO, MPROTECT_RW, CLEAR_SOFT_DIRTY, RECLAIM, KSM_MERGE, KSM_ZERO, ENABLE_SKEYS,
        COLLAPSE, MIGRATE_START, MIGRATE_FINISH, MIGRATE_TO_DEVICE, MAKE_DEVICE_EXCLUSIVE, MEMORY_FAILURE, MREMAP,
        UFFD_WP_ON, UFFD_WP_OFF, UFFD_UNREGISTER, UFFD_ZEROPAGE, UFFD_CONTINUE, EVICT, SWAPOFF, PROC_MEM_WRITE,
        USERPTR_SUBMIT, USERPTR_GPU_WRITE
    }

    public static OpTemplate of(Kind kind) {
        return new OpTemplate(kind, 0);
    }

    /** The value every store in an exploration writes: equal content lets KSM merge; provenance tells processes apart. */
    public static final int STORED_VALUE = 1;

    /** Appends this template's concrete operations in state s, in a fixed order. */
    void instantiate(MmState s, List<Op> out) {
        int procs = s.processes().size();
        int pages = s.pageCount();
        for (int p = 0; p < procs; p++) {
            if (!s.processes().get(p).alive()) continue;
            Pid pid = new Pid(p);
            switch (kind) {
                case FORK -> {
                    for (int c = 0; c < procs; c++) {
                        if (!s.processes().get(c).alive()) {
                            out.add(new Op.Fork(pid, new Pid(c), gupFlags != 0));
                            break;
                        }
                    }
                }
                case EXIT -> out.add(new Op.Exit(pid));
                case CLEAR_SOFT_DIRTY -> out.add(new Op.ClearSoftDirty(pid));
                case ENABLE_SKEYS -> out.add(new Op.EnableSkeys(pid));
                case MIGRATE_FINISH -> out.add(new Op.MigrateFinish(pid));
                case USERPTR_SUBMIT -> {
                    if (s.processes().get(p).userptr().exists()) out.add(new Op.UserptrSubmit(pid));
                }
                case USERPTR_GPU_WRITE -> {
                    if (s.processes().get(p).userptr().gpuBusy()) out.add(new Op.UserptrGpuWrite(pid, pid, STORED_VALUE));
                }
                case SWAPOFF -> {
                    // system-wide: offered once, by the first live process
                    boolean first = true;
                    for (int q = 0; q < p; q++) first &= !s.processes().get(q).alive();
                    if (first) out.add(new Op.Swapoff(pid));
                }
                case RELEASE, DEVICE_WRITE -> {
                    GupRef last = null;
                    for (GupRef r : s.refs()) {
                        if (!r.owner().equals(pid) || r.equals(last)) continue;
                        last = r;
                        out.add(kind == Kind.RELEASE ? new Op.Release(r, "") : new Op.RefWrite(r, "", STORED_VALUE));
                    }
                }
                default -> {
                    for (int a = 0; a < pages; a++) {
                        addPageOps(s, pid, new Vaddr(a), out);
                    }
                }
            }
        }
    }

    /**
     * Whether a range operation over the whole aligned pair at {@code a} differs from the single-page ones: only when
     * the pair is one THP or hugetlb VMA (so explorations without one keep exactly their operations). Offered once,
     * at the pair's first page.
     */
    private static boolean wholePair(MmState s, Pid pid, Vaddr a) {
        if (a.index() % 2 != 0 || a.index() + 1 >= s.pageCount()) return false;
        var proc = s.processes().get(pid.index());
        var v = proc.vma(a);
        return v.kind().huge() && v.equals(proc.vma(new Vaddr(a.index() + 1)));
    }

    private void addMadvise(MmState s, Pid pid, Vaddr a, Op.Advice advice, List<Op> out) {
        out.add(new Op.Madvise(pid, a, advice));
        if (wholePair(s, pid, a)) out.add(new Op.Madvise(pid, a, advice, true));
    }

    private void addPageOps(MmState s, Pid pid, Vaddr a, List<Op> out) {
        switch (kind) {
            case READ -> out.add(new Op.Read(pid, a));
            case WRITE -> out.add(new Op.Write(pid, a, STORED_VALUE));
            case GUP -> out.add(new Op.Gup(pid, a, gupFlags, 0, ""));
            case MUNMAP -> {
                out.add(new Op.Munmap(pid, a));
                if (wholePair(s, pid, a)) out.add(new Op.Munmap(pid, a, true));
            }
            case MADV_DONTNEED -> addMadvise(s, pid, a, Op.Advice.DONTNEED, out);
            case MADV_DONTFORK -> addMadvise(s, pid, a, Op.Advice.DONTFORK, out);
            case MADV_DOFORK -> addMadvise(s, pid, a, Op.Advice.DOFORK, out);
            case MADV_PAGEOUT -> addMadvise(s, pid, a, Op.Advice.PAGEOUT, out);
            case MPROTECT_RO, MPROTECT_RW -> {
                out.add(new Op.Mprotect(pid, a, kind == Kind.MPROTECT_RW));
                if (wholePair(s, pid, a)) out.add(new Op.Mprotect(pid, a, kind == Kind.MPROTECT_RW, true));
            }
            case COLLAPSE -> {
                if (a.index() % 2 == 0) out.add(new Op.Collapse(pid, a, gupFlags != 0));
            }
            case MIGRATE_START -> out.add(new Op.MigrateStart(pid, a));
            case MIGRATE_TO_DEVICE -> out.add(new Op.MigrateToDevice(pid, a));
            case MAKE_DEVICE_EXCLUSIVE -> out.add(new Op.MakeDeviceExclusive(pid, a));
            case MEMORY_FAILURE -> out.add(new Op.MemoryFailure(pid, a));
            case MREMAP -> {
                for (int b = 0; b < s.pageCount(); b++) {
                    if (b != a.index() && !s.processes().get(pid.index()).vma(new Vaddr(b)).mapped()) {
                        out.add(new Op.Mremap(pid, a, new Vaddr(b)));
                    }
                }
            }
            case RECLAIM -> out.add(new Op.Reclaim(pid, a, gupFlags != 0));
            case UFFD_WP_ON, UFFD_WP_OFF -> out.add(new Op.UffdWriteprotect(pid, a, kind == Kind.UFFD_WP_ON));
            case UFFD_UNREGISTER -> out.add(new Op.UffdUnregister(pid, a));
            case UFFD_ZEROPAGE -> out.add(new Op.UffdZeropage(pid, a));
            case UFFD_CONTINUE -> out.add(new Op.UffdContinue(pid, a, false));
            case EVICT -> out.add(new Op.Evict(pid, a));
            case KSM_ZERO -> out.add(new Op.KsmZero(pid, a));
            case PROC_MEM_WRITE -> {
                // this process writes every live process's memory (itself included) through /proc/PID/mem
                for (int q = 0; q < s.processes().size(); q++) {
                    if (s.processes().get(q).alive()) out.add(new Op.ProcMemWrite(pid, new Pid(q), a, STORED_VALUE, gupFlags != 0));
                }
            }
            case KSM_MERGE -> {
                // every other page, in either role: the page ksmd scans second becomes the KSM page, and which of two
                // it scans second is not fixed by anything the model holds (Ksm.merge says why)
                for (int q = 0; q < s.processes().size(); q++) {
                    for (int b = 0; b < s.pageCount(); b++) {
                        if (q == pid.index() && b == a.index()) continue;
                        if (!s.processes().get(q).alive()) continue;
                        out.add(new Op.KsmMerge(pid, a, new Pid(q), new Vaddr(b)));
                    }
                }
            }
            default -> throw new IllegalStateException(kind + " is not a per-page operation");
        }
    }
}
