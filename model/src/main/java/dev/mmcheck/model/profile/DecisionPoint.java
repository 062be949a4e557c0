package dev.mmcheck.model.profile;

import dev.mmcheck.model.profile.Decisions.AnonExclusive;
import dev.mmcheck.model.profile.Decisions.DaxHole;
import dev.mmcheck.model.profile.Decisions.FsdaxLongterm;
import dev.mmcheck.model.profile.Decisions.FsdaxMixedmap;
import dev.mmcheck.model.profile.Decisions.GupFast;
import dev.mmcheck.model.profile.Decisions.KsmBreakCow;
import dev.mmcheck.model.profile.Decisions.KsmZeroPages;
import dev.mmcheck.model.profile.Decisions.PagesStatWalk;
import dev.mmcheck.model.profile.Decisions.PinAccounting;
import dev.mmcheck.model.profile.Decisions.SkeysZeropage;
import dev.mmcheck.model.profile.Decisions.ZeropageInsert;
import dev.mmcheck.model.profile.Decisions.ZeropagePin;
import dev.mmcheck.model.profile.Decisions.ClearRefsPinned;
import dev.mmcheck.model.profile.Decisions.ForkPinned;
import dev.mmcheck.model.profile.Decisions.GupCowBreak;
import dev.mmcheck.model.profile.Decisions.KsmWriteProtect;
import dev.mmcheck.model.profile.Decisions.MprotectUpgrade;
import dev.mmcheck.model.profile.Decisions.PinUnshare;
import dev.mmcheck.model.profile.Decisions.PteSpecial;
import dev.mmcheck.model.profile.Decisions.SoftDirty;
import dev.mmcheck.model.profile.Decisions.SwapInReuse;
import dev.mmcheck.model.profile.Decisions.SwapOutPinned;
import dev.mmcheck.model.profile.Decisions.SwapPteExclusive;
import dev.mmcheck.model.profile.Decisions.WpReuse;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** One row of the table of decision points: the name a spec uses, the question, and its choices. */
public record DecisionPoint<D extends Enum<D> & Decision>(String name, String question, Class<D> type) {

    /** The name decides (names are unique): cheaper than hashing every component on each profile lookup. */
    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof DecisionPoint<?> d && d.name.equals(name) && d.question.equals(question) && d.type == type;
    }

    public static final DecisionPoint<WpReuse> WP_REUSE = new DecisionPoint<>("wp-reuse",
            "How does a write fault decide to reuse a R/O-mapped anon page?", WpReuse.class);
    public static final DecisionPoint<GupCowBreak> GUP_COW_BREAK = new DecisionPoint<>("gup-cow-break",
            "Does a GUP without FOLL_WRITE break COW?", GupCowBreak.class);
    public static final DecisionPoint<Decisions.ForceWrite> FORCE_WRITE = new DecisionPoint<>("force-write",
            "How does a FOLL_FORCE write (/proc/PID/mem, ptrace) take a R/O PTE after its COW fault?", Decisions.ForceWrite.class);
    public static final DecisionPoint<Decisions.UffdContinueDirty> UFFD_CONTINUE_DIRTY = new DecisionPoint<>("uffd-continue-dirty",
            "Does UFFDIO_CONTINUE map the page-cache page with a dirty PTE?", Decisions.UffdContinueDirty.class);
    public static final DecisionPoint<Decisions.UserptrInvalidate> USERPTR_INVALIDATE = new DecisionPoint<>("userptr-invalidate",
            "What does i915's userptr notifier do when the CPU page tables of its range change?", Decisions.UserptrInvalidate.class);
    public static final DecisionPoint<Decisions.UserptrSubmitCheck> USERPTR_SUBMIT_CHECK = new DecisionPoint<>("userptr-submit-check",
            "Does execbuf re-check the notifier sequence after publishing its fences?", Decisions.UserptrSubmitCheck.class);
    public static final DecisionPoint<Decisions.GupFastFork> GUP_FAST_FORK = new DecisionPoint<>("gup-fast-fork",
            "Does GUP-fast notice a fork() of its mm that runs between its lockless steps?", Decisions.GupFastFork.class);
    public static final DecisionPoint<Decisions.GupFastCollapse> GUP_FAST_COLLAPSE = new DecisionPoint<>("gup-fast-collapse",
            "What keeps GUP-fast from pinning a page a concurrent collapse replaces?", Decisions.GupFastCollapse.class);
    public static final DecisionPoint<Decisions.GupFastUnmap> GUP_FAST_UNMAP = new DecisionPoint<>("gup-fast-unmap",
            "Is try_to_unmap_one()'s pinned check ordered after its PTE clear, against GUP-fast?", Decisions.GupFastUnmap.class);
    public static final DecisionPoint<Decisions.ForceWritePmd> FORCE_WRITE_PMD = new DecisionPoint<>("force-write-pmd",
            "May a FOLL_FORCE write take a R/O PMD after its COW fault?", Decisions.ForceWritePmd.class);
    public static final DecisionPoint<Decisions.TouchPmd> TOUCH_PMD = new DecisionPoint<>("touch-pmd",
            "Does GUP's touch_pmd() mark a PMD dirty on a read?", Decisions.TouchPmd.class);
    public static final DecisionPoint<Decisions.ThpSplitLock> THP_SPLIT_LOCK = new DecisionPoint<>("thp-split-lock",
            "Is a PMD split serialised against a write fault's mapcount-based THP reuse check?", Decisions.ThpSplitLock.class);
    public static final DecisionPoint<Decisions.HmmMirror> HMM_MIRROR = new DecisionPoint<>("hmm-mirror",
            "Can a driver mirror a range with hmm_range_fault(), and does it re-check the notifier sequence?", Decisions.HmmMirror.class);
    public static final DecisionPoint<Decisions.UserptrProbe> USERPTR_PROBE = new DecisionPoint<>("userptr-probe",
            "Does I915_USERPTR_PROBE exist?", Decisions.UserptrProbe.class);
    public static final DecisionPoint<PinUnshare> PIN_UNSHARE = new DecisionPoint<>("pin-unshare",
            "When must a R/O pin unshare the page first?", PinUnshare.class);
    public static final DecisionPoint<ForkPinned> FORK_MAYBE_PINNED = new DecisionPoint<>("fork-maybe-pinned",
            "What does fork() do with a maybe-pinned anon page?", ForkPinned.class);
    public static final DecisionPoint<AnonExclusive> ANON_EXCLUSIVE = new DecisionPoint<>("anon-exclusive",
            "Is PG_anon_exclusive tracked?", AnonExclusive.class);
    public static final DecisionPoint<SwapPteExclusive> SWAP_PTE_EXCLUSIVE = new DecisionPoint<>(
            "swap-pte-exclusive", "Does a swap PTE keep the exclusive bit?", SwapPteExclusive.class);
    public static final DecisionPoint<SwapInReuse> SWAP_IN_REUSE = new DecisionPoint<>("swap-in-reuse",
            "When does swap-in map the page writable and exclusive?", SwapInReuse.class);
    public static final DecisionPoint<SwapOutPinned> SWAP_OUT_PINNED = new DecisionPoint<>("swap-out-pinned",
            "May reclaim unmap a maybe-pinned exclusive page?", SwapOutPinned.class);
    public static final DecisionPoint<MprotectUpgrade> MPROTECT_UPGRADE = new DecisionPoint<>("mprotect-upgrade",
            "May mprotect(PROT_WRITE) map a private page writable without a fault?", MprotectUpgrade.class);
    public static final DecisionPoint<ClearRefsPinned> CLEAR_REFS_PINNED = new DecisionPoint<>("clear-refs-pinned",
            "Does clear_refs soft-dirty write-protect pinned pages?", ClearRefsPinned.class);
    public static final DecisionPoint<KsmWriteProtect> KSM_WRITE_PROTECT = new DecisionPoint<>("ksm-write-protect",
            "What must hold before KSM write-protects a page to merge it?", KsmWriteProtect.class);

    public static final DecisionPoint<PteSpecial> PTE_SPECIAL = new DecisionPoint<>("pte-special",
            "Does the arch mark the zeropage's PTE special (CONFIG_ARCH_HAS_PTE_SPECIAL)?", PteSpecial.class);
    public static final DecisionPoint<SoftDirty> SOFT_DIRTY = new DecisionPoint<>("soft-dirty",
            "Does the arch track soft-dirty (CONFIG_MEM_SOFT_DIRTY)?", SoftDirty.class);

    public static final DecisionPoint<PinAccounting> PIN_ACCOUNTING = new DecisionPoint<>("pin-accounting",
            "How does FOLL_PIN count on a small folio?", PinAccounting.class);
    public static final DecisionPoint<KsmBreakCow> KSM_BREAK_COW = new DecisionPoint<>("ksm-break-cow",
            "Which fault does KSM raise to unshare a page it could not merge?", KsmBreakCow.class);
    public static final DecisionPoint<ZeropagePin> ZEROPAGE_PIN = new DecisionPoint<>("zeropage-pin",
            "Does GUP reference the shared zeropage?", ZeropagePin.class);
    public static final DecisionPoint<ZeropageInsert> ZEROPAGE_INSERT = new DecisionPoint<>("zeropage-insert",
            "How does insert_page() (vm_insert_page, vm_map_pages, vmf_insert_mixed) map the zeropage?", ZeropageInsert.class);
    public static final DecisionPoint<PagesStatWalk> PAGES_STAT_WALK = new DecisionPoint<>("pages-stat-walk",
            "What does move_pages(nodes=NULL) walk page tables with?", PagesStatWalk.class);
    public static final DecisionPoint<DaxHole> DAX_HOLE = new DecisionPoint<>("dax-hole",
            "What does a read fault on a hole of an FSDAX file map?", DaxHole.class);
    public static final DecisionPoint<FsdaxMixedmap> FSDAX_MIXEDMAP = new DecisionPoint<>("fsdax-mixedmap",
            "Do ext4/XFS DAX mappings have VM_MIXEDMAP?", FsdaxMixedmap.class);
    public static final DecisionPoint<FsdaxLongterm> FSDAX_LONGTERM = new DecisionPoint<>("fsdax-longterm",
            "Is a FOLL_LONGTERM pin of an FSDAX mapping refused?", FsdaxLongterm.class);
    public static final DecisionPoint<SkeysZeropage> SKEYS_ZEROPAGE = new DecisionPoint<>("skeys-zeropage",
            "What does enabling s390 storage keys do to the zeropages already mapped?", SkeysZeropage.class);
    public static final DecisionPoint<KsmZeroPages> KSM_ZERO_PAGES = new DecisionPoint<>("ksm-zero-pages",
            "How does KSM with use_zero_pages merge a zero-filled page?", KsmZeroPages.class);
    public static final DecisionPoint<GupFast> GUP_FAST = new DecisionPoint<>("gup-fast",
            "What does GUP-fast's lockless walk refuse?", GupFast.class);

    public static final DecisionPoint<Decisions.RemapPfnCowPgoff> REMAP_PFN_COW_PGOFF = new DecisionPoint<>("remap-pfn-cow-pgoff",
            "Does remap_pfn_range() of a COW mapping set vm_pgoff to the PFN?", Decisions.RemapPfnCowPgoff.class);
    public static final DecisionPoint<Decisions.StorageKeys> STORAGE_KEYS = new DecisionPoint<>("storage-keys",
            "Does the arch have storage keys that forbid the zeropage (s390x)?", Decisions.StorageKeys.class);

    public static final DecisionPoint<Decisions.ThpWpReuse> THP_WP_REUSE = new DecisionPoint<>("thp-wp-reuse",
            "How does a write fault on a R/O PMD-mapped THP decide to reuse it?", Decisions.ThpWpReuse.class);
    public static final DecisionPoint<Decisions.HugeZeroWp> HUGE_ZERO_WP = new DecisionPoint<>("huge-zero-wp",
            "What does a write fault on the huge zeropage do?", Decisions.HugeZeroWp.class);
    public static final DecisionPoint<Decisions.LargeAnonReuse> LARGE_ANON_REUSE = new DecisionPoint<>("large-anon-reuse",
            "May a write fault reuse a non-exclusive subpage of a PTE-mapped large folio?", Decisions.LargeAnonReuse.class);
    public static final DecisionPoint<Decisions.ThpSwapout> THP_SWAPOUT = new DecisionPoint<>("thp-swapout",
            "When does reclaim split a large folio before swap-out?", Decisions.ThpSwapout.class);
    public static final DecisionPoint<Decisions.CollapseRefcount> COLLAPSE_REFCOUNT = new DecisionPoint<>("collapse-refcount",
            "Which pages does a THP collapse refuse?", Decisions.CollapseRefcount.class);
    public static final DecisionPoint<Decisions.CollapseWritable> COLLAPSE_WRITABLE = new DecisionPoint<>("collapse-writable",
            "Does a THP collapse need a writable PTE?", Decisions.CollapseWritable.class);
    public static final DecisionPoint<Decisions.HugetlbForkPinned> HUGETLB_FORK_PINNED = new DecisionPoint<>("hugetlb-fork-pinned",
            "What does fork() do with a maybe-pinned hugetlb page?", Decisions.HugetlbForkPinned.class);
    public static final DecisionPoint<Decisions.DeviceExclusive> DEVICE_EXCLUSIVE = new DecisionPoint<>("device-exclusive",
            "How do device-exclusive entries keep the page mapped?", Decisions.DeviceExclusive.class);
    public static final DecisionPoint<Decisions.MigrationEntryFork> MIGRATION_ENTRY_FORK = new DecisionPoint<>("migration-entry-fork",
            "What does fork() do with an exclusive migration entry?", Decisions.MigrationEntryFork.class);
    public static final DecisionPoint<Decisions.PmdSplitExclusive> PMD_SPLIT_EXCLUSIVE = new DecisionPoint<>("pmd-split-exclusive",
            "What does a PMD split do with the head's PG_anon_exclusive?", Decisions.PmdSplitExclusive.class);
    public static final DecisionPoint<Decisions.UffdWp> UFFD_WP = new DecisionPoint<>("uffd-wp",
            "Which memory does userfaultfd write-protection support?", Decisions.UffdWp.class);
    public static final DecisionPoint<Decisions.UffdWpUnpopulated> UFFD_WP_UNPOPULATED = new DecisionPoint<>("uffd-wp-unpopulated",
            "Does UFFD_FEATURE_WP_UNPOPULATED exist?", Decisions.UffdWpUnpopulated.class);
    public static final DecisionPoint<Decisions.UffdWpAsync> UFFD_WP_ASYNC = new DecisionPoint<>("uffd-wp-async",
            "Does UFFD_FEATURE_WP_ASYNC exist?", Decisions.UffdWpAsync.class);
    public static final DecisionPoint<Decisions.UffdWpFork> UFFD_WP_FORK = new DecisionPoint<>("uffd-wp-fork",
            "What does fork() do with uffd-wp bits?", Decisions.UffdWpFork.class);
    public static final DecisionPoint<Decisions.UffdMarkerFork> UFFD_MARKER_FORK = new DecisionPoint<>("uffd-marker-fork",
            "What does fork() do with uffd-wp markers?", Decisions.UffdMarkerFork.class);
    public static final DecisionPoint<Decisions.UffdShmemWritenotify> UFFD_SHMEM_WRITENOTIFY = new DecisionPoint<>("uffd-shmem-writenotify",
            "Does uffd-wp force write-notify on shared mappings?", Decisions.UffdShmemWritenotify.class);
    public static final DecisionPoint<Decisions.UffdThpMigration> UFFD_THP_MIGRATION = new DecisionPoint<>("uffd-thp-migration",
            "Does a PMD migration entry keep the uffd-wp bit?", Decisions.UffdThpMigration.class);
    public static final DecisionPoint<Decisions.UffdHugeZeroSplit> UFFD_HUGE_ZERO_SPLIT = new DecisionPoint<>("uffd-huge-zero-split",
            "Does a huge-zeropage PMD split keep the uffd-wp bit?", Decisions.UffdHugeZeroSplit.class);
    public static final DecisionPoint<Decisions.UffdResolve> UFFD_RESOLVE = new DecisionPoint<>("uffd-resolve",
            "What does UFFDIO_WRITEPROTECT(resolve) do to the write bit?", Decisions.UffdResolve.class);
    public static final DecisionPoint<Decisions.UffdUnregister> UFFD_UNREGISTER = new DecisionPoint<>("uffd-unregister",
            "What does UFFDIO_UNREGISTER leave in the page tables?", Decisions.UffdUnregister.class);
    public static final DecisionPoint<Decisions.SwapoffBits> SWAPOFF_BITS = new DecisionPoint<>("swapoff-bits",
            "Does swapoff keep a swap PTE's soft-dirty and uffd-wp bits?", Decisions.SwapoffBits.class);
    public static final DecisionPoint<Decisions.UffdCollapse> UFFD_COLLAPSE = new DecisionPoint<>("uffd-collapse",
            "Does a collapse refuse a range the monitor write-protected?", Decisions.UffdCollapse.class);

    public static final List<DecisionPoint<?>> ALL = List.of(WP_REUSE, GUP_COW_BREAK, PIN_UNSHARE, FORK_MAYBE_PINNED,
            ANON_EXCLUSIVE, SWAP_PTE_EXCLUSIVE, SWAP_IN_REUSE, SWAP_OUT_PINNED, MPROTECT_UPGRADE, CLEAR_REFS_PINNED,
            KSM_WRITE_PROTECT, PTE_SPECIAL, SOFT_DIRTY, PIN_ACCOUNTING, KSM_BREAK_COW, ZEROPAGE_PIN, ZEROPAGE_INSERT,
            PAGES_STAT_WALK, DAX_HOLE, FSDAX_MIXEDMAP, FSDAX_LONGTERM, SKEYS_ZEROPAGE, KSM_ZERO_PAGES, GUP_FAST, REMAP_PFN_COW_PGOFF, STORAGE_KEYS,
            THP_WP_REUSE, HUGE_ZERO_WP, LARGE_ANON_REUSE, THP_SWAPOUT, COLLAPSE_REFCOUNT, COLLAPSE_WRITABLE, HUGETLB_FORK_PINNED,
            DEVICE_EXCLUSIVE, MIGRATION_ENTRY_FORK, PMD_SPLIT_EXCLUSIVE, UFFD_WP, UFFD_WP_UNPOPULATED, UFFD_WP_ASYNC, UFFD_WP_FORK,
            UFFD_MARKER_FORK, UFFD_SHMEM_WRITENOTIFY, UFFD_THP_MIGRATION, UFFD_HUGE_ZERO_SPLIT, UFFD_RESOLVE, UFFD_UNREGISTER,
            SWAPOFF_BITS, UFFD_COLLAPSE, FORCE_WRITE, UFFD_CONTINUE_DIRTY, USERPTR_INVALIDATE, USERPTR_SUBMIT_CHECK, USERPTR_PROBE,
            GUP_FAST_FORK, GUP_FAST_COLLAPSE, GUP_FAST_UNMAP, FORCE_WRITE_PMD, TOUCH_PMD, THP_SPLIT_LOCK, HMM_MIRROR);

    public static Optional<DecisionPoint<?>> named(String name) {
        return ALL.stream().filter(p -> p.name.equals(name)).findFirst();
    }

    public List<D> choices() {
        return Arrays.asList(type.getEnumConstants());
    }

    public Optional<D> choice(String specName) {
        return choices().stream().filter(c -> c.specName().equals(specName)).findFirst();
    }
}
