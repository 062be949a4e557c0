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
 * @param gupFlags {@link GupFlag} bits for {@link Kind#GUP}
 */
public record OpTemplate(Kind kind, int gupFlags) {
    public enum Kind {
        READ, WRITE, GUP, RELEASE, DEVICE_WRITE, FORK, EXIT, MUNMAP, MADV_DONTNEED, MADV_DONTFORK, MADV_DOFORK,
        MADV_PAGEOUT, MPROTECT_RO, MPROTECT_RW, CLEAR_SOFT_DIRTY, RECLAIM, KSM_MERGE, KSM_ZERO, ENABLE_SKEYS
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
                            out.add(new Op.Fork(pid, new Pid(c)));
                            break;
                        }
                    }
                }
                case EXIT -> out.add(new Op.Exit(pid));
                case CLEAR_SOFT_DIRTY -> out.add(new Op.ClearSoftDirty(pid));
                case ENABLE_SKEYS -> out.add(new Op.EnableSkeys(pid));
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

    private void addPageOps(MmState s, Pid pid, Vaddr a, List<Op> out) {
        switch (kind) {
            case READ -> out.add(new Op.Read(pid, a));
            case WRITE -> out.add(new Op.Write(pid, a, STORED_VALUE));
            case GUP -> out.add(new Op.Gup(pid, a, gupFlags, 0, ""));
            case MUNMAP -> out.add(new Op.Munmap(pid, a));
            case MADV_DONTNEED -> out.add(new Op.Madvise(pid, a, Op.Advice.DONTNEED));
            case MADV_DONTFORK -> out.add(new Op.Madvise(pid, a, Op.Advice.DONTFORK));
            case MADV_DOFORK -> out.add(new Op.Madvise(pid, a, Op.Advice.DOFORK));
            case MADV_PAGEOUT -> out.add(new Op.Madvise(pid, a, Op.Advice.PAGEOUT));
            case MPROTECT_RO -> out.add(new Op.Mprotect(pid, a, false));
            case MPROTECT_RW -> out.add(new Op.Mprotect(pid, a, true));
            case RECLAIM -> out.add(new Op.Reclaim(pid, a));
            case KSM_ZERO -> out.add(new Op.KsmZero(pid, a));
            case KSM_MERGE -> {
                for (int q = 0; q < s.processes().size(); q++) {
                    for (int b = 0; b < s.pageCount(); b++) {
                        if (q < pid.index() || (q == pid.index() && b <= a.index())) continue;
                        if (!s.processes().get(q).alive()) continue;
                        out.add(new Op.KsmMerge(pid, a, new Pid(q), new Vaddr(b)));
                    }
                }
            }
            default -> throw new IllegalStateException(kind + " is not a per-page operation");
        }
    }
}
