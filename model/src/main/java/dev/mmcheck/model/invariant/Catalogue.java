package dev.mmcheck.model.invariant;

import dev.mmcheck.model.profile.Decisions;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.rules.MemoryInsert;
import dev.mmcheck.model.rules.Walkers;
import dev.mmcheck.model.state.Data;
import dev.mmcheck.model.state.Folio;
import dev.mmcheck.model.state.FolioFlag;
import dev.mmcheck.model.state.FolioId;
import dev.mmcheck.model.state.FolioKind;
import dev.mmcheck.model.state.GupFlag;
import dev.mmcheck.model.state.GupRef;
import dev.mmcheck.model.state.MmState;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Pmd;
import dev.mmcheck.model.state.Process;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.SwapSlot;
import dev.mmcheck.model.state.SwapSlotState;
import dev.mmcheck.model.invariant.Violation.Culprit;
import dev.mmcheck.model.state.Vaddr;
import dev.mmcheck.model.state.Vma;
import dev.mmcheck.model.state.VmaKind;
import dev.mmcheck.model.state.ZeropageCounts;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Every invariant and reachability witness the model knows, on one screen. */
public final class Catalogue {
    private Catalogue() {
    }

    private static final Invariant.Applies ALL_ERAS = new Invariant.Applies("every release", p -> true);
    private static final Invariant.Applies WITH_ANON_EXCLUSIVE = new Invariant.Applies("PG_anon_exclusive exists (v5.19+)",
            Profile::tracksAnonExclusive);
    private static final Invariant.Applies WITH_PTE_SPECIAL = new Invariant.Applies("the arch has pte_special", Profile::hasPteSpecial);

    public static final Invariant PINNED_ANON_IS_EXCLUSIVE = new Invariant("pinned-anon-is-exclusive",
            "A folio that holds a FOLL_PIN and is anonymous is PG_anon_exclusive.",
            "mm/gup.c: sanity_check_pinned_pages() and the VM_BUG_ON_PAGE in follow_page_pte() (v5.19+, commit b6a2619c60b4)",
            WITH_ANON_EXCLUSIVE, (p, s) -> pinnedAnonNotExclusive(s));

    public static final Invariant WRITABLE_ANON_IS_EXCLUSIVE = new Invariant("writable-anon-is-exclusive",
            "A writable PTE that maps an anonymous folio maps a PG_anon_exclusive one.",
            "mm/memory.c: wp_page_reuse() and do_swap_page() VM_BUG_ON (pte_write && !PageAnonExclusive) (v5.19+)",
            WITH_ANON_EXCLUSIVE, (p, s) -> writableAnonNotExclusive(s));

    public static final Invariant PIN_COHERENT = new Invariant("pin-coherent",
            "While a FOLL_LONGTERM or FOLL_WRITE pin lives and its owner has not unmapped or zapped the address, "
                    + "the page its owner would access there is the pinned page.",
            "tools/testing/selftests/mm/cow.c: 'Longterm R/W pin is reliable', 'Longterm R/O pin is reliable'; "
                    + "commit 6c287605fd56 (v5.19)",
            ALL_ERAS, (p, s) -> incoherentPin(s));

    public static final Invariant NO_LEAK_ACROSS_FORK = new Invariant("no-leak-across-fork",
            "No process sees, through a private mapping or its own GUP reference, data another process stored "
                    + "into a private page after the two separated.",
            "tools/testing/selftests/mm/cow.c: 'No leak from parent into child', 'No leak from child into parent'; "
                    + "CVE-2020-29374",
            ALL_ERAS, (p, s) -> leak(s));

    public static final Invariant COUNTS_MATCH_REFERENCES = new Invariant("counts-match-references",
            "Every folio's refcount and mapcount, the shared zeropage's, and every swap slot's count equal the references "
                    + "that exist.",
            "include/linux/mm.h: folio_ref_count() accounting; mm/gup.c: try_grab_page() GUP_PIN_COUNTING_BIAS; "
                    + "mm/swapfile.c: swap_map counts",
            ALL_ERAS, Catalogue::countMismatch);

    public static final Invariant KSM_NEVER_EXCLUSIVE = new Invariant("ksm-never-exclusive",
            "A KSM folio is never PG_anon_exclusive.",
            "mm/ksm.c: replace_page() VM_BUG_ON_PAGE(PageAnonExclusive); mm/internal.h: gup_must_unshare() comment (v5.19+)",
            WITH_ANON_EXCLUSIVE, (p, s) -> exclusiveKsm(s));

    public static final Invariant ZEROPAGE_NEVER_WRITABLE = new Invariant("zeropage-never-writable",
            "No PTE maps the shared zeropage writable.",
            "mm/memory.c: do_anonymous_page() maps it with pte_mkspecial() R/O; vm_normal_page() returns NULL for it; "
                    + "wp_page_reuse() and can_change_pte_writable() warn on it (fce831c92092, v6.11)",
            ALL_ERAS, (p, s) -> writableZeropage(s));

    public static final Invariant VM_NORMAL_PAGE_NOT_ZEROPAGE = new Invariant("vm-normal-page-not-zeropage",
            "vm_normal_page() never returns the shared zeropage for any PTE of any VMA kind.",
            "mm/memory.c: vm_normal_page() VM_WARN_ON_ONCE(is_zero_pfn(pfn)) (fce831c92092, v6.11; seed 000)",
            ALL_ERAS, Catalogue::normalZeropage);

    public static final Invariant ZEROPAGE_PTE_SPECIAL = new Invariant("zeropage-pte-special",
            "Where the arch has pte_special, every PTE that maps the shared zeropage is special.",
            "seed 000: 'We'll always require the zeropage to be mapped with pte_special()' (fce831c92092, v6.11)",
            WITH_PTE_SPECIAL, (p, s) -> nonSpecialZeropage(s));

    public static final Invariant NO_FOLIO_FOR_RAW_PFN = new Invariant("no-folio-for-raw-pfn",
            "No walker (vm_normal_page(), the folio walker, move_pages()) and no GUP reference returns a folio for a raw "
                    + "PFN with no struct page.",
            "mm/memory.c: vm_normal_page() special/linear rules; mm/memory.c: remap_pfn_range() vm_pgoff for COW mappings",
            ALL_ERAS, Catalogue::folioForRawPfn);

    public static final Invariant WALKERS_AGREE = new Invariant("walkers-agree",
            "vm_normal_page() and the release's folio walker (follow_page() / folio_walk_start()) find the same folio at "
                    + "every mapped address.",
            "seed 001: David Hildenbrand on '[PATCH 06/19] mm/pagewalk: Check pfnmap early for folio_walk_start()': "
                    + "'In a MAP_PRIVATE mapping you might have anon pages that we can happily walk'",
            ALL_ERAS, Catalogue::walkersDisagree);

    public static final Invariant GUP_FAST_NEVER_SPECIAL = new Invariant("gup-fast-never-special",
            "A reference the lockless GUP-fast walk took is never on the zeropage or a raw PFN (a special PTE).",
            "mm/gup.c: gup_fast_pte_range() pte_special() bail-out; seed 000: 'GUP-fast will reject the zeropage'",
            ALL_ERAS, (p, s) -> fastRefOnSpecial(s));

    public static final Invariant MIGRATION_ENTRY_EXCLUSIVE = new Invariant("migration-entry-exclusive",
            "A writable or readable-exclusive migration entry is the only mapping of its page, and while migration "
                    + "entries stand for a page its PG_anon_exclusive is clear (the entry carries it).",
            "seed 003 (78fbe906cc, 'mm/page-flags: reuse PG_mappedtodisk as PG_anon_exclusive for PageAnon() pages'): "
                    + "migration entries; mm/rmap.c: try_to_migrate_one(); mm/memory.c: copy_nonpresent_pte() (v5.19+)",
            WITH_ANON_EXCLUSIVE, (p, s) -> exclusiveMigrationShared(s));

    private static final Invariant.Applies WITH_UFFD_WP = new Invariant.Applies("userfaultfd write-protection exists (v5.7+)",
            p -> p.uffdWp() != Decisions.UffdWp.ABSENT);

    public static final Invariant UFFD_WP_STORE_TRAPPED = new Invariant("uffd-wp-store-trapped",
            "No store by a process lands on a page its monitor write-protected (UFFDIO_WRITEPROTECT MODE_WP) and has not "
                    + "resolved or unregistered, unless a uffd-wp fault reached the monitor first (or WP_ASYNC cleared the "
                    + "bit). Protection ends legitimately where nothing is left to carry it: anonymous memory zapped or "
                    + "unmapped without WP_UNPOPULATED.",
            "Documentation/admin-guide/mm/userfaultfd.rst (write-protect notifications); "
                    + "tools/testing/selftests/mm/uffd-unit-tests.c (wp-fork, wp-unpopulated, pagemap tests); "
                    + "seed 002 ('the write protection can be lost' for shmem pages that get zapped)",
            WITH_UFFD_WP, (p, s) -> uffdStoreLeaked(s));

    public static final Invariant UFFD_WP_NEVER_WRITABLE = new Invariant("uffd-wp-never-writable",
            "No PTE or PMD carries the uffd-wp bit and the write bit together: the bit means that write faults go to the "
                    + "monitor.",
            "mm/memory.c: do_wp_page() userfaultfd_pte_wp(); arch/x86/include/asm/pgtable.h: pte_mkuffd_wp() "
                    + "write-protects (f1eb1bacfba9, v6.3); 8f34f1eac382 (fork), 51d3d5eb74ff (shmem write-notify)",
            WITH_UFFD_WP, (p, s) -> writableUffdWp(s));

    public static final Invariant UFFD_MARKER_NEEDS_WP_VMA = new Invariant("uffd-marker-needs-wp-vma",
            "A uffd-wp PTE marker sits only in a VMA with VM_UFFD_WP (from v6.0 unregistering resolves the range first).",
            "mm/memory.c: copy_nonpresent_pte() WARN_ON_ONCE(!userfaultfd_wp(dst_vma)) on a copied marker, removed by "
                    + "49d6d7fb6313 (v6.2), which copies markers only into VM_UFFD_WP VMAs; f369b07c8614 (v6.0)",
            new Invariant.Applies("UFFDIO_UNREGISTER resolves the range (v6.0+; before, unregistering leaves markers by design)",
                    p -> p.uffdUnregister() == Decisions.UffdUnregister.RESET), (p, s) -> strayMarker(s));

    public static final Invariant FORCE_WRITE_NEVER_TO_FILE_OR_ZEROPAGE = new Invariant("force-write-never-to-file-or-zeropage",
            "A FOLL_FORCE write (/proc/PID/mem, ptrace) is never handed the zeropage, nor a page-cache page unless the process "
                    + "maps the file shared and writable there: it writes only the process's own private copy.",
            "CVE-2016-5195 (Dirty COW), fixed by 19be0eaffa3a (v4.9); CVE-2022-2590; 5535be309971 (v6.0): can_follow_write_pte() "
                    + "'we only care about R/O long-term pinning of anonymous pages'; mm/gup.c: check_vma_flags()",
            ALL_ERAS, (p, s) -> forceWriteIntoFileOrZero(s));

    public static final Invariant DEVICE_COHERENT = new Invariant("device-coherent",
            "A driver's GPU job never starts on a page list that an invalidation reached before the job's fences were "
                    + "published, and while a job runs on a pinned page that the process no longer maps at the object's address, "
                    + "the driver's notifier has heard of the change; a device that mirrors a page without a pin maps only the "
                    + "page the process maps there.",
            "seed 004 (i915 userptr: 'must never use pages after an invalidation without revalidating'; the -EAGAIN "
                    + "restart in eb_move_to_gpu()); Documentation/mm/hmm.rst (mmu_interval_read_retry() under the driver lock); "
                    + "ed29c2691188 (v5.13)",
            ALL_ERAS, (p, s) -> deviceIncoherent(s));

    public static final List<Invariant> INVARIANTS = List.of(PINNED_ANON_IS_EXCLUSIVE, WRITABLE_ANON_IS_EXCLUSIVE,
            PIN_COHERENT, NO_LEAK_ACROSS_FORK, COUNTS_MATCH_REFERENCES, KSM_NEVER_EXCLUSIVE, ZEROPAGE_NEVER_WRITABLE,
            VM_NORMAL_PAGE_NOT_ZEROPAGE, ZEROPAGE_PTE_SPECIAL, NO_FOLIO_FOR_RAW_PFN, WALKERS_AGREE, GUP_FAST_NEVER_SPECIAL,
            MIGRATION_ENTRY_EXCLUSIVE, UFFD_WP_STORE_TRAPPED, UFFD_WP_NEVER_WRITABLE, UFFD_MARKER_NEEDS_WP_VMA,
            FORCE_WRITE_NEVER_TO_FILE_OR_ZEROPAGE, DEVICE_COHERENT);

    public static final List<Reachability> WITNESSES = List.of(
            new Reachability("reached-userptr-gpu", "some i915 userptr GPU job runs on a pinned page",
                    s -> s.processes().stream().anyMatch(p -> p.userptr().gpuBusy())),
            new Reachability("reached-pinned", "some anonymous folio holds a FOLL_PIN",
                    s -> s.refs().stream().anyMatch(r -> r.isPin() && !r.folio().isAnyZero() && s.folio(r.folio()).isAnon())),
            new Reachability("reached-gup-get", "some folio holds a FOLL_GET reference",
                    s -> s.refs().stream().anyMatch(r -> !r.isPin())),
            new Reachability("reached-swapped", "some PTE is a swap entry",
                    s -> ptes(s).anyMatch(pte -> pte instanceof Pte.Swap)),
            new Reachability("reached-ksm-merged", "some KSM folio is mapped twice",
                    s -> s.folios().stream().anyMatch(f -> f.has(FolioFlag.KSM) && f.mapcount() >= 2)),
            new Reachability("reached-fork-shared", "some anonymous folio is mapped by two processes",
                    Catalogue::forkShared),
            new Reachability("reached-pinned-and-fork-shared",
                    "some process holds a pin while another process maps an anonymous folio of its own parent",
                    s -> s.refs().stream().anyMatch(GupRef::isPin) && forkShared(s)),
            new Reachability("reached-raw-pfn", "some PTE maps a raw PFN (device memory with no struct page)",
                    s -> mapped(s, (k, pr) -> !pr.folio().isAnyZero() && s.folio(pr.folio()).kind() == FolioKind.PFN)),
            new Reachability("reached-pfnmap-cow", "an anonymous folio is mapped in a MAP_PRIVATE VM_PFNMAP mapping (a COW'd PFN)",
                    s -> mapped(s, (v, pr) -> v.pfnmap() && !pr.folio().isAnyZero() && s.folio(pr.folio()).isAnon())),
            new Reachability("reached-mixedmap-zeropage", "the zeropage is mapped in a VM_MIXEDMAP mapping",
                    s -> mapped(s, (v, pr) -> v.mixedmap() && pr.folio().isZero())),
            new Reachability("reached-dax-hole", "the zeropage is mapped for a hole of an FSDAX file",
                    s -> mapped(s, (v, pr) -> v.kind().fsdax() && pr.folio().isZero())),
            new Reachability("reached-dax-block", "a block of an FSDAX file is mapped",
                    s -> mapped(s, (v, pr) -> !pr.folio().isAnyZero() && s.folio(pr.folio()).kind() == FolioKind.DAX)),
            new Reachability("reached-gup-fast", "some reference was taken by the lockless GUP-fast walk",
                    s -> s.refs().stream().anyMatch(r -> r.has(GupFlag.FAST_WALK))),
            new Reachability("reached-ksm-zeropage", "KSM mapped the zeropage (a dirty zeropage PTE, v6.6+)",
                    s -> mapped(s, (v, pr) -> pr.folio().isZero() && pr.dirty())),
            new Reachability("reached-pmd-mapped", "a THP is mapped by a PMD",
                    s -> anyPmd(s, h -> !h.folio().isAnyZero() && !s.folio(h.folio()).part().hugetlb())),
            new Reachability("reached-huge-zeropage", "the huge zeropage is mapped by a PMD",
                    s -> anyPmd(s, h -> h.folio().isHugeZero())),
            new Reachability("reached-pte-mapped-thp", "a subpage of a THP is mapped by a PTE",
                    s -> mapped(s, (v, pr) -> !pr.folio().isAnyZero() && s.folio(pr.folio()).part().large())),
            new Reachability("reached-thp-partially-shared", "a THP is mapped by two processes, one subpage shared and one not",
                    Catalogue::partiallyShared),
            new Reachability("reached-migrating", "a migration entry stands for a page under migration",
                    s -> s.folios().stream().anyMatch(f -> f.has(FolioFlag.MIGRATING))),
            new Reachability("reached-device-private", "a page lives in device-private memory",
                    s -> anyPte(s, pte -> pte instanceof Pte.DevicePrivate)),
            new Reachability("reached-device-exclusive", "a device has exclusive access to a page",
                    s -> anyPte(s, pte -> pte instanceof Pte.DeviceExclusive)),
            new Reachability("reached-hwpoison", "a hwpoison entry replaced a mapping",
                    s -> anyPte(s, pte -> pte instanceof Pte.Hwpoison)),
            new Reachability("reached-hugetlb", "a hugetlb folio is mapped",
                    s -> anyPmd(s, h -> !h.folio().isAnyZero() && s.folio(h.folio()).part().hugetlb())),
            new Reachability("reached-uffd-wp", "a present PTE or PMD carries the uffd-wp bit",
                    s -> anyPte(s, pte -> pte instanceof Pte.Present pr && pr.uffdWp()) || anyPmd(s, Pmd.Huge::uffdWp)),
            new Reachability("reached-uffd-marker", "a uffd-wp PTE marker keeps an unmapped page protected",
                    s -> anyPte(s, pte -> pte instanceof Pte.UffdMarker)),
            new Reachability("reached-uffd-wp-swap", "a swap or migration entry carries the uffd-wp bit",
                    s -> anyPte(s, pte -> pte instanceof Pte.Swap sw && sw.uffdWp() || pte instanceof Pte.Migration m && m.uffdWp())),
            new Reachability("reached-uffd-trapped", "an access waits for the monitor (a uffd fault is queued)",
                    s -> s.processes().stream().anyMatch(proc -> proc.uffd().pending() != 0)));

    private static boolean anyPmd(MmState s, Predicate<Pmd.Huge> test) {
        for (Process proc : s.processes()) {
            for (Pmd pmd : proc.pmds()) {
                if (pmd instanceof Pmd.Huge h && test.test(h)) return true;
            }
        }
        return false;
    }

    private static boolean anyPte(MmState s, Predicate<Pte> test) {
        for (Process proc : s.processes()) {
            for (Pte pte : proc.ptes()) {
                if (test.test(pte)) return true;
            }
        }
        return false;
    }

    /** Which processes map each subpage (by PTE, or by PMD for both). */
    private static boolean partiallyShared(MmState s) {
        for (int h = 0; h < s.folios().size(); h++) {
            Folio head = s.folios().get(h);
            if (!head.part().head() || head.part().hugetlb()) continue;
            int[] mappers = new int[Folio.NR_SUBPAGES];
            for (int q = 0; q < s.processes().size(); q++) {
                Process proc = s.processes().get(q);
                for (Pmd pmd : proc.pmds()) {
                    if (pmd instanceof Pmd.Huge x && x.folio().index() == h) {
                        for (int i = 0; i < Folio.NR_SUBPAGES; i++) mappers[i] |= 1 << q;
                    }
                }
                for (Pte pte : proc.ptes()) {
                    if (pte instanceof Pte.Present pr && !pr.folio().isAnyZero() && pr.folio().index() >= h
                            && pr.folio().index() < h + Folio.NR_SUBPAGES) {
                        mappers[pr.folio().index() - h] |= 1 << q;
                    }
                }
            }
            boolean shared = false;
            boolean single = false;
            int all = 0;
            for (int m : mappers) {
                all |= m;
                if (Integer.bitCount(m) >= 2) shared = true;
                if (Integer.bitCount(m) == 1) single = true;
            }
            if (shared && single && Integer.bitCount(all) >= 2) return true;
        }
        return false;
    }

    public static Optional<Invariant> invariant(String name) {
        return INVARIANTS.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    public static Optional<Reachability> witness(String name) {
        return WITNESSES.stream().filter(w -> w.name().equals(name)).findFirst();
    }

    // ---- predicates

    private static Optional<Violation> uffdStoreLeaked(MmState s) {
        for (int p = 0; p < s.processes().size(); p++) {
            var u = s.processes().get(p).uffd();
            if (u.leaked() != 0) {
                Vaddr at = new Vaddr(Integer.numberOfTrailingZeros(u.leaked()));
                return Optional.of(Violation.of("P" + p + " stored into " + at + ", which its monitor write-protected, and no "
                        + "uffd-wp fault reached the monitor", new Culprit.Pte(new Pid(p), at)));
            }
        }
        return Optional.empty();
    }

    private static Optional<Violation> writableUffdWp(MmState s) {
        for (int p = 0; p < s.processes().size(); p++) {
            Process proc = s.processes().get(p);
            for (int pair = 0; pair < proc.pmds().size(); pair++) {
                if (proc.pmds().get(pair) instanceof Pmd.Huge h && h.write() && h.uffdWp()) {
                    Vaddr va = new Vaddr(pair * 2);
                    return Optional.of(Violation.of("P" + p + " " + va + ": " + h + " is writable with the uffd-wp bit",
                            new Culprit.Pte(new Pid(p), va)));
                }
            }
            for (int a = 0; a < proc.ptes().size(); a++) {
                if (proc.ptes().get(a) instanceof Pte.Present pr && pr.write() && pr.uffdWp()) {
                    return Optional.of(Violation.of("P" + p + " " + new Vaddr(a) + ": " + pr + " is writable with the uffd-wp bit",
                            new Culprit.Pte(new Pid(p), new Vaddr(a))));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Violation> strayMarker(MmState s) {
        for (int p = 0; p < s.processes().size(); p++) {
            Process proc = s.processes().get(p);
            for (int a = 0; a < proc.ptes().size(); a++) {
                if (proc.ptes().get(a) instanceof Pte.UffdMarker && !proc.vma(new Vaddr(a)).uffdWp()) {
                    return Optional.of(Violation.of("P" + p + " " + new Vaddr(a) + " holds a uffd-wp marker in a VMA without VM_UFFD_WP",
                            new Culprit.Pte(new Pid(p), new Vaddr(a))));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * sanity_check_pinned_pages(): a small or hugetlb folio's page (the head) must be exclusive; for a THP, the head
     * or the pinned subpage (PMD-mapped THPs keep the bit on the head only). A poisoned page's bit is stale.
     */
    private static Optional<Violation> pinnedAnonNotExclusive(MmState s) {
        for (GupRef r : s.refs()) {
            if (!r.isPin() || r.folio().isAnyZero()) continue;
            Folio f = s.folio(r.folio());
            Folio head = s.folio(s.head(r.folio()));
            boolean exclusive = f.part().large() && !f.part().hugetlb()
                    ? head.has(FolioFlag.ANON_EXCLUSIVE) || f.has(FolioFlag.ANON_EXCLUSIVE)
                    : head.has(FolioFlag.ANON_EXCLUSIVE);
            if (f.isAnon() && !exclusive && !f.has(FolioFlag.HWPOISON)) {
                return Optional.of(Violation.of(r.folio() + " is pinned (" + r.owner() + " " + r.addr() + " " + r.flagsString()
                        + ", refcount " + f.refcount() + ") but not ANON_EXCLUSIVE", new Culprit.Folio(r.folio()), new Culprit.Ref(r)));
            }
        }
        return Optional.empty();
    }

    private static Optional<Violation> writableAnonNotExclusive(MmState s) {
        for (int p = 0; p < s.processes().size(); p++) {
            Process proc = s.processes().get(p);
            for (int pair = 0; pair < proc.pmds().size(); pair++) {
                if (proc.pmds().get(pair) instanceof Pmd.Huge h && h.write() && !h.folio().isAnyZero()) {
                    Folio f = s.folio(h.folio());
                    if (f.isAnon() && !f.has(FolioFlag.ANON_EXCLUSIVE)) {
                        Vaddr va = new Vaddr(pair * 2);
                        return Optional.of(Violation.of("P" + p + " " + va + " maps " + h.folio() + " writable by a PMD (entire mapcount "
                                + f.entireMapcount() + ") but its head is not ANON_EXCLUSIVE", new Culprit.Pte(new Pid(p), va),
                                new Culprit.Folio(h.folio())));
                    }
                }
            }
            for (int a = 0; a < proc.ptes().size(); a++) {
                if (proc.ptes().get(a) instanceof Pte.Present pr && pr.write() && !pr.folio().isAnyZero()) {
                    Folio f = s.folio(pr.folio());
                    if (f.isAnon() && !f.has(FolioFlag.ANON_EXCLUSIVE)) {
                        return Optional.of(Violation.of("P" + p + " " + new Vaddr(a) + " maps " + pr.folio() + " writable (mapcount "
                                + f.mapcount() + ") but it is not ANON_EXCLUSIVE", new Culprit.Pte(new Pid(p), new Vaddr(a)),
                                new Culprit.Folio(pr.folio())));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Violation> incoherentPin(MmState s) {
        for (GupRef r : s.refs()) {
            if (!r.isPin() || r.detached() || !(r.has(GupFlag.LONGTERM) || r.has(GupFlag.WRITE))) continue;
            if (!s.process(r.owner()).alive()) continue;
            FolioId now = s.folioAt(r.owner(), r.addr());
            if (!r.folio().equals(now)) {
                String there = now == null ? describePte(s, r.owner(), r.addr()) : now.toString();
                return Optional.of(Violation.of(r.owner() + " pinned " + r.folio() + " at " + r.addr() + " (" + r.flagsString()
                        + ") but " + r.owner() + " " + r.addr() + " now maps " + there, new Culprit.Ref(r),
                        new Culprit.Pte(r.owner(), r.addr())));
            }
        }
        return Optional.empty();
    }

    private static String describePte(MmState s, Pid p, Vaddr a) {
        Pte pte = s.process(p).pte(a);
        return pte instanceof Pte.Swap sw ? "swap entry " + sw.slot() + " with no swapcache folio" : "nothing";
    }

    private static Optional<Violation> leak(MmState s) {
        for (int q = 0; q < s.processes().size(); q++) {
            Process proc = s.processes().get(q);
            if (!proc.alive()) continue;
            Pid observer = new Pid(q);
            for (int a = 0; a < proc.ptes().size(); a++) {
                Vaddr va = new Vaddr(a);
                VmaKind kind = proc.vma(va).kind();
                if (!kind.isCowMapping() || !privateContent(s, proc, va)) continue;
                Data d = s.dataAt(observer, va);
                if (d != null && d.leaksTo(observer)) {
                    return Optional.of(Violation.of(observer + " reads " + d + " at " + va + ", stored after they separated",
                            new Culprit.Pte(observer, va)));
                }
            }
            for (GupRef r : s.refs()) {
                if (!r.owner().equals(observer) || r.folio().isAnyZero() || !s.folio(r.folio()).isAnon()) continue;
                Data d = s.folio(r.folio()).data();
                if (d.leaksTo(observer)) {
                    return Optional.of(Violation.of(observer + " reads " + d + " through its " + r.flagsString() + " reference to "
                            + r.folio() + " (taken at " + r.addr() + "), stored after they separated", new Culprit.Ref(r),
                            new Culprit.Folio(r.folio())));
                }
            }
        }
        return Optional.empty();
    }

    /** Anonymous content: an anon folio (by PTE or PMD), or a swap, migration or device entry (only anon pages get here). */
    private static boolean privateContent(MmState s, Process proc, Vaddr va) {
        Pmd pmd = proc.pmd(va);
        if (pmd instanceof Pmd.Migration) return true;
        if (pmd instanceof Pmd.Huge h) return !h.folio().isAnyZero() && s.folio(h.folio()).isAnon();
        Pte pte = proc.pte(va);
        if (pte instanceof Pte.Swap || pte instanceof Pte.Migration || pte instanceof Pte.DevicePrivate || pte instanceof Pte.DeviceExclusive) {
            return true;
        }
        return pte instanceof Pte.Present pr && !pr.folio().isAnyZero() && s.folio(pr.folio()).isAnon();
    }

    private static Optional<Violation> countMismatch(Profile profile, MmState s) {
        int n = s.folios().size();
        int[] ref = new int[n];
        int[] map = new int[n];
        int[] entire = new int[n];
        int[] pins = new int[n];
        int zeroRef = 0;
        int zeroMap = 0;
        int[] swapCount = new int[s.swap().size()];
        boolean keepsMapcount = profile.deviceExclusive() == Decisions.DeviceExclusive.KEEP_MAPCOUNT;
        for (int i = 0; i < n; i++) {
            Folio f = s.folios().get(i);
            if (f.isFree()) continue;
            int head = f.part().tail() ? i - 1 : i;
            // the page cache, the driver that allocated the page, the FSDAX block's idle reference
            if (f.kind() == FolioKind.PAGECACHE || f.kind() == FolioKind.DRIVER || f.kind() == FolioKind.DAX) ref[head]++;
            // the isolation reference of a migration in progress, memory_failure()'s on a poisoned page
            if (!f.part().tail() && f.has(FolioFlag.MIGRATING)) ref[head]++;
            if (f.has(FolioFlag.HWPOISON)) ref[head]++;
            if (f.has(FolioFlag.SWAPCACHE)) {
                ref[head]++;
                if (f.swapSlot() < 0 || s.swap().get(f.swapSlot()).cache() != i) {
                    return Optional.of(Violation.of("folio#" + i + " is in the swapcache but its slot does not name it",
                            new Culprit.Folio(new FolioId(i))));
                }
            }
        }
        for (Process proc : s.processes()) {
            for (Pmd pmd : proc.pmds()) {
                if (pmd instanceof Pmd.Huge h && !h.folio().isAnyZero()) {
                    ref[h.folio().index()]++;
                    entire[h.folio().index()]++;
                }
            }
            for (int a = 0; a < proc.ptes().size(); a++) {
                Pte pte = proc.ptes().get(a);
                switch (pte) {
                    case Pte.Present pr -> {
                        if (pr.folio().isZero()) {
                            // what insert_page() took before v6.11, whether or not unmapping will give it back
                            if (pr.zeroRef()) {
                                zeroRef++;
                                zeroMap++;
                            }
                            continue;
                        }
                        FolioKind kind = s.folio(pr.folio()).kind();
                        if (MemoryInsert.vmNormalPage(profile, proc.vma(new Vaddr(a)), pr, kind) != null) {
                            ref[headIndex(s, pr.folio().index())]++;
                            map[pr.folio().index()]++;
                        }
                    }
                    case Pte.Swap sw -> swapCount[sw.slot().index()]++;
                    case Pte.DevicePrivate d -> {
                        ref[headIndex(s, d.page().index())]++;
                        map[d.page().index()]++;
                    }
                    case Pte.DeviceExclusive d -> {
                        ref[headIndex(s, d.page().index())]++;
                        if (keepsMapcount) map[d.page().index()]++;
                    }
                    default -> {
                    }
                }
            }
        }
        boolean zeropagePinned = profile.zeropagePin() == Decisions.ZeropagePin.REFCOUNTED;
        for (GupRef r : s.refs()) {
            if (r.folio().isZero()) {
                zeroRef += r.refcountContribution(profile.pinBias(), zeropagePinned, false);
                continue;
            }
            if (r.folio().isHugeZero()) continue;
            boolean large = s.folio(r.folio()).part().large();
            int head = headIndex(s, r.folio().index());
            ref[head] += r.refcountContribution(profile.pinBias(), zeropagePinned, large);
            pins[head] += r.pincountContribution(profile.pinBias(), large);
        }
        for (int i = 0; i < n; i++) {
            Folio f = s.folios().get(i);
            if (f.isFree()) {
                if (ref[i] != 0 || map[i] != 0) {
                    return Optional.of(Violation.of("folio#" + i + " is free but referenced " + ref[i] + " times",
                            new Culprit.Folio(new FolioId(i))));
                }
                continue;
            }
            if (f.part().tail()) {
                if (f.mapcount() != map[i]) {
                    return Optional.of(Violation.of("folio#" + i + " (a tail page) has mapcount " + f.mapcount()
                            + ", but " + map[i] + " PTEs map it", new Culprit.Folio(new FolioId(i))));
                }
                continue;
            }
            if (f.refcount() != ref[i] || f.mapcount() != map[i]) {
                return Optional.of(Violation.of("folio#" + i + " has refcount " + f.refcount() + " and mapcount " + f.mapcount()
                        + ", but the references that exist add up to refcount " + ref[i] + " and mapcount " + map[i],
                        new Culprit.Folio(new FolioId(i))));
            }
            if (f.part().head() && (f.entireMapcount() != entire[i] || f.pincount() != pins[i])) {
                return Optional.of(Violation.of("folio#" + i + " has entire mapcount " + f.entireMapcount() + " and pincount "
                        + f.pincount() + ", but " + entire[i] + " PMDs map it and " + pins[i] + " pins hold it",
                        new Culprit.Folio(new FolioId(i))));
            }
        }
        ZeropageCounts z = s.zeropage();
        if (z.refcount() != zeroRef || z.mapcount() != zeroMap) {
            return Optional.of(Violation.of("the zeropage's refcount is " + z.refcount() + " and its mapcount " + z.mapcount()
                    + " above their boot values, but the mappings and GUP references that exist account for refcount "
                    + zeroRef + " and mapcount " + zeroMap, new Culprit.Folio(FolioId.ZERO)));
        }
        for (int i = 0; i < swapCount.length; i++) {
            SwapSlotState st = s.swap().get(i);
            if (st.swapCount() != swapCount[i]) {
                return Optional.of(Violation.of("swap#" + i + " has swapcount " + st.swapCount() + " but " + swapCount[i]
                        + " swap PTEs reference it", new Culprit.Slot(new SwapSlot(i))));
            }
        }
        return Optional.empty();
    }

    private static int headIndex(MmState s, int i) {
        return s.folios().get(i).part().tail() ? i - 1 : i;
    }

    /** The first present PTE (process, address, VMA, PTE) that satisfies the test, or empty. */
    private record Mapping(Pid pid, Vaddr addr, Vma vma, Pte.Present pte) {
    }

    private static Optional<Mapping> find(MmState s, java.util.function.BiPredicate<Vma, Pte.Present> test) {
        for (int p = 0; p < s.processes().size(); p++) {
            Process proc = s.processes().get(p);
            for (int a = 0; a < proc.ptes().size(); a++) {
                Vaddr va = new Vaddr(a);
                if (proc.pte(va) instanceof Pte.Present pr && test.test(proc.vma(va), pr)) {
                    return Optional.of(new Mapping(new Pid(p), va, proc.vma(va), pr));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean mapped(MmState s, java.util.function.BiPredicate<Vma, Pte.Present> test) {
        return find(s, test).isPresent();
    }

    private static Optional<Violation> normalZeropage(Profile profile, MmState s) {
        return find(s, (v, pr) -> pr.folio().isZero()
                && MemoryInsert.vmNormalPage(profile, v, pr, null) != null)
                .map(m -> Violation.of("vm_normal_page() returns the zeropage for " + m.pid() + " " + m.addr() + " (" + m.vma()
                        + ", PTE " + m.pte() + ")", new Culprit.Pte(m.pid(), m.addr())));
    }

    private static Optional<Violation> nonSpecialZeropage(MmState s) {
        return find(s, (v, pr) -> pr.folio().isZero() && !pr.special())
                .map(m -> Violation.of(m.pid() + " " + m.addr() + " maps the zeropage without pte_special (" + m.vma() + ")",
                        new Culprit.Pte(m.pid(), m.addr())));
    }

    private static Optional<Violation> folioForRawPfn(Profile profile, MmState s) {
        Optional<Mapping> m = find(s, (v, pr) -> !pr.folio().isAnyZero() && s.folio(pr.folio()).kind() == FolioKind.PFN
                && MemoryInsert.vmNormalPage(profile, v, pr, FolioKind.PFN) != null);
        if (m.isPresent()) {
            return Optional.of(Violation.of("vm_normal_page() returns a folio for the raw PFN " + m.get().pte().folio() + " at "
                    + m.get().pid() + " " + m.get().addr() + " (" + m.get().vma() + ")", new Culprit.Pte(m.get().pid(), m.get().addr())));
        }
        for (GupRef r : s.refs()) {
            if (!r.folio().isAnyZero() && s.folio(r.folio()).kind() == FolioKind.PFN) {
                return Optional.of(Violation.of(r.owner() + " holds a " + r.flagsString() + " reference on the raw PFN " + r.folio(),
                        new Culprit.Ref(r)));
            }
        }
        return Optional.empty();
    }

    private static Optional<Violation> walkersDisagree(Profile profile, MmState s) {
        for (int p = 0; p < s.processes().size(); p++) {
            Process proc = s.processes().get(p);
            if (!proc.alive()) continue;
            for (int a = 0; a < proc.ptes().size(); a++) {
                Pid pid = new Pid(p);
                Vaddr va = new Vaddr(a);
                if (!(proc.pte(va) instanceof Pte.Present)) continue;
                FolioId normal = Walkers.vmNormalPageFolio(profile, s, pid, va);
                FolioId walked = Walkers.folioWalkFolio(profile, s, pid, va);
                // the folio walker reports the zeropage by its pfn (FW_ZEROPAGE); as a page it is vm_normal_page()'s
                if (walked != null && walked.isAnyZero()) walked = null;
                if (normal != null && normal.isAnyZero()) normal = null;
                if (!java.util.Objects.equals(normal, walked)) {
                    return Optional.of(Violation.of("at " + pid + " " + va + " (" + proc.vma(va) + ") vm_normal_page() finds "
                            + (normal == null ? "nothing" : normal) + " but the folio walker finds "
                            + (walked == null ? "nothing" : walked), new Culprit.Pte(pid, va)));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Violation> deviceIncoherent(MmState s) {
        for (int i = 0; i < s.processes().size(); i++) {
            var u = s.processes().get(i).userptr();
            if (!u.exists()) continue;
            Pid p = new Pid(i);
            if (u.usedStale()) {
                return Optional.of(Violation.of("P" + i + "'s GPU job started on a page list that an invalidation had reached before its "
                        + "fences were published"));
            }
            if (!u.gpuBusy() || u.stale()) continue;
            GupRef r = GupRef.find(s.refs(), p, u.addr(), GupFlag.DRIVER);
            FolioId mapped = s.folioAt(p, u.addr());
            if (r != null && !r.folio().equals(mapped)) {
                return Optional.of(Violation.of("P" + i + "'s GPU job uses " + r.folio() + " but " + p + " " + u.addr() + " now maps "
                        + (mapped == null ? "nothing" : mapped) + ", and no invalidation reached the driver", new Culprit.Ref(r)));
            }
        }
        for (int i = 0; i < s.processes().size(); i++) {
            var h = s.processes().get(i).hmm();
            if (!h.exists() || !h.mapped()) continue;
            FolioId mapped = s.folioAt(new Pid(i), h.addr());
            if (!h.seen().equals(mapped)) {
                return Optional.of(Violation.of("P" + i + "'s device maps " + h.seen() + " but P" + i + " " + h.addr() + " maps "
                        + (mapped == null ? "nothing" : mapped) + ", and no invalidation reached the driver"));
            }
        }
        return Optional.empty();
    }

    private static Optional<Violation> forceWriteIntoFileOrZero(MmState s) {
        for (GupRef r : s.refs()) {
            if (!r.has(GupFlag.FORCE) || !r.has(GupFlag.WRITE)) continue;
            if (r.folio().isAnyZero()) {
                return Optional.of(Violation.of("a FOLL_FORCE write by " + r.owner() + " at " + r.addr() + " holds the " + r.folio()
                        + ": the write lands in the page every process reads zeroes from", new Culprit.Ref(r)));
            }
            if (s.folio(r.folio()).kind() != FolioKind.PAGECACHE) continue;
            var vma = s.process(r.owner()).vma(r.addr());
            if (vma.kind().shared() && vma.write()) continue;
            return Optional.of(Violation.of("a FOLL_FORCE write by " + r.owner() + " at " + r.addr() + " holds the page-cache " + r.folio()
                    + " of a " + (vma.kind().shared() ? "read-only shared" : "private") + " mapping: the write lands in the file",
                    new Culprit.Ref(r)));
        }
        return Optional.empty();
    }

    private static Optional<Violation> fastRefOnSpecial(MmState s) {
        for (GupRef r : s.refs()) {
            if (!r.has(GupFlag.FAST_WALK)) continue;
            boolean special = r.folio().isZero() || (!r.folio().isHugeZero() && s.folio(r.folio()).kind() == FolioKind.PFN);
            if (special) {
                return Optional.of(Violation.of("GUP-fast took a " + r.flagsString() + " reference on " + r.folio()
                        + ", which only a special PTE maps", new Culprit.Ref(r)));
            }
        }
        return Optional.empty();
    }

    private static Optional<Violation> exclusiveKsm(MmState s) {
        for (int i = 0; i < s.folios().size(); i++) {
            Folio f = s.folios().get(i);
            if (f.has(FolioFlag.KSM) && f.has(FolioFlag.ANON_EXCLUSIVE)) {
                return Optional.of(Violation.of("folio#" + i + " is KSM (mapcount " + f.mapcount() + ") and ANON_EXCLUSIVE",
                        new Culprit.Folio(new FolioId(i))));
            }
        }
        return Optional.empty();
    }

    private static Optional<Violation> exclusiveMigrationShared(MmState s) {
        // Both ways to break it need a migration entry: without one (nearly every state) nothing to build.
        if (!anyMigrationEntry(s)) return Optional.empty();
        // every (process, address) that maps or stands for each page
        java.util.Map<Integer, List<String>> mappings = new java.util.HashMap<>();
        java.util.Map<Integer, String> exclusiveEntry = new java.util.HashMap<>();
        java.util.Set<Integer> underMigration = new java.util.HashSet<>();
        for (int q = 0; q < s.processes().size(); q++) {
            Process proc = s.processes().get(q);
            if (!proc.alive()) continue;
            for (int pair = 0; pair < proc.pmds().size(); pair++) {
                Pmd pmd = proc.pmds().get(pair);
                for (int i = 0; i < Folio.NR_SUBPAGES; i++) {
                    String where = "P" + q + " " + new Vaddr(pair * 2 + i);
                    if (pmd instanceof Pmd.Huge h && !h.folio().isAnyZero()) {
                        mappings.computeIfAbsent(h.folio().index() + i, x -> new java.util.ArrayList<>()).add(where);
                    } else if (pmd instanceof Pmd.Migration m) {
                        int page = m.folio().index() + i;
                        mappings.computeIfAbsent(page, x -> new java.util.ArrayList<>()).add(where);
                        underMigration.add(page);
                        if (m.kind() != Pte.MigrationKind.READABLE) exclusiveEntry.put(page, where + " (" + m.kind().text() + " PMD entry)");
                    }
                }
            }
            for (int a = 0; a < proc.ptes().size(); a++) {
                Pte pte = proc.ptes().get(a);
                FolioId page = MmState.pageOf(pte);
                if (page == null || page.isAnyZero() || pte instanceof Pte.Hwpoison) continue;
                String where = "P" + q + " " + new Vaddr(a);
                mappings.computeIfAbsent(page.index(), x -> new java.util.ArrayList<>()).add(where);
                if (pte instanceof Pte.Migration m) {
                    underMigration.add(page.index());
                    if (m.kind() != Pte.MigrationKind.READABLE) exclusiveEntry.put(page.index(), where + " (" + m.kind().text() + " entry)");
                }
            }
        }
        for (var e : exclusiveEntry.entrySet()) {
            List<String> all = mappings.get(e.getKey());
            if (all.size() > 1) {
                return Optional.of(Violation.of("folio#" + e.getKey() + " has an exclusive migration entry at " + e.getValue()
                        + " but is also mapped at " + all, new Culprit.Folio(new FolioId(e.getKey()))));
            }
        }
        for (int page : underMigration) {
            if (s.folios().get(page).has(FolioFlag.ANON_EXCLUSIVE)) {
                return Optional.of(Violation.of("folio#" + page + " has migration entries but is still ANON_EXCLUSIVE",
                        new Culprit.Folio(new FolioId(page))));
            }
        }
        return Optional.empty();
    }

    private static boolean anyMigrationEntry(MmState s) {
        for (Process proc : s.processes()) {
            if (!proc.alive()) continue;
            for (Pmd pmd : proc.pmds()) {
                if (pmd instanceof Pmd.Migration) return true;
            }
            for (Pte pte : proc.ptes()) {
                if (pte instanceof Pte.Migration) return true;
            }
        }
        return false;
    }

    private static Optional<Violation> writableZeropage(MmState s) {
        for (int p = 0; p < s.processes().size(); p++) {
            List<Pmd> pmds = s.processes().get(p).pmds();
            for (int pair = 0; pair < pmds.size(); pair++) {
                if (pmds.get(pair) instanceof Pmd.Huge h && h.folio().isHugeZero() && h.write()) {
                    return Optional.of(Violation.of("P" + p + " " + new Vaddr(pair * 2) + " maps the huge zeropage writable",
                            new Culprit.Pte(new Pid(p), new Vaddr(pair * 2))));
                }
            }
            List<Pte> ptes = s.processes().get(p).ptes();
            for (int a = 0; a < ptes.size(); a++) {
                if (ptes.get(a) instanceof Pte.Present pr && pr.folio().isZero() && pr.write()) {
                    return Optional.of(Violation.of("P" + p + " " + new Vaddr(a) + " maps the zeropage writable",
                            new Culprit.Pte(new Pid(p), new Vaddr(a))));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean forkShared(MmState s) {
        for (int i = 0; i < s.folios().size(); i++) {
            if (!s.folios().get(i).isAnon()) continue;
            int procs = 0;
            for (Process proc : s.processes()) {
                int fi = i;
                if (proc.ptes().stream().anyMatch(pte -> pte instanceof Pte.Present pr && pr.folio().index() == fi)) procs++;
            }
            if (procs >= 2) return true;
        }
        return false;
    }

    private static java.util.stream.Stream<Pte> ptes(MmState s) {
        return s.processes().stream().flatMap(p -> p.ptes().stream());
    }
}
