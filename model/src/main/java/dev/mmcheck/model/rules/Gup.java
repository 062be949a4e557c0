package dev.mmcheck.model.rules;

import dev.mmcheck.model.profile.Decisions.FsdaxLongterm;
import dev.mmcheck.model.profile.Decisions.GupCowBreak;
import dev.mmcheck.model.profile.Decisions.GupFast;
import dev.mmcheck.model.profile.Decisions.ZeropagePin;
import dev.mmcheck.model.state.FolioFlag;
import dev.mmcheck.model.state.FolioId;
import dev.mmcheck.model.state.FolioKind;
import dev.mmcheck.model.state.GupFlag;
import dev.mmcheck.model.state.GupRef;
import dev.mmcheck.model.state.MmState;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Pmd;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.Vaddr;
import dev.mmcheck.model.state.Vma;

/**
 * mm/gup.c: get_user_pages / pin_user_pages of one page (GUP-fast's lockless walk first when the caller asked for
 * it), and their release.
 * Abstracts away: GUP-fast's races (the walk runs atomically: its re-check of the PTE, write_protect_seq and the
 * barriers of page_try_share_anon_rmap() are below this granularity), FOLL_FORCE, FOLL_LONGTERM migration out of
 * ZONE_MOVABLE/CMA, writable_file_mapping_allowed() and folio_fast_pin_allowed() (v6.5), and huge mappings.
 */
final class Gup {
    private Gup() {
    }

    /** The retry loop of __get_user_pages() ends after a fault or two; more means the rules do not converge. */
    private static final int MAX_FAULTS = 4;

    /**
     * get_user_pages_fast() / pin_user_pages_fast() try the lockless walk first ({@link #gupFast}); the slow path
     * runs when it bails out. Returns false for an error (-EFAULT, -EOPNOTSUPP, -EEXIST).
     */
    static boolean getUserPages(Kernel k, Pid p, Vaddr a, int flags, int label) {
        if ((flags & GupFlag.FAST.bit()) != 0 && gupFast(k, p, a, flags, label)) return true;
        return slow(k, p, a, flags, label);
    }

    /**
     * __get_user_pages() for one page: check_vma_flags(), then follow_page_pte() and faultin_page() on a miss, then
     * try_grab_page(). check_vma_flags() refuses VM_IO|VM_PFNMAP (-EFAULT) before any walk, FOLL_WRITE without
     * VM_WRITE (-EFAULT), and FOLL_LONGTERM on FSDAX (-EOPNOTSUPP, from v4.15). follow_page_pte() takes
     * vm_normal_page()'s page; where that is NULL, an FSDAX block through its dev_pagemap, the zeropage by
     * is_zero_pfn(), and a raw PFN not at all (-EEXIST).
     */
    private static boolean slow(Kernel k, Pid p, Vaddr a, int flags, int label) {
        boolean pin = (flags & GupFlag.PIN.bit()) != 0;
        boolean write = (flags & GupFlag.WRITE.bit()) != 0;
        if (k.trace) k.call(pin ? "__gup_longterm_locked -> __get_user_pages" : "__get_user_pages");
        Vma vma = k.vma(p, a);
        if (!checkVmaFlags(k, vma, flags)) return false;
        boolean follWrite = write;
        if (k.profile.gupCowBreak() == GupCowBreak.GET_OR_PIN_IN_COW_MAPPING && vma.isCow()) {
            k.call("should_force_cow_break: FOLL_WRITE");
            follWrite = true;
        }
        boolean wroteFault = false;
        for (int faults = 0; faults <= MAX_FAULTS; faults++) {
            if (k.pmd(p, a) instanceof Pmd.Migration) throw new Memory.Wait("follow_pmd_mask: pmd_migration_entry_wait");
            if (k.pmd(p, a) instanceof Pmd.Huge h) {
                // follow_trans_huge_pmd() / follow_huge_pmd() (hugetlb: follow_hugetlb_page())
                if (follWrite && !h.write() && !wroteFault) {
                    k.call("follow_huge_pmd: FOLL_WRITE on a R/O PMD -> faultin_page(FAULT_FLAG_WRITE)");
                    if (!Memory.handleFault(k, p, a, Memory.Fault.WRITE)) return false;
                    wroteFault = true;
                    continue;
                }
                FolioId page = MmState.subpage(h.folio(), a);
                if (!h.write() && mustUnshare(k, vma, flags, page.isHugeZero() ? page : k.head(page))) {
                    k.call("gup_must_unshare (PMD): -EMLINK -> faultin_page(FAULT_FLAG_UNSHARE)");
                    if (!Memory.handleFault(k, p, a, Memory.Fault.UNSHARE)) return false;
                    continue;
                }
                touchPmd(k, p, a, follWrite);
                grab(k, p, a, flags, label, page);
                return true;
            }
            Pte pte = k.pte(p, a);
            if (!(pte instanceof Pte.Present pr)) {
                k.call("follow_page_pte: not present -> faultin_page");
                if (!Memory.handleFault(k, p, a, follWrite ? Memory.Fault.WRITE : Memory.Fault.READ)) return false;
                wroteFault = follWrite;
                continue;
            }
            // can_follow_write_pte(): pte_write, or (v5.8 forced COW / FOLL_COW) the R/O dirty PTE a write fault left
            if (follWrite && !pr.write() && !wroteFault) {
                k.call("follow_page_pte: FOLL_WRITE on a R/O PTE -> faultin_page(FAULT_FLAG_WRITE)");
                if (!Memory.handleFault(k, p, a, Memory.Fault.WRITE)) return false;
                wroteFault = true;
                continue;
            }
            FolioId page = MemoryInsert.vmNormalPage(k, p, a, pr);
            if (page == null) {
                if (!pr.folio().isZero() && k.folio(pr.folio()).kind() == FolioKind.DAX) {
                    k.call("follow_page_pte: devmap PTE: get_dev_pagemap");
                    page = pr.folio();
                } else if (pr.folio().isZero()) {
                    k.call("follow_page_pte: is_zero_pfn: the zeropage");
                    page = FolioId.ZERO;
                } else {
                    k.call("follow_page_pte: no struct page (follow_pfn_pte): -EEXIST");
                    return false;
                }
            }
            if (!pr.write() && mustUnshare(k, vma, flags, page)) {
                k.call("gup_must_unshare: -EMLINK -> faultin_page(FAULT_FLAG_UNSHARE)");
                // Either the page is exclusive now (PTE unchanged, still R/O) or a new exclusive copy is mapped R/O.
                if (!Memory.handleFault(k, p, a, Memory.Fault.UNSHARE)) return false;
                continue;
            }
            grab(k, p, a, flags, label, page);
            return true;
        }
        throw new IllegalStateException("GUP faulted more than " + MAX_FAULTS + " times: the rules do not converge");
    }

    /**
     * check_vma_flags() (and find_extend_vma()): no VMA, VM_IO|VM_PFNMAP, FOLL_WRITE without VM_WRITE (allowed with
     * FOLL_FORCE in a private mapping, is_cow_mapping()), FOLL_LONGTERM on FSDAX (from v4.15). False, with the reason
     * on the kernel path, where GUP refuses before any walk.
     */
    static boolean checkVmaFlags(Kernel k, Vma vma, int flags) {
        if (!vma.mapped()) {
            k.call("-EFAULT: no VMA");
            return false;
        }
        if (vma.pfnmap() || vma.io()) {
            k.call("check_vma_flags: VM_IO|VM_PFNMAP: -EFAULT");
            return false;
        }
        boolean force = (flags & GupFlag.FORCE.bit()) != 0;
        if ((flags & GupFlag.WRITE.bit()) != 0 && !vma.write() && !(force && vma.isCow())) {
            k.call(force ? "check_vma_flags: FOLL_FORCE writes without VM_WRITE only into a private mapping (is_cow_mapping): -EFAULT"
                    : "-EFAULT: FOLL_WRITE on a VMA without VM_WRITE");
            return false;
        }
        if ((flags & GupFlag.LONGTERM.bit()) != 0 && vma.kind().fsdax() && k.profile.fsdaxLongterm() == FsdaxLongterm.REFUSED) {
            k.call("check_vma_flags: FOLL_LONGTERM on FSDAX: -EOPNOTSUPP");
            return false;
        }
        return true;
    }

    /**
     * One pass of __get_user_pages()'s retry loop for a FOLL_FORCE|FOLL_WRITE request (access_remote_vm()):
     * follow_page_pte() under the PTE lock and, on a miss, faultin_page() with the era's FOLL_WRITE / FOLL_COW game
     * ({@link dev.mmcheck.model.profile.Decisions.ForceWrite}). The PTE lock is dropped between the two and after the
     * fault, which is where Dirty COW's MADV_DONTNEED slips in. Returns the loop after the pass ({@code got()} once the
     * page is held by a FOLL_GET reference of the target with FOLL_FORCE|FOLL_WRITE), or null for -EFAULT.
     * PMD-mapped THPs and the huge zeropage take {@link #forceIterationPmd}. Abstracts away: the
     * write_protect_seq/GUP-fast side (this is the slow path only).
     */
    static dev.mmcheck.model.state.GupLoop forceIteration(Kernel k, dev.mmcheck.model.state.GupLoop g) {
        Pid p = g.target();
        Vaddr a = g.addr();
        Vma vma = k.vma(p, a);
        if (!vma.mapped()) {
            k.call("find_extend_vma: no VMA: -EFAULT");
            return null;
        }
        if (k.pmd(p, a) instanceof Pmd.Migration) throw new Memory.Wait("follow_pmd_mask: pmd_migration_entry_wait");
        if (k.pmd(p, a) instanceof Pmd.Huge h) return forceIterationPmd(k, g, vma, h);
        Pte pte = k.pte(p, a);
        if (!(pte instanceof Pte.Present pr)) {
            k.call("follow_page_pte: not present -> faultin_page(" + (g.write() ? "FAULT_FLAG_WRITE" : "read") + ")");
            if (!Memory.handleFault(k, p, a, g.write() ? Memory.Fault.WRITE : Memory.Fault.READ)) return null;
            return g; // do_anonymous_page(), do_cow_fault(), do_read_fault(): no VM_FAULT_WRITE
        }
        FolioId page = MemoryInsert.vmNormalPage(k, p, a, pr);
        if (g.write() && !pr.write() && !canFollowWrite(k, g, vma, pr, page)) {
            k.call("follow_page_pte: FOLL_WRITE on a R/O PTE -> faultin_page(FAULT_FLAG_WRITE)");
            if (!Memory.handleFault(k, p, a, Memory.Fault.WRITE)) return null;
            return afterWriteFault(k, g, vma);
        }
        if (page == null) {
            if (pr.folio().isZero()) {
                k.call("follow_page_pte: is_zero_pfn: the zeropage");
                page = FolioId.ZERO;
            } else if (k.folio(pr.folio()).kind() == FolioKind.DAX) {
                k.call("follow_page_pte: devmap PTE: get_dev_pagemap");
                page = pr.folio();
            } else {
                k.call("follow_page_pte: no struct page: -EFAULT");
                return null;
            }
        }
        if (g.write() && !pr.write()) k.call("can_follow_write_pte: " + k.profile.forceWrite().specName() + " takes the R/O PTE");
        grab(k, p, a, GupFlag.WRITE.bit() | GupFlag.FORCE.bit(), 0, page);
        return g.withGot();
    }

    /**
     * faultin_page() after a write fault: VM_FAULT_WRITE (do_wp_page() or do_huge_pmd_wp_page() reused or copied the
     * page) in a VMA without VM_WRITE plays the era's FOLL_WRITE / FOLL_COW game.
     */
    private static dev.mmcheck.model.state.GupLoop afterWriteFault(Kernel k, dev.mmcheck.model.state.GupLoop g, Vma vma) {
        if (vma.write()) return g;
        return switch (k.profile.forceWrite()) {
            case DROP_FOLL_WRITE -> {
                k.call("faultin_page: VM_FAULT_WRITE without VM_WRITE: foll_flags &= ~FOLL_WRITE");
                yield g.withWrite(false);
            }
            case FOLL_COW_DIRTY, FOLL_COW_DIRTY_NO_FORCE -> {
                k.call("faultin_page: VM_FAULT_WRITE without VM_WRITE: foll_flags |= FOLL_COW");
                yield g.withCow(true);
            }
            case ANON_EXCLUSIVE -> g;
        };
    }

    /**
     * One pass of the FOLL_FORCE loop on a PMD-mapped THP or the huge zeropage: follow_trans_huge_pmd() with
     * can_follow_write_pmd() ({@link dev.mmcheck.model.profile.Decisions.ForceWritePmd}) and touch_pmd(), or
     * faultin_page() -> do_huge_pmd_wp_page(). v4.9 refuses the R/O PMD even after the COW fault: the kernel's loop
     * then never ends (only a fatal signal stops it), which the model reports as the write failing. Hugetlb is refused.
     */
    private static dev.mmcheck.model.state.GupLoop forceIterationPmd(Kernel k, dev.mmcheck.model.state.GupLoop g, Vma vma, Pmd.Huge h) {
        Pid p = g.target();
        Vaddr a = g.addr();
        if (!h.folio().isHugeZero() && k.folio(h.folio()).part().hugetlb()) {
            k.call("follow_hugetlb_page: FOLL_FORCE writes into hugetlb are not modelled: -EFAULT");
            return null;
        }
        if (g.write() && !h.write() && !canFollowWritePmd(k, g, vma, h)) {
            if (g.cow() && k.profile.get(dev.mmcheck.model.profile.DecisionPoint.FORCE_WRITE_PMD)
                    == dev.mmcheck.model.profile.Decisions.ForceWritePmd.NO_COW_ESCAPE) {
                k.call("follow_trans_huge_pmd: FOLL_WRITE on a R/O PMD although FOLL_COW is set: GUP faults forever "
                        + "(only a fatal signal ends the loop): nothing written");
                return null;
            }
            k.call("follow_trans_huge_pmd: FOLL_WRITE on a R/O PMD -> faultin_page(FAULT_FLAG_WRITE)");
            if (!Memory.handleFault(k, p, a, Memory.Fault.WRITE)) return null;
            return afterWriteFault(k, g, vma);
        }
        if (g.write() && !h.write()) k.call("can_follow_write_pmd: " + k.profile.forceWrite().specName() + " takes the R/O PMD");
        touchPmd(k, p, a, g.write());
        grab(k, p, a, GupFlag.WRITE.bit() | GupFlag.FORCE.bit(), 0, MmState.subpage(h.folio(), a));
        return g.withGot();
    }

    /** can_follow_write_pmd() for a FOLL_FORCE|FOLL_WRITE request on a R/O PMD, per era. */
    private static boolean canFollowWritePmd(Kernel k, dev.mmcheck.model.state.GupLoop g, Vma vma, Pmd.Huge h) {
        return switch (k.profile.forceWrite()) {
            case DROP_FOLL_WRITE -> false;
            case FOLL_COW_DIRTY, FOLL_COW_DIRTY_NO_FORCE -> k.profile.get(dev.mmcheck.model.profile.DecisionPoint.FORCE_WRITE_PMD)
                    == dev.mmcheck.model.profile.Decisions.ForceWritePmd.COW_DIRTY && g.cow() && h.dirty();
            case ANON_EXCLUSIVE -> vma.isCow() && !vma.write() && !h.folio().isHugeZero() && k.folio(h.folio()).isAnon()
                    && k.has(h.folio(), FolioFlag.ANON_EXCLUSIVE) && !(vma.softDirtyTracking() && !h.softDirty()) && !h.uffdWp();
        };
    }

    /**
     * follow_trans_huge_pmd()'s touch_pmd() for FOLL_TOUCH (every GUP but GUP-fast): the PMD is marked dirty on a read
     * too before v4.15 ({@link dev.mmcheck.model.profile.Decisions.TouchPmd}), only for FOLL_WRITE after. Not hugetlb.
     */
    private static void touchPmd(Kernel k, Pid p, Vaddr a, boolean write) {
        if (!(k.pmd(p, a) instanceof Pmd.Huge h) || h.dirty()) return;
        if (!h.folio().isHugeZero() && k.folio(h.folio()).part().hugetlb()) return;
        if (!write && k.profile.get(dev.mmcheck.model.profile.DecisionPoint.TOUCH_PMD)
                == dev.mmcheck.model.profile.Decisions.TouchPmd.DIRTY_IF_WRITE) {
            return;
        }
        k.call("touch_pmd: pmd_mkdirty");
        k.setPmd(p, a, h.mkdirty());
    }

    /** can_follow_write_pte() for a FOLL_FORCE|FOLL_WRITE request on a R/O PTE, per era. */
    private static boolean canFollowWrite(Kernel k, dev.mmcheck.model.state.GupLoop g, Vma vma, Pte.Present pr, FolioId page) {
        return switch (k.profile.forceWrite()) {
            case DROP_FOLL_WRITE -> false;
            // FOLL_FORCE is always set here, so v5.8's rule (no FOLL_FORCE needed) takes the same pages
            case FOLL_COW_DIRTY, FOLL_COW_DIRTY_NO_FORCE -> g.cow() && pr.dirty();
            case ANON_EXCLUSIVE -> vma.isCow() && !vma.write() && page != null && !page.isZero() && k.folio(page).isAnon()
                    && k.has(page, FolioFlag.ANON_EXCLUSIVE) && !(vma.softDirtyTracking() && !pr.softDirty()) && !pr.uffdWp();
        };
    }

    /**
     * gup_pte_range() / gup_fast_pte_range(): the lockless walk, which never faults and never looks at the VMA. It
     * exists at PTE level only with ARCH_HAS_PTE_SPECIAL (else a stub). It bails out, leaving the page to the slow
     * path, on a non-present PTE, on FOLL_WRITE without pte_write, on a devmap PTE for FOLL_LONGTERM, on any other
     * special PTE (the zeropage, raw PFNs), and from v5.19 when gup_must_unshare() with no VMA says so.
     */
    private static boolean gupFast(Kernel k, Pid p, Vaddr a, int flags, int label) {
        if (!k.profile.hasPteSpecial()) {
            k.call("GUP-fast: no PTE-level walk without ARCH_HAS_PTE_SPECIAL");
            return false;
        }
        if (k.pmd(p, a) instanceof Pmd.Huge h) {
            // gup_fast_pmd_leaf() (gup_huge_pmd() before v6.9)
            if ((flags & GupFlag.WRITE.bit()) != 0 && !h.write()) {
                k.call("gup_fast_pmd_leaf: FOLL_WRITE on a R/O PMD, bail out");
                return false;
            }
            FolioId page = MmState.subpage(h.folio(), a);
            if (!h.write() && mustUnshare(k, null, flags, page.isHugeZero() ? page : k.head(page))) {
                k.call("gup_fast_pmd_leaf: gup_must_unshare, bail out");
                return false;
            }
            if (k.trace) k.call("gup_fast_pmd_leaf: grab " + page);
            grab(k, p, a, flags | GupFlag.FAST_WALK.bit(), label, page);
            return true;
        }
        if (!(k.pmd(p, a) instanceof Pmd.None)) {
            k.call("gup_fast_pmd_range: not a present PMD, bail out");
            return false;
        }
        Pte pte = k.pte(p, a);
        String bail = fastPteBail(k, pte, flags, true);
        if (bail != null) {
            k.call(bail);
            return false;
        }
        FolioId f = ((Pte.Present) pte).folio();
        if (k.trace) k.call("gup_fast_pte_range: grab " + f + ", the PTE is unchanged");
        grab(k, p, a, flags | GupFlag.FAST_WALK.bit(), label, f);
        return true;
    }

    /**
     * Why gup_fast_pte_range() bails out on this PTE (its kernel-path line), or null: not present, FOLL_WRITE on a R/O
     * PTE, devmap with FOLL_LONGTERM, any other special PTE, and ({@code unshare}) gup_must_unshare() with no VMA.
     */
    private static String fastPteBail(Kernel k, Pte pte, int flags, boolean unshare) {
        if (!(pte instanceof Pte.Present pr)) return "gup_fast_pte_range: not present, bail out";
        if ((flags & GupFlag.WRITE.bit()) != 0 && !pr.write()) return "gup_fast_pte_range: FOLL_WRITE on a R/O PTE, bail out";
        FolioId f = pr.folio();
        boolean devmap = !f.isZero() && k.folio(f).kind() == FolioKind.DAX;
        if (devmap && (flags & GupFlag.LONGTERM.bit()) != 0) return "gup_fast_pte_range: devmap and FOLL_LONGTERM, bail out";
        if (!devmap && pr.special() && k.profile.gupFast() == GupFast.BAIL_ON_SPECIAL) return "gup_fast_pte_range: pte_special, bail out";
        if (unshare && !pr.write() && mustUnshare(k, null, flags, f)) return "gup_fast_pte_range: gup_must_unshare, bail out";
        return null;
    }

    /**
     * One step of a GUP-fast request split into steps ({@link GupFlag#STEPS}; {@link dev.mmcheck.model.state.FastWalk}).
     * Step 1: internal_get_user_pages_fast() sets MMF_HAS_PINNED (FOLL_PIN), lockless_pages_from_mm() reads
     * write_protect_seq (v5.11+, FOLL_PIN: odd means a fork is copying, fall back) and gup_pte_range() reads the PTE and
     * bails out on what it cannot take. Step 2: try_grab_folio(), the re-read of the PTE (unchanged, or drop and bail
     * out), gup_must_unshare() (v5.19+) and read_seqcount_retry() (v5.11+, FOLL_PIN: unpin and fall back). A walk that
     * bails out runs the slow path in the same step unless a fork holds mmap_lock for write; then it waits.
     * Abstracts away: a PMD-mapped page (the walk then runs whole, in step 1), and the memory barriers (steps are
     * sequentially consistent).
     */
    static Step.Outcome fastWalkStep(Kernel k, Pid p, Vaddr a, int requested, int label) {
        dev.mmcheck.model.state.FastWalk w = k.process(p).fastWalk();
        int flags = requested & ~GupFlag.STEPS.bit();
        if (w.active() && !(w.addr().equals(a) && w.flags() == requested && w.label() == label)) {
            return Step.Outcome.NOT_RUNNABLE; // one walk of this mm between its steps at a time
        }
        boolean pin = (flags & GupFlag.PIN.bit()) != 0;
        boolean seqChecked = pin && k.profile.get(dev.mmcheck.model.profile.DecisionPoint.GUP_FAST_FORK)
                == dev.mmcheck.model.profile.Decisions.GupFastFork.WRITE_PROTECT_SEQ;
        if (!w.active()) {
            if (!k.profile.hasPteSpecial() || !(k.pmd(p, a) instanceof Pmd.None)) {
                return getUserPages(k, p, a, flags, label) ? Step.Outcome.DONE : Step.Outcome.FAILED;
            }
            if (pin && k.profile.tracksHasPinned()) {
                k.call("internal_get_user_pages_fast: set MMF_HAS_PINNED");
                k.setHasPinned(p);
            }
            if (k.process(p).collapseStep().covers(a)) {
                k.call("gup_pmd_range: pmd_none (pmdp_collapse_flush cleared it), bail out");
                return slowAfterFast(k, p, a, flags, label, requested);
            }
            if (seqChecked && k.process(p).forkStep().active()) {
                k.call("lockless_pages_from_mm: write_protect_seq is odd (a fork is copying): no lockless walk");
                return slowAfterFast(k, p, a, flags, label, requested);
            }
            Pte pte = walkedPte(k, p, a);
            String bail = fastPteBail(k, pte, flags, false);
            if (bail != null) {
                k.call(bail);
                return slowAfterFast(k, p, a, flags, label, requested);
            }
            k.call("local_irq_save; gup_pte_range: read the PTE: " + pte);
            k.setProcess(p, k.process(p).withFastWalk(new dev.mmcheck.model.state.FastWalk(a, requested, label, pte, false)));
            return Step.Outcome.IN_PROGRESS;
        }
        if (w.slow()) {
            if (k.process(p).lockHeld()) return Step.Outcome.NOT_RUNNABLE; // mmap_read_lock or the PTE lock waits
            return slowAfterFast(k, p, a, flags, label, requested);
        }
        k.setProcess(p, k.process(p).withFastWalk(dev.mmcheck.model.state.FastWalk.NONE));
        FolioId f = ((Pte.Present) w.seen()).folio();
        if (!f.isZero() && (f.index() >= k.folioCount() || k.folio(f).isFree())) {
            k.call("try_grab_folio: the page was freed meanwhile (refcount 0): bail out");
            return slowAfterFast(k, p, a, flags, label, requested);
        }
        GupRef ref = new GupRef(p, a, flags | GupFlag.FAST_WALK.bit(), f, false, label);
        grab(k, p, a, ref.flags(), label, f);
        String bail = null;
        boolean pmdRecheck = k.profile.get(dev.mmcheck.model.profile.DecisionPoint.GUP_FAST_COLLAPSE)
                != dev.mmcheck.model.profile.Decisions.GupFastCollapse.UNGUARDED;
        if (!walkedPte(k, p, a).equals(w.seen()) || !(k.pmd(p, a) instanceof Pmd.None)) {
            bail = "gup_pte_range: the PTE changed since it was read: drop the page, bail out";
        } else if (pmdRecheck && k.process(p).collapseStep().covers(a)) {
            bail = "gup_pte_range: the PMD changed since it was read (pmdp_collapse_flush): drop the page, bail out";
        } else if (!((Pte.Present) w.seen()).write() && mustUnshare(k, null, flags, f)) {
            bail = "gup_pte_range: gup_must_unshare, drop the page, bail out";
        } else if (w.seqChanged() && seqChecked) {
            bail = "lockless_pages_from_mm: read_seqcount_retry(write_protect_seq): a fork began, unpin, bail out";
        }
        if (bail != null) {
            k.call(bail);
            release(k, ref);
            return slowAfterFast(k, p, a, flags, label, requested);
        }
        k.call("gup_pte_range: the PTE is unchanged: " + f + " is held; local_irq_restore");
        return Step.Outcome.DONE;
    }

    /** The PTE as a lockless walker reads it: none where an unmap split into steps has cleared it. */
    private static Pte walkedPte(Kernel k, Pid p, Vaddr a) {
        var u = k.process(p).unmapStep();
        return u.active() && u.cleared() && u.addr().equals(a) ? Pte.NONE : k.pte(p, a);
    }

    /** GUP-fast bailed out: the slow path now, or (a fork holds mmap_lock for write) a wait for it. */
    private static Step.Outcome slowAfterFast(Kernel k, Pid p, Vaddr a, int flags, int label, int requested) {
        if (k.process(p).lockHeld()) {
            k.call("__gup_longterm_unlocked: waits for " + (k.process(p).forkStep().active() ? "the fork" : k.process(p).collapseStep().active()
                    ? "the collapse" : "the unmap (page-table lock)"));
            k.setProcess(p, k.process(p).withFastWalk(new dev.mmcheck.model.state.FastWalk(a, requested, label, null, false)));
            return Step.Outcome.IN_PROGRESS;
        }
        k.setProcess(p, k.process(p).withFastWalk(dev.mmcheck.model.state.FastWalk.NONE));
        k.call("__gup_longterm_unlocked: the slow path");
        return slow(k, p, a, flags, label) ? Step.Outcome.DONE : Step.Outcome.FAILED;
    }

    /**
     * mm/internal.h: gup_must_unshare() (v5.19; the !anon branch from v6.2): only a FOLL_PIN without
     * FOLL_WRITE, of an anon page that is not PageAnonExclusive (KSM pages never are), or from v6.2 of a
     * non-anon page (zeropage, pagecache) for FOLL_LONGTERM in a COW mapping (GUP-fast, with no VMA: always).
     */
    static boolean mustUnshare(Kernel k, Vma vma, int flags, FolioId f) {
        if ((flags & (GupFlag.WRITE.bit() | GupFlag.PIN.bit())) != GupFlag.PIN.bit()) return false;
        boolean anon = !f.isAnyZero() && k.folio(f).isAnon();
        return switch (k.profile.pinUnshare()) {
            case NEVER -> false;
            case ANON_NOT_EXCLUSIVE -> anon && !k.has(f, FolioFlag.ANON_EXCLUSIVE);
            case ALSO_LONGTERM_NON_ANON -> anon ? !k.has(f, FolioFlag.ANON_EXCLUSIVE)
                    : (flags & GupFlag.LONGTERM.bit()) != 0 && (vma == null || vma.isCow());
        };
    }

    /**
     * try_grab_page(): FOLL_GET adds 1; FOLL_PIN adds GUP_PIN_COUNTING_BIAS to a small folio's refcount (from v5.7;
     * before, pins are plain references), except on the zeropage from v6.5; the first FOLL_PIN sets MMF_HAS_PINNED
     * (mm->has_pinned in v5.9-v5.13) on the mm.
     */
    private static void grab(Kernel k, Pid p, Vaddr a, int flags, int label, FolioId f) {
        GupRef ref = new GupRef(p, a, flags & ~GupFlag.STEPS.bit(), f, false, label);
        if (k.trace) k.call("try_grab_page(" + (ref.isPin() ? "FOLL_PIN" : "FOLL_GET") + ") on " + f);
        k.get(f, contribution(k, ref));
        if (pincount(k, ref) > 0) k.pincountAdd(f, pincount(k, ref));
        if (ref.isPin() && k.profile.tracksHasPinned()) k.setHasPinned(p);
        k.addRef(ref);
    }

    static int contribution(Kernel k, GupRef ref) {
        return ref.refcountContribution(k.profile.pinBias(), k.profile.zeropagePin() == ZeropagePin.REFCOUNTED, k.large(ref.folio()));
    }

    private static int pincount(Kernel k, GupRef ref) {
        return ref.pincountContribution(k.profile.pinBias(), k.large(ref.folio()));
    }

    /** unpin_user_page() / put_page(): drop the reference; the last one frees the folio. */
    static void release(Kernel k, GupRef ref) {
        if (k.trace) k.call(ref.isPin() ? "unpin_user_page -> gup_put_folio" : "put_page");
        k.removeRef(ref);
        if (pincount(k, ref) > 0) k.pincountAdd(ref.folio(), -pincount(k, ref));
        k.put(ref.folio(), contribution(k, ref));
    }
}
