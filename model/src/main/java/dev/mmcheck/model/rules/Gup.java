package dev.mmcheck.model.rules;

import dev.mmcheck.model.profile.Decisions.GupCowBreak;
import dev.mmcheck.model.state.FolioFlag;
import dev.mmcheck.model.state.FolioId;
import dev.mmcheck.model.state.GupFlag;
import dev.mmcheck.model.state.GupRef;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.Vaddr;
import dev.mmcheck.model.state.Vma;

/**
 * mm/gup.c: get_user_pages / pin_user_pages of one page, and their release.
 * Abstracts away: GUP-fast's lockless walk. It is run atomically like the slow path: whenever GUP-fast
 * bails out (special PTE such as the zeropage, missing write permission, gup_must_unshare()) it falls
 * back to the slow path, which produces the same result; its races with fork (write_protect_seq) and
 * with try_to_unmap (the barriers in page_try_share_anon_rmap()) are below the model's granularity.
 * FOLL_FORCE, FOLL_LONGTERM migration out of ZONE_MOVABLE/CMA, and the zeropage's refcount are not modelled.
 */
final class Gup {
    private Gup() {
    }

    /** The retry loop of __get_user_pages() ends after a fault or two; more means the rules do not converge. */
    private static final int MAX_FAULTS = 4;

    /**
     * __get_user_pages() for one page: follow_page_pte(), faultin_page() on a miss, then try_grab_page().
     * Returns false for -EFAULT (no VMA, or FOLL_WRITE on a VMA without VM_WRITE).
     */
    static boolean getUserPages(Kernel k, Pid p, Vaddr a, int flags, int label) {
        boolean pin = (flags & GupFlag.PIN.bit()) != 0;
        boolean write = (flags & GupFlag.WRITE.bit()) != 0;
        k.call(pin ? "__gup_longterm_locked -> __get_user_pages" : "__get_user_pages");
        Vma vma = k.vma(p, a);
        if (!vma.mapped()) {
            k.call("-EFAULT: no VMA");
            return false;
        }
        if (write && !vma.write()) {
            k.call("-EFAULT: FOLL_WRITE on a VMA without VM_WRITE");
            return false;
        }
        boolean follWrite = write;
        if (k.profile.gupCowBreak() == GupCowBreak.GET_OR_PIN_IN_COW_MAPPING && vma.isCow()) {
            k.call("should_force_cow_break: FOLL_WRITE");
            follWrite = true;
        }
        boolean wroteFault = false;
        for (int faults = 0; faults <= MAX_FAULTS; faults++) {
            Pte pte = k.pte(p, a);
            if (!(pte instanceof Pte.Present pr)) {
                k.call("follow_page_pte: not present -> faultin_page");
                Memory.handleFault(k, p, a, follWrite ? Memory.Fault.WRITE : Memory.Fault.READ);
                wroteFault = follWrite;
                continue;
            }
            // can_follow_write_pte(): pte_write, or (v5.8 forced COW / FOLL_COW) the R/O dirty PTE a write fault left
            if (follWrite && !pr.write() && !wroteFault) {
                k.call("follow_page_pte: FOLL_WRITE on a R/O PTE -> faultin_page(FAULT_FLAG_WRITE)");
                Memory.handleFault(k, p, a, Memory.Fault.WRITE);
                wroteFault = true;
                continue;
            }
            if (!pr.write() && mustUnshare(k, vma, flags, pr.folio())) {
                k.call("gup_must_unshare: -EMLINK -> faultin_page(FAULT_FLAG_UNSHARE)");
                // Either the page is exclusive now (PTE unchanged, still R/O) or a new exclusive copy is mapped R/O.
                Memory.handleFault(k, p, a, Memory.Fault.UNSHARE);
                continue;
            }
            grab(k, p, a, flags, label, pr.folio());
            return true;
        }
        throw new IllegalStateException("GUP faulted more than " + MAX_FAULTS + " times: the rules do not converge");
    }

    /**
     * mm/internal.h: gup_must_unshare() (v5.19; the !anon branch from v6.2): only a FOLL_PIN without
     * FOLL_WRITE, of an anon page that is not PageAnonExclusive (KSM pages never are), or from v6.2 of a
     * non-anon page (zeropage, pagecache) for FOLL_LONGTERM in a COW mapping.
     */
    static boolean mustUnshare(Kernel k, Vma vma, int flags, FolioId f) {
        if ((flags & (GupFlag.WRITE.bit() | GupFlag.PIN.bit())) != GupFlag.PIN.bit()) return false;
        boolean anon = !f.isZero() && k.folio(f).isAnon();
        return switch (k.profile.pinUnshare()) {
            case NEVER -> false;
            case ANON_NOT_EXCLUSIVE -> anon && !k.has(f, FolioFlag.ANON_EXCLUSIVE);
            case ALSO_LONGTERM_NON_ANON -> anon ? !k.has(f, FolioFlag.ANON_EXCLUSIVE)
                    : (flags & GupFlag.LONGTERM.bit()) != 0 && vma.isCow();
        };
    }

    /**
     * try_grab_page(): FOLL_GET adds 1, FOLL_PIN adds GUP_PIN_COUNTING_BIAS to a small folio's refcount;
     * the first FOLL_PIN sets MMF_HAS_PINNED (mm->has_pinned in v5.9-v5.12) on the mm.
     */
    private static void grab(Kernel k, Pid p, Vaddr a, int flags, int label, FolioId f) {
        GupRef ref = new GupRef(p, a, flags, f, false, label);
        k.call("try_grab_page(" + (ref.isPin() ? "FOLL_PIN" : "FOLL_GET") + ") on " + f);
        k.get(f, ref.refcountContribution());
        if (ref.isPin() && k.profile.tracksHasPinned()) k.setHasPinned(p);
        k.addRef(ref);
    }

    /** unpin_user_page() / put_page(): drop the reference; the last one frees the folio. */
    static void release(Kernel k, GupRef ref) {
        k.call(ref.isPin() ? "unpin_user_page -> gup_put_folio" : "put_page");
        k.removeRef(ref);
        k.put(ref.folio(), ref.refcountContribution());
    }
}
