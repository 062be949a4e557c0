package dev.mmcheck.model.rules;

import dev.mmcheck.model.profile.Decisions.UffdResolve;
import dev.mmcheck.model.profile.Decisions.UffdShmemWritenotify;
import dev.mmcheck.model.profile.Decisions.UffdUnregister;
import dev.mmcheck.model.profile.Decisions.UffdWp;
import dev.mmcheck.model.profile.Decisions.UffdWpAsync;
import dev.mmcheck.model.profile.Decisions.UffdWpUnpopulated;
import dev.mmcheck.model.state.FolioId;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Pmd;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.UffdState;
import dev.mmcheck.model.state.Vaddr;
import dev.mmcheck.model.state.Vma;
import dev.mmcheck.model.state.VmaKind;

/**
 * fs/userfaultfd.c and mm/userfaultfd.c: registration, UFFDIO_WRITEPROTECT, UFFDIO_ZEROPAGE, UFFDIO_CONTINUE, and the
 * pieces of mm/memory.c and mm/mprotect.c that keep write protection in the page tables (the uffd-wp bit on present,
 * swap and migration entries; PTE_MARKER_UFFD_WP for file-backed and shmem memory from v5.19).
 * Abstracts away: the monitor thread (a uffd fault is queued and the faulting access waits until the monitor resolves
 * it: {@link UffdFault}), UFFD_FEATURE_SIGBUS, UFFDIO_COPY and UFFDIO_WAKE, hugetlb uffd-wp, mmap_changing, and the
 * TLB flush of "mm/userfaultfd: fix memory corruption due to writeprotect" (a race below the atomic granularity).
 */
final class Userfaultfd {
    private Userfaultfd() {
    }

    /** handle_userfault(): the fault is queued to the monitor and the access sleeps until resolved (VM_FAULT_RETRY). */
    static final class UffdFault extends RuntimeException {
        final Pid pid;
        final Vaddr addr;

        UffdFault(Pid pid, Vaddr addr, String why) {
            super(why, null, false, false);
            this.pid = pid;
            this.addr = addr;
        }
    }

    static UffdState state(Kernel k, Pid p) {
        return k.process(p).uffd();
    }

    static void setState(Kernel k, Pid p, UffdState u) {
        k.setProcess(p, k.process(p).withUffd(u));
    }

    /** Markers exist (v5.19+, or the seed's variant): a file/shmem page keeps its protection while unmapped. */
    static boolean markers(Kernel k) {
        return k.profile.uffdWp() == UffdWp.ANON_SHMEM || k.profile.uffdWp() == UffdWp.SEED_SPECIAL_PTE;
    }

    /** userfaultfd_wp_use_markers(): non-anon VMAs, and from v6.4 anon VMAs of a context with WP_UNPOPULATED. */
    static boolean useMarkers(Kernel k, Pid p, Vma vma) {
        if (!vma.uffdWp() || !markers(k)) return false;
        if (!vma.kind().anon()) return true;
        return k.profile.uffdWpUnpopulated() == UffdWpUnpopulated.AVAILABLE && state(k, p).has(UffdState.WP_UNPOPULATED);
    }

    /**
     * UFFDIO_API + UFFDIO_REGISTER on the VMA at {@code a} (both pages of a huge VMA). WP needs the release's memory
     * types (anon from v5.7; shmem and hugetlb from v5.19; any memory with WP_ASYNC from v6.7) and VM_MAYWRITE; MINOR
     * needs shmem (v5.14+); MISSING works on anon and shmem. Returns false for -EINVAL.
     */
    static boolean register(Kernel k, Pid p, Vaddr a, int modes, int features) {
        Vma vma = k.vma(p, a);
        k.call("UFFDIO_API; UFFDIO_REGISTER");
        if (!vma.mapped()) {
            k.call("-EINVAL: no VMA");
            return false;
        }
        if (vma.kind() == VmaKind.HUGETLB_PRIVATE) {
            k.call("userfaultfd on hugetlb is outside the model (model/README.md): not registered");
            return false;
        }
        boolean async = (features & UffdState.WP_ASYNC) != 0;
        if (async && k.profile.uffdWpAsync() == UffdWpAsync.ABSENT) {
            k.call("UFFDIO_API: UFFD_FEATURE_WP_ASYNC unknown before v6.7: -EINVAL");
            return false;
        }
        if ((features & UffdState.WP_UNPOPULATED) != 0 && k.profile.uffdWpUnpopulated() == UffdWpUnpopulated.ABSENT) {
            k.call("UFFDIO_API: UFFD_FEATURE_WP_UNPOPULATED unknown before v6.4: -EINVAL");
            return false;
        }
        if ((modes & Vma.UFFD_WP) != 0) {
            boolean ok = switch (k.profile.uffdWp()) {
                case ABSENT -> false;
                case ANON -> vma.kind().anon();
                case ANON_SHMEM, SEED_SPECIAL_PTE, SHMEM_NO_MARKER -> vma.kind().anon() || vma.kind().backing() == VmaKind.Backing.SHMEM
                        || (async && modes == Vma.UFFD_WP);
            };
            if (!ok) {
                if (k.trace) k.call("vma_can_userfault: no WP for " + vma.kind().specName() + " in this release: -EINVAL");
                return false;
            }
            if (!vma.mayWrite()) {
                k.call("UFFDIO_REGISTER_MODE_WP without VM_MAYWRITE: -EPERM");
                return false;
            }
        }
        if ((modes & Vma.UFFD_MINOR) != 0 && vma.kind().backing() != VmaKind.Backing.SHMEM) {
            k.call("vma_can_userfault: MINOR only on shmem (and hugetlbfs): -EINVAL");
            return false;
        }
        if ((modes & Vma.UFFD_MISSING) != 0 && !(vma.kind().anon() || vma.kind().backing() == VmaKind.Backing.SHMEM)) {
            k.call("vma_can_userfault: MISSING only on anon, shmem and hugetlbfs here: -EINVAL");
            return false;
        }
        for (Vaddr x : vmaPages(k, p, a)) k.setVma(p, x, k.vma(p, x).withUffd(k.vma(p, x).uffd() | modes));
        UffdState u = state(k, p);
        setState(k, p, u.withFeatures(u.features() | features | UffdState.OPEN));
        return true;
    }

    /** The pages of the VMA that holds {@code a}: both pages of a THP or hugetlb VMA. */
    static java.util.List<Vaddr> vmaPages(Kernel k, Pid p, Vaddr a) {
        if (HugeMemory.hugeVma(k, p, a)) return java.util.List.of(HugeMemory.base(a), HugeMemory.other(HugeMemory.base(a)));
        return java.util.List.of(a);
    }

    /**
     * UFFDIO_UNREGISTER: from v6.0 a WP VMA is resolved first (f369b07c8614); before, bits and markers stay in the page
     * tables, harmless while the VMA has no VM_UFFD_WP. Pending faults are woken; the monitor's intent ends.
     */
    static boolean unregister(Kernel k, Pid p, Vaddr a) {
        Vma vma = k.vma(p, a);
        if (!vma.mapped() || vma.uffd() == 0) {
            k.call("UFFDIO_UNREGISTER: the range is not registered");
            return false;
        }
        k.call("UFFDIO_UNREGISTER");
        for (Vaddr x : vmaPages(k, p, a)) {
            if (vma.uffdWp() && k.profile.uffdUnregister() == UffdUnregister.RESET) resolve(k, p, x);
            k.setVma(p, x, k.vma(p, x).withUffd(0));
            setState(k, p, state(k, p).withIntent(x, false).withPending(x, false));
        }
        return true;
    }

    /**
     * UFFDIO_WRITEPROTECT (mwriteprotect_range() -> change_protection(MM_CP_UFFD_WP[_RESOLVE])). Protect: a present PTE
     * or PMD becomes R/O with the uffd-wp bit; a swap or migration entry gets the bit; an empty PTE gets a marker where
     * markers are used (non-anon from v5.19; anon with WP_UNPOPULATED from v6.4), else stays unprotected. Resolve clears
     * bits and markers and wakes a pending fault. -ENOENT without VM_UFFD_WP.
     */
    static boolean writeprotect(Kernel k, Pid p, Vaddr a, boolean on) {
        Vma vma = k.vma(p, a);
        if (!vma.mapped() || !vma.uffdWp()) {
            k.call("UFFDIO_WRITEPROTECT: no VM_UFFD_WP here: -ENOENT");
            return false;
        }
        if (k.profile.uffdWp() == UffdWp.ANON && (vma.kind().shared() || !vma.kind().anon())) {
            k.call("mwriteprotect_range: only private anonymous memory before v5.19: -ENOENT");
            return false;
        }
        if (k.trace) k.call(on ? "UFFDIO_WRITEPROTECT(MODE_WP) -> change_protection(MM_CP_UFFD_WP)" : "UFFDIO_WRITEPROTECT -> change_protection(MM_CP_UFFD_WP_RESOLVE)");
        for (Vaddr x : vmaPages(k, p, a)) {
            if (on) {
                boolean protectedNow = protect(k, p, x);
                if (protectedNow) setState(k, p, state(k, p).withIntent(x, true));
            } else {
                resolve(k, p, x);
                setState(k, p, state(k, p).withIntent(x, false).withPending(x, false));
            }
        }
        return true;
    }

    /** One page of MM_CP_UFFD_WP; whether the page is now protected. */
    private static boolean protect(Kernel k, Pid p, Vaddr a) {
        switch (k.pmd(p, a)) {
            case Pmd.Huge h -> {
                k.call("change_huge_pmd(MM_CP_UFFD_WP)");
                k.setPmd(p, a, h.withUffdWp(true));
                return true;
            }
            case Pmd.Migration m -> {
                if (k.profile.uffdThpMigration() == dev.mmcheck.model.profile.Decisions.UffdThpMigration.LOSE) {
                    k.call("change_huge_pmd skips PMD migration entries (before 24bf08c4376b)");
                    return false;
                }
                k.setPmd(p, a, new Pmd.Migration(m.folio(), m.kind(), m.softDirty(), true));
                return true;
            }
            case Pmd.None n -> {
            }
        }
        Pte pte = k.pte(p, a);
        switch (pte) {
            case Pte.Present pr -> {
                k.setPte(p, a, pr.withUffdWp(true));
                return true;
            }
            case Pte.Swap sw -> {
                k.setPte(p, a, new Pte.Swap(sw.slot(), sw.exclusive(), sw.softDirty(), true));
                return true;
            }
            case Pte.Migration m -> {
                k.setPte(p, a, new Pte.Migration(m.page(), m.kind(), m.softDirty(), true));
                return true;
            }
            case Pte.UffdMarker m -> {
                return true;
            }
            case Pte.None n -> {
                if (useMarkers(k, p, k.vma(p, a))) {
                    if (k.trace) k.call("install PTE_MARKER_UFFD_WP at " + a);
                    k.setPte(p, a, Pte.UFFD_MARKER);
                    return true;
                }
                if (k.trace) k.call("nothing mapped at " + a + ": not protected");
                return false;
            }
            default -> {
                if (k.trace) k.call("change_pte_range: " + pte + " left alone");
                return false;
            }
        }
    }

    /**
     * One page of MM_CP_UFFD_WP_RESOLVE: the bit goes, a marker becomes none. Before v6.3 the PTE stays R/O (except a
     * shared shmem VMA without write-notify, whose vm_page_prot is writable); from v6.3 it becomes writable iff
     * can_change_pte_writable().
     */
    static void resolve(Kernel k, Pid p, Vaddr a) {
        Vma vma = k.vma(p, a);
        if (k.pmd(p, a) instanceof Pmd.Huge h) {
            k.setPmd(p, a, h.withUffdWp(false));
            return;
        }
        if (k.pmd(p, a) instanceof Pmd.Migration m) {
            k.setPmd(p, a, new Pmd.Migration(m.folio(), m.kind(), m.softDirty(), false));
            return;
        }
        switch (k.pte(p, a)) {
            case Pte.Present pr -> {
                Pte.Present cleared = pr.withUffdWp(false);
                if (sharedWritableProt(k, vma)) {
                    cleared = cleared.mkwrite();
                } else if (k.profile.uffdResolve() == UffdResolve.TRY_WRITABLE && vma.write()
                        && Mprotect.canChangePteWritable(k, p, a, vma, cleared)) {
                    k.call("uffd_wp_range: MM_CP_TRY_CHANGE_WRITABLE, can_change_pte_writable");
                    cleared = cleared.mkwrite();
                }
                k.setPte(p, a, cleared);
            }
            case Pte.Swap sw -> k.setPte(p, a, new Pte.Swap(sw.slot(), sw.exclusive(), sw.softDirty(), false));
            case Pte.Migration m -> k.setPte(p, a, new Pte.Migration(m.page(), m.kind(), m.softDirty(), false));
            case Pte.UffdMarker m -> k.setPte(p, a, Pte.NONE);
            default -> {
            }
        }
    }

    /** A shared mapping whose vm_page_prot is writable: no write-notify (shmem), unless uffd-wp forces it (v6.2+). */
    static boolean sharedWritableProt(Kernel k, Vma vma) {
        return vma.kind().shared() && vma.write() && !MemoryInsert.writeNotify(vma, k.profile);
    }

    /**
     * The uffd-wp check at the top of do_wp_page() / wp_huge_pmd(): a write fault on a PTE with the bit in a VMA with
     * VM_UFFD_WP goes to the monitor (handle_userfault(VM_UFFD_WP)) and the store does not land; with WP_ASYNC (v6.7+)
     * the bit is cleared in place and the fault goes on. Returns whether the fault goes on.
     */
    static void wpFault(Kernel k, Pid p, Vaddr a, boolean pteWp) {
        Vma vma = k.vma(p, a);
        if (!pteWp || !vma.uffdWp()) return;
        if (state(k, p).has(UffdState.WP_ASYNC)) {
            k.call("userfaultfd_wp_async: clear the uffd-wp bit, go on");
            if (k.pmd(p, a) instanceof Pmd.Huge h) {
                k.setPmd(p, a, h.withUffdWp(false));
            } else if (k.pte(p, a) instanceof Pte.Present pr) {
                k.setPte(p, a, pr.withUffdWp(false));
            }
            setState(k, p, state(k, p).withIntent(a, false));
            return;
        }
        k.call("userfaultfd_pte_wp: handle_userfault(VM_UFFD_WP)");
        throw new UffdFault(p, a, "uffd-wp fault at " + p + " " + a);
    }

    /**
     * pte_install_uffd_wp_if_needed() after a PTE was cleared (zap without ZAP_FLAG_DROP_MARKER, reclaim, eviction):
     * in a non-anon VMA with VM_UFFD_WP, a present or swap PTE with the bit, or a marker, leaves a marker (v5.19+).
     */
    static void installMarkerIfNeeded(Kernel k, Pid p, Vaddr a, Pte old) {
        Vma vma = k.vma(p, a);
        if (!markers(k) || !vma.uffdWp() || vma.kind().anon()) return;
        boolean wp = switch (old) {
            case Pte.Present pr -> pr.uffdWp();
            case Pte.Swap sw -> sw.uffdWp();
            case Pte.UffdMarker m -> true;
            default -> false;
        };
        if (wp) {
            if (k.trace) k.call("pte_install_uffd_wp_if_needed: PTE_MARKER_UFFD_WP at " + a);
            k.setPte(p, a, Pte.UFFD_MARKER);
        }
    }

    /**
     * handle_pte_marker() -> pte_marker_handle_uffd_wp(): without VM_UFFD_WP the marker is dropped and the fault
     * retried as on an empty PTE. Otherwise the page is faulted in as on an empty PTE (do_fault(); v6.4+ also
     * do_anonymous_page() for anon markers) and mapped R/O with the uffd-wp bit; a write then takes the uffd-wp fault.
     * An anon marker before v6.4 is a WARN and SIGBUS.
     */
    static boolean markerFault(Kernel k, Pid p, Vaddr a, Memory.Fault fault) {
        Vma vma = k.vma(p, a);
        k.call("do_swap_page -> handle_pte_marker");
        k.setPte(p, a, Pte.NONE);
        if (!vma.uffdWp()) {
            k.call("pte_marker_handle_uffd_wp: no VM_UFFD_WP, drop the marker");
            return Memory.handleFault(k, p, a, fault);
        }
        if (vma.kind().anon() && k.profile.uffdWpUnpopulated() == UffdWpUnpopulated.ABSENT) {
            k.call("WARN_ON_ONCE(vma_is_anonymous): VM_FAULT_SIGBUS");
            return false;
        }
        if (!Memory.handleFault(k, p, a, fault == Memory.Fault.WRITE ? Memory.Fault.READ : fault)) return false;
        if (k.pte(p, a) instanceof Pte.Present pr) {
            k.call("set_pte_range: orig_pte was a uffd-wp marker: pte_mkuffd_wp");
            k.setPte(p, a, pr.withUffdWp(true));
        }
        if (fault == Memory.Fault.WRITE) return Memory.handleFault(k, p, a, fault);
        return true;
    }

    /**
     * UFFDIO_ZEROPAGE on an empty anon PTE of a MISSING-registered VMA: the zeropage, R/O and special; a waiting
     * missing fault is woken. -EEXIST if anything (a marker too) is mapped.
     */
    static boolean zeropage(Kernel k, Pid p, Vaddr a) {
        Vma vma = k.vma(p, a);
        if (!vma.mapped() || (vma.uffd() & Vma.UFFD_MISSING) == 0 || !vma.kind().anon()) {
            k.call("UFFDIO_ZEROPAGE: not a MISSING-registered anonymous range: -ENOENT");
            return false;
        }
        if (!(k.pte(p, a) instanceof Pte.None) || !(k.pmd(p, a) instanceof Pmd.None)) {
            k.call("mfill_atomic_pte_zeropage: the PTE is not none: -EEXIST");
            return false;
        }
        k.call("UFFDIO_ZEROPAGE -> mfill_atomic_pte_zeropage: the zeropage, R/O, special");
        k.setPte(p, a, new Pte.Present(FolioId.ZERO, false, false, false, k.profile.hasPteSpecial()));
        setState(k, p, state(k, p).withPending(a, false));
        return true;
    }

    /**
     * UFFDIO_CONTINUE on a MINOR-registered shmem range: the page already in the page cache is mapped (shared:
     * writable iff VM_WRITE; private: R/O), dirty (v5.16+, 9ae0f87d009c); with MODE_WP (v6.4+) R/O with uffd-wp. The
     * waiting minor fault is woken. -EEXIST if mapped, -EFAULT if the page is not in the page cache.
     */
    static boolean cont(Kernel k, Pid p, Vaddr a, boolean wp) {
        Vma vma = k.vma(p, a);
        if (!vma.mapped() || !vma.uffdMinor()) {
            k.call("UFFDIO_CONTINUE: not a MINOR-registered range: -ENOENT");
            return false;
        }
        if (!(k.pte(p, a) instanceof Pte.None || k.pte(p, a) instanceof Pte.UffdMarker)) {
            k.call("mfill_atomic_install_pte: the PTE is not none: -EEXIST");
            return false;
        }
        FolioId page = k.cachedPage(MmState.SHMEM_FILE + a.index());
        if (page == null) {
            k.call("shmem_get_folio(SGP_NOALLOC): not in the page cache: -EFAULT");
            return false;
        }
        k.call("UFFDIO_CONTINUE -> mfill_atomic_install_pte");
        k.get(page, 1);
        k.mapcountAdd(page, 1);
        boolean writable = vma.kind().shared() && vma.write() && !wp;
        boolean dirty = writable || k.profile.get(dev.mmcheck.model.profile.DecisionPoint.UFFD_CONTINUE_DIRTY)
                == dev.mmcheck.model.profile.Decisions.UffdContinueDirty.ALWAYS;
        k.setPte(p, a, new Pte.Present(page, writable, dirty, true, false).withUffdWp(wp && vma.uffdWp()));
        if (wp && vma.uffdWp()) setState(k, p, state(k, p).withIntent(a, true));
        setState(k, p, state(k, p).withPending(a, false));
        return true;
    }

    /**
     * Missing and minor faults: an empty PTE in a MISSING-registered VMA, or a shmem page in the page cache in a
     * MINOR-registered one, goes to the monitor (handle_userfault(VM_UFFD_MISSING / VM_UFFD_MINOR)).
     */
    static void missingOrMinor(Kernel k, Pid p, Vaddr a) {
        Vma vma = k.vma(p, a);
        if ((vma.uffd() & Vma.UFFD_MISSING) != 0) {
            boolean missing = vma.kind().anon() || k.cachedPage(MmState.SHMEM_FILE + a.index()) == null;
            if (missing) {
                k.call("handle_userfault(VM_UFFD_MISSING)");
                throw new UffdFault(p, a, "missing fault at " + p + " " + a);
            }
        }
        if (vma.uffdMinor() && k.cachedPage(MmState.SHMEM_FILE + a.index()) != null) {
            k.call("shmem_get_folio: handle_userfault(VM_UFFD_MINOR)");
            throw new UffdFault(p, a, "minor fault at " + p + " " + a);
        }
    }

    /**
     * Ghost bookkeeping after a store landed at {@code a}: if the monitor write-protected the page and has not
     * resolved it, the store got past the protection without a uffd-wp fault (the invariant uffd-wp-store-trapped).
     */
    static void storeLanded(Kernel k, Pid p, Vaddr a) {
        UffdState u = state(k, p);
        if (u.intends(a)) {
            k.call("the store landed on a page the monitor write-protected, with no uffd-wp fault");
            setState(k, p, u.leak(a));
        }
    }

    /**
     * Ghost bookkeeping after a zap or unmap at {@code a}: where nothing is left to carry the protection (no PTE, no
     * marker), the monitor's write protection ended with the page (anon memory without WP_UNPOPULATED, munmap).
     */
    static void forget(Kernel k, Pid p, Vaddr a) {
        UffdState u = state(k, p);
        if ((u.intends(a) || u.pendingAt(a)) && k.pte(p, a) instanceof Pte.None && k.pmd(p, a) instanceof Pmd.None) {
            setState(k, p, u.withIntent(a, false).withPending(a, false));
        }
    }

    /** mremap() moved the page at {@code from} to {@code to}: its protection (bit or marker) moved with it. */
    static void move(Kernel k, Pid p, Vaddr from, Vaddr to) {
        UffdState u = state(k, p);
        if (!u.intends(from) && !u.pendingAt(from)) return;
        setState(k, p, u.withIntent(from, false).withPending(from, false).withIntent(to, u.intends(from)));
    }

    private static final class MmState {
        static final int SHMEM_FILE = dev.mmcheck.model.state.MmState.SHMEM_FILE;
    }
}
