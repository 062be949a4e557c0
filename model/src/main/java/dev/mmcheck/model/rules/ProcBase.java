package dev.mmcheck.model.rules;

import dev.mmcheck.model.op.Op;
import dev.mmcheck.model.state.Data;
import dev.mmcheck.model.state.GupFlag;
import dev.mmcheck.model.state.GupLoop;
import dev.mmcheck.model.state.GupRef;
import dev.mmcheck.model.state.Pid;

/**
 * fs/proc/base.c: mem_rw() for a write to /proc/PID/mem, which is mm/memory.c: __access_remote_vm() with
 * FOLL_FORCE|FOLL_WRITE (FOLL_FORCE in every release modelled; from v6.11 the proc_mem.force_override= boot option can
 * turn it off, default on). It holds the target's mmap_lock for read throughout (so munmap, mprotect, mmap, fork and
 * exit of the target wait, while MADV_DONTNEED, reclaim and faults do not), runs get_user_pages_remote() for the page,
 * then copies into it with copy_to_user_page(), set_page_dirty_lock() and put_page(). ptrace(PTRACE_POKEDATA) takes the
 * same path. Abstracts away: the write spans one page; mem_rw()'s bounce buffer; the copy of a partial page.
 */
final class ProcBase {
    private ProcBase() {
    }

    /** Passes of GUP's retry loop before the model calls the rules non-converging (a fault or two is the kernel's). */
    private static final int MAX_PASSES = 6;

    static Step.Outcome memWrite(Kernel k, Op.ProcMemWrite op) {
        Pid actor = op.pid();
        GupLoop g = k.process(actor).gupLoop();
        if (g.active() && !(g.target().equals(op.target()) && g.addr().equals(op.addr()) && g.value() == op.value())) {
            return Step.Outcome.NOT_RUNNABLE; // its write(2) is busy with another address
        }
        if (!g.active()) {
            if (op.target().index() >= k.processCount() || !k.process(op.target()).alive()) {
                k.call("mem_rw: the process is gone: nothing written");
                return Step.Outcome.FAILED;
            }
            k.call("mem_rw -> access_remote_vm(FOLL_FORCE|FOLL_WRITE): mmap_read_lock(" + op.target() + ") -> __get_user_pages");
            if (!Gup.checkVmaFlags(k, k.vma(op.target(), op.addr()), GupFlag.WRITE.bit() | GupFlag.FORCE.bit())) {
                k.call("mem_rw: nothing written (-EIO)");
                return Step.Outcome.FAILED;
            }
            g = new GupLoop(op.target(), op.addr(), op.value(), true, false, false);
        } else if (!g.got()) {
            k.call("__get_user_pages: retry (cond_resched, follow_page_mask)");
        }
        if (!g.got()) {
            int passes = op.steps() ? 1 : MAX_PASSES;
            for (int i = 0; i < passes && !g.got(); i++) {
                GupLoop next = Gup.forceIteration(k, g);
                if (next == null) {
                    k.call("access_remote_vm: GUP failed, nothing written; mmap_read_unlock");
                    k.setProcess(actor, k.process(actor).withGupLoop(GupLoop.NONE));
                    return Step.Outcome.DONE;
                }
                g = next;
            }
            if (!g.got() && !op.steps()) {
                throw new IllegalStateException("GUP for /proc/PID/mem made " + MAX_PASSES + " passes: the rules do not converge");
            }
            k.setProcess(actor, k.process(actor).withGupLoop(g));
            return Step.Outcome.IN_PROGRESS;
        }
        GupRef ref = GupRef.find(k.refs(), g.target(), g.addr(), GupFlag.FORCE);
        if (ref == null) throw new IllegalStateException("the page a /proc/PID/mem write holds has no reference");
        if (ref.folio().isAnyZero()) {
            k.call("copy_to_user_page into the shared zeropage (its contents are not modelled); put_page; mmap_read_unlock");
        } else {
            k.call(String.format("copy_to_user_page: store 0x%02x into %s; set_page_dirty_lock; put_page; mmap_read_unlock", g.value(), ref.folio()));
            k.store(ref.folio(), Data.storeBy(g.value(), g.target(), k.aliveMask()));
        }
        Gup.release(k, ref);
        k.setProcess(actor, k.process(actor).withGupLoop(GupLoop.NONE));
        return Step.Outcome.DONE;
    }

    /** An operation that takes {@code op.pid()}'s mmap_lock for write, so it waits while a /proc/PID/mem write holds it for read. */
    static boolean takesMmapWriteLock(Op op) {
        return switch (op) {
            case Op.Mmap m -> true;
            case Op.Munmap m -> true;
            case Op.Mprotect m -> true;
            case Op.Mremap m -> true;
            case Op.Fork f -> true;
            case Op.Exit e -> true;
            case Op.Collapse c -> true;
            case Op.UffdRegister u -> true;
            case Op.UffdUnregister u -> true;
            case Op.Madvise m -> m.advice() == Op.Advice.DONTFORK || m.advice() == Op.Advice.DOFORK;
            default -> false;
        };
    }

    /** Some process's /proc/PID/mem write into {@code target} is in flight (holding its mmap_lock for read). */
    static boolean writeInFlight(dev.mmcheck.model.state.MmState s, Pid target) {
        for (var p : s.processes()) {
            if (p.gupLoop().active() && p.gupLoop().target().equals(target)) return true;
        }
        return false;
    }
}
