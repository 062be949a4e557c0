package dev.mmcheck.model.rules;

import com.google.common.collect.ImmutableList;
import dev.mmcheck.model.op.Op;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.state.Data;
import dev.mmcheck.model.state.FolioFlag;
import dev.mmcheck.model.state.FolioId;
import dev.mmcheck.model.state.GupFlag;
import dev.mmcheck.model.state.MmState;
import dev.mmcheck.model.state.Folio;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Pmd;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.Vaddr;
import dev.mmcheck.model.state.Vma;
import dev.mmcheck.model.state.VmaKind;
import dev.mmcheck.model.profile.Decisions.FsdaxMixedmap;

/** Runs one operation under a profile: the model's next-state function. Pure: no state is kept here. */
public final class Rules {
    private Rules() {
    }

    public static Step apply(MmState s, Profile profile, Op op) {
        return apply(s, profile, op, true);
    }

    /**
     * Runs the operation; with {@code trace} false the kernel path is not recorded (the step's path is empty), which
     * is all the search needs: the outcome and the successor are the same either way.
     */
    public static Step apply(MmState s, Profile profile, Op op, boolean trace) {
        if (op.pid().index() >= s.processes().size() || !s.process(op.pid()).alive()) {
            return new Step(Step.Outcome.NOT_RUNNABLE, s, ImmutableList.of());
        }
        if (s.process(op.pid()).gupLoop().active() && !(op instanceof Op.ProcMemWrite)) {
            // the process is inside its write(2) to /proc/PID/mem
            return new Step(Step.Outcome.NOT_RUNNABLE, s, ImmutableList.of());
        }
        if (ProcBase.takesMmapWriteLock(op) && ProcBase.writeInFlight(s, op.pid())) {
            return new Step(Step.Outcome.NOT_RUNNABLE, s, ImmutableList.of("mmap_write_lock(" + op.pid()
                    + ") waits: a /proc/PID/mem write holds mmap_lock for read"));
        }
        if (lockHeld(s) && !runsBesideHeldLock(s, op)) {
            return new Step(Step.Outcome.NOT_RUNNABLE, s, ImmutableList.of("waits: a fork, collapse or unmap split into steps holds its lock"));
        }
        if (op instanceof Op.Exit && s.process(op.pid()).fastWalk().active()) {
            return new Step(Step.Outcome.NOT_RUNNABLE, s, ImmutableList.of("exit waits for the thread inside GUP-fast"));
        }
        Kernel k = new Kernel(s, profile, trace);
        Step.Outcome outcome;
        try {
            outcome = run(k, s, op);
        } catch (Memory.Wait w) {
            // the access waits for a migration to end: not runnable in this state
            if (k.trace) k.call(w.getMessage() + ": waits for the migration to end");
            return new Step(Step.Outcome.NOT_RUNNABLE, s, path(k));
        } catch (Userfaultfd.UffdFault f) {
            // handle_userfault(): the fault is queued to the monitor; the access sleeps until the monitor resolves it
            dev.mmcheck.model.state.UffdState u = s.process(f.pid).uffd();
            boolean access = op instanceof Op.Write || op instanceof Op.Read || op instanceof Op.Gup || op instanceof Op.ProcMemWrite;
            if (!access || u.pendingAt(f.addr)) {
                if (k.trace) k.call(f.getMessage() + ": waits for the monitor");
                return new Step(Step.Outcome.NOT_RUNNABLE, s, path(k));
            }
            // what the fault did before handle_userfault() stays (a swap-in, a marker's refault); the access sleeps
            if (k.trace) k.call(f.getMessage() + ": queued to the monitor, the access sleeps");
            k.setProcess(f.pid, k.process(f.pid).withUffd(k.process(f.pid).uffd().withPending(f.addr, true)));
            return new Step(Step.Outcome.TRAPPED, k.commit(), path(k));
        }
        if (outcome != Step.Outcome.DONE && outcome != Step.Outcome.IN_PROGRESS) {
            return new Step(outcome, s, path(k));
        }
        return new Step(outcome, k.commit(), path(k));
    }

    /** The kernel path the step recorded: empty without a trace, and then not copied. */
    private static ImmutableList<String> path(Kernel k) {
        return k.trace ? ImmutableList.copyOf(k.path()) : ImmutableList.of();
    }

    /** Some process is between the steps of an operation split into steps that holds a lock ({@code Process.lockHeld()}). */
    private static boolean lockHeld(MmState s) {
        for (var p : s.processes()) {
            if (p.lockHeld()) return true;
        }
        return false;
    }

    /**
     * What runs while an operation split into steps holds a lock between them (mmap_lock for fork and collapse, a
     * page-table lock for an unmap, a page lock for a THP reuse check or split): the next steps of split operations,
     * GUP-fast split into steps (lockless; its slow path waits), and what touches no page table (unpin/put, DMA through
     * a reference or a mirror). Everything else waits: a simplification for operations of other processes, which the
     * kernel would run beside it unless they reach the same page tables.
     */
    private static boolean runsBesideHeldLock(MmState s, Op op) {
        return switch (op) {
            case Op.Fork f -> f.steps() && s.process(f.pid()).forkStep().active() && s.process(f.pid()).forkStep().child().equals(f.child());
            case Op.Collapse c -> c.steps() && s.process(c.pid()).collapseStep().covers(c.addr());
            case Op.Reclaim r -> r.steps() && s.process(r.pid()).unmapStep().continues(dev.mmcheck.model.state.UnmapStep.Kind.RECLAIM, r.addr());
            case Op.KsmMerge m -> m.steps() && s.process(m.pid()).unmapStep().continues(dev.mmcheck.model.state.UnmapStep.Kind.KSM, m.addr());
            case Op.MigrateStart m -> m.steps() && s.process(m.pid()).unmapStep().continues(dev.mmcheck.model.state.UnmapStep.Kind.MIGRATE, m.addr());
            case Op.Write w -> w.steps();
            case Op.Mprotect m -> m.steps();
            case Op.Gup g -> g.has(GupFlag.STEPS);
            case Op.Release r -> true;
            case Op.RefWrite w -> true;
            case Op.HmmDeviceWrite w -> true;
            default -> false;
        };
    }

    /**
     * v6.1+ (2ba99c5e0881): collapse_huge_page()'s tlb_remove_table_sync_one() IPIs every CPU and waits for those
     * with interrupts off, so a collapse does not get past its flush while a GUP-fast walk of the mm is between its
     * steps.
     */
    private static boolean ipiWaitsForWalker(Kernel k, MmState s, Pid p) {
        var w = s.process(p).fastWalk();
        return w.active() && !w.slow() && k.profile.get(dev.mmcheck.model.profile.DecisionPoint.GUP_FAST_COLLAPSE)
                == dev.mmcheck.model.profile.Decisions.GupFastCollapse.PMD_RECHECK_IPI;
    }

    private static Step.Outcome run(Kernel k, MmState s, Op op) {
        return switch (op) {
            case Op.Read r -> read(k, r.pid(), r.addr());
            case Op.ProcMemWrite w -> ProcBase.memWrite(k, w);
            case Op.UserptrCreate u -> I915Userptr.create(k, u);
            case Op.UserptrSubmit u -> I915Userptr.submit(k, u);
            case Op.UserptrGpuWrite g -> I915Userptr.gpuWrite(k, g);
            case Op.HmmMirror h -> Hmm.mirror(k, h.pid(), h.addr());
            case Op.HmmFault h -> Hmm.fault(k, h.pid(), h.write());
            case Op.HmmDeviceWrite h -> Hmm.deviceWrite(k, h.pid(), h.value());
            case Op.Write w when w.steps() -> steppedWrite(k, s, w);
            case Op.Write w -> write(k, w.pid(), w.addr(), w.value());
            case Op.Gup g when g.has(GupFlag.STEPS) -> Gup.fastWalkStep(k, g.pid(), g.addr(), g.flags(), g.label());
            case Op.Gup g -> Gup.getUserPages(k, g.pid(), g.addr(), g.flags(), g.label())
                    ? Step.Outcome.DONE : Step.Outcome.FAILED;
            case Op.Release r -> {
                if (!s.refs().contains(r.ref())) yield Step.Outcome.NOT_RUNNABLE;
                Gup.release(k, r.ref());
                yield Step.Outcome.DONE;
            }
            case Op.RefWrite w -> {
                if (!s.refs().contains(w.ref())) yield Step.Outcome.NOT_RUNNABLE;
                if (!w.ref().has(GupFlag.WRITE)) {
                    k.call("the reference is read-only: the device cannot write through it");
                    yield Step.Outcome.FAILED;
                }
                if (w.ref().folio().isZero()) {
                    k.call("DMA into the shared zeropage (a FOLL_WRITE reference on it): the model stops here");
                    yield Step.Outcome.FAILED;
                }
                if (k.trace) k.call("DMA write into " + w.ref().folio());
                k.store(w.ref().folio(), Data.storeBy(w.value(), w.pid(), k.aliveMask()));
                yield Step.Outcome.DONE;
            }
            case Op.Fork f when s.process(f.pid()).forkStep().active() -> {
                if (!f.steps() || !s.process(f.pid()).forkStep().child().equals(f.child())) yield Step.Outcome.NOT_RUNNABLE;
                Fork.finish(k, f.pid());
                yield Step.Outcome.DONE;
            }
            case Op.Fork f -> {
                if (f.child().index() >= s.processes().size() || s.process(f.child()).alive()) {
                    yield Step.Outcome.NOT_RUNNABLE;
                }
                if (f.steps()) {
                    Fork.begin(k, f.pid(), f.child());
                    yield Step.Outcome.IN_PROGRESS;
                }
                Fork.fork(k, f.pid(), f.child());
                yield Step.Outcome.DONE;
            }
            case Op.Exit e -> {
                Fork.exit(k, e.pid());
                yield Step.Outcome.DONE;
            }
            case Op.Mmap m when m.kind().huge() -> {
                Vaddr b = HugeMemory.base(m.addr());
                if (m.addr().index() % 2 != 0 || b.index() + 1 >= k.pageCount()
                        || k.vma(m.pid(), b).mapped() || k.vma(m.pid(), HugeMemory.other(b)).mapped()) {
                    k.call("a PMD-aligned pair of unmapped pages is needed (MAP_FIXED_NOREPLACE)");
                    yield Step.Outcome.FAILED;
                }
                if (k.trace) k.call(m.kind() == VmaKind.HUGETLB_PRIVATE ? "do_mmap(MAP_HUGETLB)" : "do_mmap; madvise(MADV_HUGEPAGE)");
                Vma v = Vma.mmap(m.kind(), m.write());
                k.setVma(m.pid(), b, v);
                k.setVma(m.pid(), HugeMemory.other(b), v);
                yield Step.Outcome.DONE;
            }
            case Op.Mmap m -> {
                if (k.vma(m.pid(), m.addr()).mapped()) {
                    k.call("the page is mapped already (MAP_FIXED_NOREPLACE)");
                    yield Step.Outcome.FAILED;
                }
                k.call("do_mmap");
                boolean mixedmap = switch (m.kind().backing()) {
                    case DRIVER_PAGES, ZERO_PAGES, FUSE_DAX -> true;
                    case DAX -> k.profile.fsdaxMixedmap() == FsdaxMixedmap.SET;
                    default -> false;
                };
                boolean io = m.kind().backing() == VmaKind.Backing.REMAP_PFN || m.io();
                k.setVma(m.pid(), m.addr(), Vma.mmap(m.kind(), m.write(), io, mixedmap));
                if (m.kind().backing() == VmaKind.Backing.FILE) k.pagecache(m.addr());
                if (m.kind().backing() == VmaKind.Backing.SHMEM) k.pagecache(k.vma(m.pid(), m.addr()), m.addr());
                if (!MemoryInsert.populateAtMmap(k, m.pid(), m.addr())) {
                    k.call("the driver's ->mmap fails: do_mmap unwinds");
                    yield Step.Outcome.FAILED;
                }
                yield Step.Outcome.DONE;
            }
            case Op.Munmap m -> {
                if (!k.vma(m.pid(), m.addr()).mapped()) {
                    if (k.trace) k.call("munmap: no VMA at " + m.addr() + ", nothing to unmap");
                    yield Step.Outcome.FAILED;
                }
                if (!partialHugetlbOk(k, m.pid(), m.addr(), m.pair())) yield Step.Outcome.FAILED;
                for (Vaddr x : pages(m.addr(), m.pair())) {
                    if (m.pair()) HugeMemory.zapPmd(k, m.pid(), x);
                    Memory.zapPte(k, m.pid(), x);
                    k.setVma(m.pid(), x, Vma.UNMAPPED);
                    Userfaultfd.forget(k, m.pid(), x);
                }
                yield Step.Outcome.DONE;
            }
            case Op.Mremap m -> mremap(k, m);
            case Op.Collapse c when s.process(c.pid()).collapseStep().active() -> {
                if (!c.steps() || !s.process(c.pid()).collapseStep().covers(c.addr())) yield Step.Outcome.NOT_RUNNABLE;
                Khugepaged.copy(k, c.pid());
                yield Step.Outcome.DONE;
            }
            case Op.Collapse c when ipiWaitsForWalker(k, s, c.pid()) -> Step.Outcome.NOT_RUNNABLE;
            case Op.Collapse c when c.steps() -> Khugepaged.isolate(k, c.pid(), c.addr()) ? Step.Outcome.IN_PROGRESS : Step.Outcome.FAILED;
            case Op.Collapse c -> Khugepaged.collapse(k, c.pid(), c.addr()) ? Step.Outcome.DONE : Step.Outcome.FAILED;
            case Op.MigrateStart m when s.process(m.pid()).unmapStep().active() -> {
                var u = s.process(m.pid()).unmapStep();
                if (!m.steps() || !u.continues(dev.mmcheck.model.state.UnmapStep.Kind.MIGRATE, m.addr())) yield Step.Outcome.NOT_RUNNABLE;
                k.setProcess(m.pid(), k.process(m.pid()).withUnmapStep(dev.mmcheck.model.state.UnmapStep.NONE));
                if (u.cleared()) k.call("try_to_migrate_one " + m.pid() + " " + m.addr() + ": the checks, after the clear and an smp_mb()");
                else k.earlyCheckRefused = u.refused();
                yield Migrate.start(k, m.pid(), m.addr()) ? Step.Outcome.DONE : Step.Outcome.FAILED;
            }
            case Op.MigrateStart m when m.steps() && Migrate.splittable(k, m.pid(), m.addr()) -> {
                FolioId f = ((Pte.Present) k.pte(m.pid(), m.addr())).folio();
                k.call("migrate_pages -> isolate " + f + " -> try_to_migrate");
                k.setProcess(m.pid(), k.process(m.pid()).withUnmapStep(Vmscan.migrateFirst(k, m.pid(), m.addr(), f)));
                yield Step.Outcome.IN_PROGRESS;
            }
            case Op.MigrateStart m -> Migrate.start(k, m.pid(), m.addr()) ? Step.Outcome.DONE : Step.Outcome.FAILED;
            case Op.MigrateFinish m -> Migrate.finish(k) ? Step.Outcome.DONE : Step.Outcome.FAILED;
            case Op.MigrateToDevice m -> DeviceMemory.migrateToDevice(k, m.pid(), m.addr()) ? Step.Outcome.DONE : Step.Outcome.FAILED;
            case Op.MakeDeviceExclusive m -> DeviceMemory.makeDeviceExclusive(k, m.pid(), m.addr()) ? Step.Outcome.DONE : Step.Outcome.FAILED;
            case Op.MemoryFailure m -> DeviceMemory.memoryFailure(k, m.pid(), m.addr()) ? Step.Outcome.DONE : Step.Outcome.FAILED;
            case Op.Mprotect m when s.process(m.pid()).splitStep().active() -> {
                if (!m.steps() || !s.process(m.pid()).splitStep().covers(m.addr())) yield Step.Outcome.NOT_RUNNABLE;
                HugeMemory.splitPmdFinish(k, m.pid());
                yield Mprotect.mprotect(k, m.pid(), m.addr(), m.write(), m.pair()) ? Step.Outcome.DONE : Step.Outcome.FAILED;
            }
            case Op.Mprotect m when m.steps() && !m.pair() && splittableThpPmd(k, m.pid(), m.addr())
                    && k.vma(m.pid(), m.addr()).write() != m.write() && (m.write() ? k.vma(m.pid(), m.addr()).mayWrite() : true) -> {
                if (pageLocked(k, s, ((Pmd.Huge) k.pmd(m.pid(), m.addr())).folio())) yield Step.Outcome.NOT_RUNNABLE;
                k.call("mprotect of part of a PMD: vma_adjust_trans_huge -> split_huge_pmd");
                HugeMemory.splitPmdBegin(k, m.pid(), m.addr());
                yield Step.Outcome.IN_PROGRESS;
            }
            case Op.Mprotect m -> {
                Vma vma = k.vma(m.pid(), m.addr());
                if (!vma.mapped()) {
                    if (k.trace) k.call("-ENOMEM: no VMA at " + m.addr());
                    yield Step.Outcome.FAILED;
                }
                boolean unchanged = true;
                for (Vaddr x : pages(m.addr(), m.pair())) unchanged &= k.vma(m.pid(), x).write() == m.write();
                if (unchanged) {
                    k.call("mprotect_fixup: protection unchanged");
                    yield Step.Outcome.DONE;
                }
                if (m.pair() && !k.vma(m.pid(), HugeMemory.other(m.addr())).mapped()) {
                    k.call("-ENOMEM: no VMA over the whole range");
                    yield Step.Outcome.FAILED;
                }
                yield Mprotect.mprotect(k, m.pid(), m.addr(), m.write(), m.pair()) ? Step.Outcome.DONE : Step.Outcome.FAILED;
            }
            case Op.Madvise m -> madvise(k, m);
            case Op.Reclaim r when s.process(r.pid()).unmapStep().active() -> {
                if (!r.steps() || !s.process(r.pid()).unmapStep().continues(dev.mmcheck.model.state.UnmapStep.Kind.RECLAIM, r.addr())) yield Step.Outcome.NOT_RUNNABLE;
                Vmscan.shrinkFinish(k, r.pid());
                yield Step.Outcome.DONE;
            }
            case Op.Reclaim r when r.steps() -> {
                if (!reclaimable(k, r.pid(), r.addr())) {
                    if (k.trace) k.call("nothing to reclaim: no anonymous, non-KSM folio is mapped at " + r.pid() + " " + r.addr());
                    yield Step.Outcome.FAILED;
                }
                if (!Vmscan.shrinkBegin(k, r.pid(), r.addr())) yield Step.Outcome.FAILED;
                yield k.process(r.pid()).unmapStep().active() ? Step.Outcome.IN_PROGRESS : Step.Outcome.DONE;
            }
            case Op.Reclaim r -> {
                if (!reclaimable(k, r.pid(), r.addr())) {
                    if (k.trace) k.call("nothing to reclaim: no anonymous, non-KSM folio is mapped at " + r.pid() + " " + r.addr());
                    yield Step.Outcome.FAILED;
                }
                yield Vmscan.shrinkFolio(k, r.pid(), r.addr()) ? Step.Outcome.DONE : Step.Outcome.FAILED;
            }
            case Op.ClearSoftDirty c -> {
                TaskMmu.clearSoftDirty(k, c.pid());
                yield Step.Outcome.DONE;
            }
            case Op.KsmZero z -> {
                if (!ksmSplit(k, z.pid(), z.addr())) yield Step.Outcome.FAILED;
                yield Ksm.mergeWithZeropage(k, z.pid(), z.addr()) ? Step.Outcome.DONE : Step.Outcome.FAILED;
            }
            case Op.EnableSkeys e -> S390.enableSkeys(k, e.pid()) ? Step.Outcome.DONE : Step.Outcome.FAILED;
            case Op.KsmMerge m when s.process(m.pid()).unmapStep().active() -> {
                var u = s.process(m.pid()).unmapStep();
                if (!m.steps() || !u.continues(dev.mmcheck.model.state.UnmapStep.Kind.KSM, m.addr())) yield Step.Outcome.NOT_RUNNABLE;
                k.setProcess(m.pid(), k.process(m.pid()).withUnmapStep(dev.mmcheck.model.state.UnmapStep.NONE));
                if (u.cleared()) k.call("write_protect_page " + m.pid() + " " + m.addr() + ": the checks, after the clear and an smp_mb()");
                else k.earlyCheckRefused = u.refused();
                yield Ksm.merge(k, m.pid(), m.addr(), m.other(), m.otherAddr()) ? Step.Outcome.DONE : Step.Outcome.FAILED;
            }
            case Op.KsmMerge m when m.steps() -> {
                if (m.other().index() >= s.processes().size() || !s.process(m.other()).alive()) yield Step.Outcome.NOT_RUNNABLE;
                if (!ksmSplit(k, m.pid(), m.addr()) || !ksmSplit(k, m.other(), m.otherAddr())) yield Step.Outcome.FAILED;
                if (!mergeable(k, m)) {
                    k.call("ksmd: not two distinct anonymous pages of equal content in VM_MERGEABLE VMAs (at most one of them KSM)");
                    yield Step.Outcome.FAILED;
                }
                FolioId first = ((Pte.Present) k.pte(m.pid(), m.addr())).folio();
                if (k.has(first, FolioFlag.KSM) || !Ksm.needsWriteProtect(k, m.pid(), m.addr())) {
                    yield Ksm.merge(k, m.pid(), m.addr(), m.other(), m.otherAddr()) ? Step.Outcome.DONE : Step.Outcome.FAILED;
                }
                var u = Vmscan.clearOrCheckFirst(k, m.pid(), m.addr(), first, true);
                k.setProcess(m.pid(), k.process(m.pid()).withUnmapStep(u));
                yield Step.Outcome.IN_PROGRESS;
            }
            case Op.KsmMerge m -> {
                if (m.other().index() >= s.processes().size() || !s.process(m.other()).alive()) {
                    yield Step.Outcome.NOT_RUNNABLE;
                }
                if (!ksmSplit(k, m.pid(), m.addr()) || !ksmSplit(k, m.other(), m.otherAddr())) yield Step.Outcome.FAILED;
                if (!mergeable(k, m)) {
                    k.call("ksmd: not two distinct anonymous pages of equal content in VM_MERGEABLE VMAs (at most one of them KSM)");
                    yield Step.Outcome.FAILED;
                }
                yield Ksm.merge(k, m.pid(), m.addr(), m.other(), m.otherAddr()) ? Step.Outcome.DONE : Step.Outcome.FAILED;
            }
            case Op.UffdRegister u -> Userfaultfd.register(k, u.pid(), u.addr(), u.modes(), u.features()) ? Step.Outcome.DONE : Step.Outcome.FAILED;
            case Op.UffdUnregister u -> Userfaultfd.unregister(k, u.pid(), u.addr()) ? Step.Outcome.DONE : Step.Outcome.FAILED;
            case Op.UffdWriteprotect u -> Userfaultfd.writeprotect(k, u.pid(), u.addr(), u.on()) ? Step.Outcome.DONE : Step.Outcome.FAILED;
            case Op.UffdZeropage u -> Userfaultfd.zeropage(k, u.pid(), u.addr()) ? Step.Outcome.DONE : Step.Outcome.FAILED;
            case Op.UffdContinue u -> Userfaultfd.cont(k, u.pid(), u.addr(), u.wp()) ? Step.Outcome.DONE : Step.Outcome.FAILED;
            case Op.Evict e -> Vmscan.evict(k, e.pid(), e.addr()) ? Step.Outcome.DONE : Step.Outcome.FAILED;
            case Op.Swapoff o -> Swapfile.swapoff(k) ? Step.Outcome.DONE : Step.Outcome.FAILED;
        };
    }

    /** A PMD that maps an anon THP (not the huge zeropage, not hugetlb): what a split split into steps takes. */
    private static boolean splittableThpPmd(Kernel k, Pid p, Vaddr a) {
        return k.pmd(p, a) instanceof Pmd.Huge h && !h.folio().isHugeZero() && !k.folio(h.folio()).part().hugetlb();
    }

    /**
     * v5.8+ (c444eb564fb1): the page lock of THP {@code head} is held by a write fault between its reuse reads or by a PMD
     * split between its steps, so the other waits. Before v5.8 the split takes no page lock: nothing waits.
     */
    private static boolean pageLocked(Kernel k, MmState s, FolioId head) {
        if (k.profile.get(dev.mmcheck.model.profile.DecisionPoint.THP_SPLIT_LOCK) != dev.mmcheck.model.profile.Decisions.ThpSplitLock.PAGE_LOCK) {
            return false;
        }
        for (int i = 0; i < s.processes().size(); i++) {
            var pr = s.processes().get(i);
            if (pr.reuseStep().active() && s.process(new Pid(i)).pmd(pr.reuseStep().addr()) instanceof Pmd.Huge h && h.folio().equals(head)) return true;
            if (pr.splitStep().active() && s.process(new Pid(i)).pmd(pr.splitStep().base()) instanceof Pmd.Huge h && h.folio().equals(head)) return true;
        }
        return false;
    }

    /**
     * A store split into steps: on a R/O PMD-mapped THP whose reuse the release decides by mapcounts (before v5.18),
     * step 1 is do_huge_pmd_wp_page() taking the page lock and reuse_swap_page() reading the subpages' mapcounts; step
     * 2 reads the compound mapcount, decides and stores. Anything else is the atomic store.
     */
    private static Step.Outcome steppedWrite(Kernel k, MmState s, Op.Write w) {
        Pid p = w.pid();
        var r = k.process(p).reuseStep();
        if (r.active()) {
            if (!r.addr().equals(w.addr())) return Step.Outcome.NOT_RUNNABLE;
            k.setProcess(p, k.process(p).withReuseStep(dev.mmcheck.model.state.ReuseStep.NONE));
            k.subpageMapcountRead = r.most();
            k.call("reuse_swap_page: the compound mapcount, with the subpages' as read before");
            return write(k, p, w.addr(), w.value());
        }
        var rule = k.profile.thpWpReuse();
        boolean byMapcount = rule == dev.mmcheck.model.profile.Decisions.ThpWpReuse.MAPCOUNT_COPY_THP
                || rule == dev.mmcheck.model.profile.Decisions.ThpWpReuse.MAPCOUNT_SPLIT;
        if (!byMapcount || !k.vma(p, w.addr()).write() || !splittableThpPmd(k, p, w.addr()) || ((Pmd.Huge) k.pmd(p, w.addr())).write()) {
            return write(k, p, w.addr(), w.value());
        }
        FolioId head = ((Pmd.Huge) k.pmd(p, w.addr())).folio();
        if (pageLocked(k, s, head)) return Step.Outcome.NOT_RUNNABLE;
        int most = HugeMemory.mostSubpageMapcount(k, head);
        k.call("handle_mm_fault(FAULT_FLAG_WRITE) -> do_huge_pmd_wp_page: lock_page; reuse_swap_page: subpage mapcounts (at most " + most + ")");
        k.setProcess(p, k.process(p).withReuseStep(new dev.mmcheck.model.state.ReuseStep(w.addr(), most)));
        return Step.Outcome.IN_PROGRESS;
    }

    /** A load: a present PTE needs no kernel entry; otherwise handle_mm_fault() without FAULT_FLAG_WRITE. */
    private static Step.Outcome read(Kernel k, Pid p, Vaddr a) {
        if (!k.vma(p, a).mapped()) {
            k.call("SIGSEGV: no VMA");
            return Step.Outcome.FAILED;
        }
        if (k.pte(p, a) instanceof Pte.Present || k.pmd(p, a) instanceof Pmd.Huge) {
            k.call("load (PTE present, no fault)");
            return Step.Outcome.DONE;
        }
        k.call("handle_mm_fault");
        return Memory.handleFault(k, p, a, Memory.Fault.READ) ? Step.Outcome.DONE : Step.Outcome.FAILED;
    }

    /** A store: handle_mm_fault(FAULT_FLAG_WRITE) unless the PTE is present and writable, then the store itself. */
    private static Step.Outcome write(Kernel k, Pid p, Vaddr a, int value) {
        Vma vma = k.vma(p, a);
        if (!vma.mapped() || !vma.write()) {
            if (k.trace) k.call(vma.mapped() ? "SIGSEGV: VMA without VM_WRITE" : "SIGSEGV: no VMA");
            return Step.Outcome.FAILED;
        }
        if (k.pmd(p, a) instanceof Pmd.Huge || (k.pmd(p, a) instanceof Pmd.None && k.pte(p, a) instanceof Pte.None
                && (k.vma(p, a).kind() == VmaKind.HUGETLB_PRIVATE || HugeMemory.hugeVma(k, p, a)))) {
            if (!(k.pmd(p, a) instanceof Pmd.Huge h0 && h0.write())) {
                k.call("handle_mm_fault(FAULT_FLAG_WRITE)");
                if (!Memory.handleFault(k, p, a, Memory.Fault.WRITE)) return Step.Outcome.FAILED;
            }
            if (k.pmd(p, a) instanceof Pmd.Huge h && h.write()) {
                FolioId f = MmState.subpage(h.folio(), a);
                if (k.trace) k.call(String.format("store 0x%02x into %s", value, f));
                k.setPmd(p, a, h.mkdirty());
                k.store(f, Data.storeBy(value, p, k.aliveMask()));
                Userfaultfd.storeLanded(k, p, a);
                return Step.Outcome.DONE;
            }
        }
        if (!(k.pte(p, a) instanceof Pte.Present pr && pr.write())) {
            k.call("handle_mm_fault(FAULT_FLAG_WRITE)");
            if (!Memory.handleFault(k, p, a, Memory.Fault.WRITE)) return Step.Outcome.FAILED;
        }
        Pte.Present pr = (Pte.Present) k.pte(p, a);
        if (!pr.write()) throw new IllegalStateException("write fault left a R/O PTE at " + p + " " + a);
        FolioId f = pr.folio();
        if (f.isZero()) {
            k.call("store into the shared zeropage through a writable PTE: the model stops here");
            return Step.Outcome.FAILED;
        }
        if (k.trace) k.call(String.format("store 0x%02x into %s", value, f));
        k.setPte(p, a, pr.dirty() ? pr : new Pte.Present(f, true, true, pr.softDirty(), pr.special(), pr.zeroRef(), pr.uffdWp()));
        k.store(f, Data.storeBy(value, p, k.aliveMask()));
        Userfaultfd.storeLanded(k, p, a);
        return Step.Outcome.DONE;
    }

    /** The pages an operation covers. */
    private static java.util.List<Vaddr> pages(Vaddr a, boolean pair) {
        return pair ? java.util.List.of(HugeMemory.base(a), HugeMemory.other(HugeMemory.base(a))) : java.util.List.of(a);
    }

    /** A hugetlb VMA is changed only whole (a partial munmap/mprotect/madvise is -EINVAL). */
    private static boolean partialHugetlbOk(Kernel k, Pid p, Vaddr a, boolean pair) {
        if (k.vma(p, a).kind() == VmaKind.HUGETLB_PRIVATE && !pair) {
            k.call("part of a hugetlb page: -EINVAL");
            return false;
        }
        return true;
    }

    /**
     * mm/mremap.c: mremap() of one page to an unmapped page: move_vma() moves the VMA and move_page_tables() its
     * entry (splitting a PMD that maps it: the pair's VMA is split too). The owner's GUP references at the old address
     * detach.
     */
    private static Step.Outcome mremap(Kernel k, Op.Mremap m) {
        Pid p = m.pid();
        if (!k.vma(p, m.addr()).mapped() || k.vma(p, m.to()).mapped() || m.addr().equals(m.to())) {
            k.call("mremap: no VMA at the source or the target is mapped: -EINVAL");
            return Step.Outcome.FAILED;
        }
        if (!partialHugetlbOk(k, p, m.addr(), false)) return Step.Outcome.FAILED;
        HugeMemory.splitIfPmd(k, p, m.addr(), "move_page_tables on part of a PMD");
        if (!(k.pmd(p, m.to()) instanceof Pmd.None)) {
            k.call("mremap: the target range is PMD-mapped: -EINVAL");
            return Step.Outcome.FAILED;
        }
        k.call("mremap -> move_vma -> move_page_tables -> move_ptes");
        k.setVma(p, m.to(), k.vma(p, m.addr()));
        k.setPte(p, m.to(), k.pte(p, m.addr()));
        k.setVma(p, m.addr(), Vma.UNMAPPED);
        k.setPte(p, m.addr(), Pte.NONE);
        Memory.detachRefs(k, p, m.addr());
        Userfaultfd.move(k, p, m.addr(), m.to());
        return Step.Outcome.DONE;
    }

    private static Step.Outcome madvise(Kernel k, Op.Madvise m) {
        Pid p = m.pid();
        Vaddr a = m.addr();
        Vma vma = k.vma(p, a);
        if (!vma.mapped()) {
            k.call("-ENOMEM: no VMA");
            return Step.Outcome.FAILED;
        }
        if (m.advice() != Op.Advice.PAGEOUT && !partialHugetlbOk(k, p, a, m.pair())) return Step.Outcome.FAILED;
        if (m.pair()) {
            Step.Outcome o = Step.Outcome.DONE;
            if (k.pmd(p, a) instanceof Pmd.Huge && m.advice() == Op.Advice.DONTNEED) {
                k.call("madvise_dontneed_single_vma -> zap_pmd_range (the whole PMD)");
                HugeMemory.zapPmd(k, p, a);
                for (Vaddr x : pages(a, true)) Userfaultfd.forget(k, p, x);
                return Step.Outcome.DONE;
            }
            if (k.pmd(p, a) instanceof Pmd.Huge && m.advice() == Op.Advice.PAGEOUT) {
                return pageout(k, p, a, true);
            }
            for (Vaddr x : pages(a, true)) {
                Step.Outcome one = madvise(k, new Op.Madvise(p, x, m.advice(), false), true);
                if (one != Step.Outcome.DONE) o = one;
            }
            return o;
        }
        return madvise(k, m, false);
    }

    /**
     * madvise() of one page. Advice that changes vm_flags (MADV_DONTFORK/DOFORK/MERGEABLE) splits the VMA, and so the
     * PMD, when the page is part of a PMD-mapped range; MADV_DONTNEED of part of a PMD splits it and zaps the page.
     */
    private static Step.Outcome madvise(Kernel k, Op.Madvise m, boolean partOfRange) {
        Pid p = m.pid();
        Vaddr a = m.addr();
        Vma vma = k.vma(p, a);
        if (!vma.mapped()) {
            k.call("-ENOMEM: no VMA");
            return Step.Outcome.FAILED;
        }
        if (!partOfRange && m.advice() != Op.Advice.PAGEOUT && m.advice() != Op.Advice.DONTNEED) {
            HugeMemory.splitIfPmd(k, p, a, "madvise on part of a PMD: vma_adjust_trans_huge");
        }
        boolean lru = !vma.pfnmap();
        if (!lru && (m.advice() == Op.Advice.DONTNEED || m.advice() == Op.Advice.PAGEOUT)) {
            k.call("can_madv_lru_vma: VM_PFNMAP: -EINVAL");
            return Step.Outcome.FAILED;
        }
        if (vma.io() && m.advice() == Op.Advice.DONTFORK) {
            k.call("madvise_behavior: MADV_DONTFORK on VM_IO: -EINVAL");
            return Step.Outcome.FAILED;
        }
        switch (m.advice()) {
            case DONTNEED -> {
                k.call("madvise_dontneed_single_vma -> zap_page_range");
                Memory.zapPte(k, p, a, false);
                Userfaultfd.forget(k, p, a);
            }
            case DONTFORK -> k.setVma(p, a, vma.withDontCopy(true));
            case DOFORK -> k.setVma(p, a, vma.withDontCopy(false));
            case MERGEABLE -> {
                if (!vma.kind().anon()) {
                    k.call("ksm_madvise: only anonymous private mappings are mergeable here");
                    return Step.Outcome.FAILED;
                }
                k.setVma(p, a, vma.withMergeable(true));
            }
            case PAGEOUT -> {
                return pageout(k, p, a, partOfRange);
            }
        }
        return Step.Outcome.DONE;
    }

    /**
     * MADV_PAGEOUT: a PMD-mapped THP the range covers whole is reclaimed whole; part of one is split off first
     * (split_huge_page(); a pinned THP cannot be split and is skipped). A PTE-mapped page is reclaimed only if mapped
     * once (madvise_cold_or_pageout_pte_range()); a large folio not covered whole is split first.
     */
    private static Step.Outcome pageout(Kernel k, Pid p, Vaddr a, boolean wholeRange) {
        if (k.vma(p, a).kind().backing() == VmaKind.Backing.SHMEM && k.pte(p, a) instanceof Pte.Present pr
                && k.folio(pr.folio()).kind() == dev.mmcheck.model.state.FolioKind.PAGECACHE) {
            // madvise_cold_or_pageout_pte_range(): a shmem page mapped once, of a memfd the caller may write
            // (can_do_file_pageout()), goes to reclaim_pages() -> shrink_folio_list() -> shmem_writepage()
            if (k.folio(pr.folio()).mapcount() != 1) {
                k.call("madvise_cold_or_pageout_pte_range: mapped more than once, skipped");
                return Step.Outcome.DONE;
            }
            k.call("madvise_pageout -> reclaim_pages");
            Vmscan.evict(k, p, a);
            return Step.Outcome.DONE;
        }
        if (!reclaimable(k, p, a)) return Step.Outcome.DONE;
        FolioId f = k.pmd(p, a) instanceof Pmd.Huge h ? h.folio() : ((Pte.Present) k.pte(p, a)).folio();
        if (k.pmd(p, a) instanceof Pmd.Huge) {
            if (!wholeRange) {
                k.call("madvise_cold_or_pageout_pte_range: part of a THP: split_huge_page");
                if (!HugeMemory.splitFolio(k, f)) return Step.Outcome.DONE;
            }
        } else if (k.large(f) && !wholeRange) {
            k.call("madvise_cold_or_pageout_pte_range: part of a large folio: split it");
            if (!HugeMemory.splitFolio(k, f)) return Step.Outcome.DONE;
        }
        FolioId now = k.pmd(p, a) instanceof Pmd.Huge h ? h.folio() : ((Pte.Present) k.pte(p, a)).folio();
        int mapped = k.large(now) ? k.totalMapcount(now) : k.folio(now).mapcount();
        if (mapped != 1 && !(k.large(now) && !Memory.mappedByOther(k, now, p))) {
            k.call("madvise_cold_or_pageout_pte_range: mapped more than once, skipped");
            return Step.Outcome.DONE;
        }
        k.call("madvise_pageout -> reclaim_pages");
        Vmscan.shrinkFolio(k, p, a);
        return Step.Outcome.DONE;
    }

    /** Reclaim here takes an anon, non-KSM folio mapped at p:a (by a PTE or a PMD). */
    private static boolean reclaimable(Kernel k, Pid p, Vaddr a) {
        if (k.pmd(p, a) instanceof Pmd.Huge h) {
            return !h.folio().isHugeZero() && !k.folio(h.folio()).part().hugetlb() && !k.has(h.folio(), FolioFlag.MIGRATING);
        }
        if (!(k.pte(p, a) instanceof Pte.Present pr) || !MemoryInsert.mapsAnon(k, p, a, pr)) return false;
        return !k.folio(pr.folio()).has(FolioFlag.KSM) && !k.has(pr.folio(), FolioFlag.MIGRATING)
                && !k.has(pr.folio(), FolioFlag.DEVICE_PRIVATE);
    }

    /**
     * try_to_merge_one_page(): KSM merges small pages only; a large folio in a VM_MERGEABLE VMA is split first
     * (split_huge_page(), which fails while a GUP reference or pin holds it: no merge).
     */
    private static boolean ksmSplit(Kernel k, Pid p, Vaddr a) {
        if (!k.vma(p, a).mergeable()) return true;
        FolioId f = k.pmd(p, a) instanceof Pmd.Huge h ? h.folio() : k.pte(p, a) instanceof Pte.Present pr ? pr.folio() : null;
        if (f == null || f.isAnyZero() || !k.large(f)) return true;
        k.call("try_to_merge_one_page: split the large folio first");
        return HugeMemory.splitFolio(k, f);
    }

    /** KSM merges two distinct anon pages of equal content in VM_MERGEABLE VMAs, at most one of them KSM already. */
    private static boolean mergeable(Kernel k, Op.KsmMerge m) {
        if (!(k.pte(m.pid(), m.addr()) instanceof Pte.Present p1) || !(k.pte(m.other(), m.otherAddr()) instanceof Pte.Present p2)) {
            return false;
        }
        if (!k.vma(m.pid(), m.addr()).mergeable() || !k.vma(m.other(), m.otherAddr()).mergeable()) return false;
        if (p1.folio().isZero() || p2.folio().isZero() || p1.folio().equals(p2.folio())) return false;
        var f1 = k.folio(p1.folio());
        var f2 = k.folio(p2.folio());
        if (!f1.isAnon() || !f2.isAnon() || (f1.has(FolioFlag.KSM) && f2.has(FolioFlag.KSM))) return false;
        return f1.data().value() == f2.data().value();
    }
}
