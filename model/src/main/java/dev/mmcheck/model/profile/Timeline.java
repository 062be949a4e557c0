package dev.mmcheck.model.profile;

import static dev.mmcheck.model.profile.DecisionPoint.ANON_EXCLUSIVE;
import static dev.mmcheck.model.profile.DecisionPoint.CLEAR_REFS_PINNED;
import static dev.mmcheck.model.profile.DecisionPoint.DAX_HOLE;
import static dev.mmcheck.model.profile.DecisionPoint.FORK_MAYBE_PINNED;
import static dev.mmcheck.model.profile.DecisionPoint.FSDAX_LONGTERM;
import static dev.mmcheck.model.profile.DecisionPoint.FSDAX_MIXEDMAP;
import static dev.mmcheck.model.profile.DecisionPoint.GUP_COW_BREAK;
import static dev.mmcheck.model.profile.DecisionPoint.GUP_FAST;
import static dev.mmcheck.model.profile.DecisionPoint.KSM_BREAK_COW;
import static dev.mmcheck.model.profile.DecisionPoint.KSM_WRITE_PROTECT;
import static dev.mmcheck.model.profile.DecisionPoint.KSM_ZERO_PAGES;
import static dev.mmcheck.model.profile.DecisionPoint.MPROTECT_UPGRADE;
import static dev.mmcheck.model.profile.DecisionPoint.PAGES_STAT_WALK;
import static dev.mmcheck.model.profile.DecisionPoint.PIN_ACCOUNTING;
import static dev.mmcheck.model.profile.DecisionPoint.PIN_UNSHARE;
import static dev.mmcheck.model.profile.DecisionPoint.PTE_SPECIAL;
import static dev.mmcheck.model.profile.DecisionPoint.SKEYS_ZEROPAGE;
import static dev.mmcheck.model.profile.DecisionPoint.SOFT_DIRTY;
import static dev.mmcheck.model.profile.DecisionPoint.SWAP_IN_REUSE;
import static dev.mmcheck.model.profile.DecisionPoint.SWAP_OUT_PINNED;
import static dev.mmcheck.model.profile.DecisionPoint.SWAP_PTE_EXCLUSIVE;
import static dev.mmcheck.model.profile.DecisionPoint.WP_REUSE;
import static dev.mmcheck.model.profile.DecisionPoint.ZEROPAGE_INSERT;
import static dev.mmcheck.model.profile.DecisionPoint.ZEROPAGE_PIN;

import com.google.common.collect.ImmutableMap;
import dev.mmcheck.model.profile.Decisions.AnonExclusive;
import dev.mmcheck.model.profile.Decisions.ClearRefsPinned;
import dev.mmcheck.model.profile.Decisions.DaxHole;
import dev.mmcheck.model.profile.Decisions.ForkPinned;
import dev.mmcheck.model.profile.Decisions.FsdaxLongterm;
import dev.mmcheck.model.profile.Decisions.FsdaxMixedmap;
import dev.mmcheck.model.profile.Decisions.GupCowBreak;
import dev.mmcheck.model.profile.Decisions.GupFast;
import dev.mmcheck.model.profile.Decisions.KsmBreakCow;
import dev.mmcheck.model.profile.Decisions.KsmWriteProtect;
import dev.mmcheck.model.profile.Decisions.KsmZeroPages;
import dev.mmcheck.model.profile.Decisions.MprotectUpgrade;
import dev.mmcheck.model.profile.Decisions.PagesStatWalk;
import dev.mmcheck.model.profile.Decisions.PinAccounting;
import dev.mmcheck.model.profile.Decisions.PinUnshare;
import dev.mmcheck.model.profile.Decisions.PteSpecial;
import dev.mmcheck.model.profile.Decisions.SkeysZeropage;
import dev.mmcheck.model.profile.Decisions.SoftDirty;
import dev.mmcheck.model.profile.Decisions.SwapInReuse;
import dev.mmcheck.model.profile.Decisions.SwapOutPinned;
import dev.mmcheck.model.profile.Decisions.SwapPteExclusive;
import dev.mmcheck.model.profile.Decisions.WpReuse;
import dev.mmcheck.model.profile.Decisions.ZeropageInsert;
import dev.mmcheck.model.profile.Decisions.ZeropagePin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The release timeline: for every decision point, the choice each mainline release makes, as a changelog. Every
 * change names its commit and the first tag whose tree has it, and how that was established (docs/kernel-sources/
 * timeline.md has the trees read):
 * <ul>
 * <li>AT-TAG: read in a tree whose Makefile is that release;</li>
 * <li>BRACKETED a/b: absent in a tree of release a, present in one of release b (stable point releases, whose
 * backports are named where they could mislead);</li>
 * <li>PATCH: read in the commit or its mail; the tag then comes from a bracket or the posting date.</li>
 * </ul>
 * A release's profile is the timeline read up to its tag: {@link #at(Release)}. The x86_64 architecture is the
 * default; {@code check --arch} adapts the arch-decided points.
 */
public final class Timeline {
    private Timeline() {
    }

    /** A choice taking effect in a release. */
    public record Change(DecisionPoint<?> point, Release since, Decision choice, String commit, String evidence) {
    }

    /** Every mainline release the timeline covers, oldest first. */
    public static final List<Release> RELEASES;

    static {
        List<Release> r = new ArrayList<>();
        for (int m = 8; m <= 20; m++) r.add(new Release(4, m));
        for (int m = 0; m <= 19; m++) r.add(new Release(5, m));
        for (int m = 0; m <= 19; m++) r.add(new Release(6, m));
        for (int m = 0; m <= 1; m++) r.add(new Release(7, m));
        RELEASES = List.copyOf(r);
    }

    public static final Release OLDEST = new Release(4, 8);
    /** The newest release whose mm sources were read (a 7.1.5 tree). */
    public static final Release NEWEST = new Release(7, 1);

    private static Change c(DecisionPoint<?> point, String since, Decision choice, String commit, String evidence) {
        return new Change(point, Release.parse(since), choice, commit, evidence);
    }

    private static final String BASE = "the behaviour at the oldest release covered";

    public static final List<Change> CHANGES = List.of(
            c(WP_REUSE, "v4.8", WpReuse.REUSE_SWAP_PAGE_KSM_COPIED, BASE, "AT-TAG 4.9.0 mm/memory.c do_wp_page()"),
            c(WP_REUSE, "v5.1", WpReuse.REUSE_SWAP_PAGE, "52d1e606ee73 mm: reuse only-pte-mapped KSM page in do_wp_page()",
                    "BRACKETED 5.0.1/5.2.1; committed 2019-03-05, after v5.0"),
            c(WP_REUSE, "v5.9", WpReuse.PAGE_COUNT, "09854ba94c6a mm: do_wp_page() simplification; 1a0cf26323c8 mm/ksm: Remove reuse_ksm_page()",
                    "AT-TAG 5.9.0; BRACKETED 5.8.18/5.9.0"),
            c(WP_REUSE, "v5.18", WpReuse.PAGE_COUNT_FREE_SWAP, "53a05ad9f21d mm: optimize do_wp_page() for exclusive pages in the swapcache; "
                    + "d4c470970d45 ... for fresh pages in local LRU pagevecs", "BRACKETED 5.17-rc5/5.18.12"),
            c(WP_REUSE, "v5.19", WpReuse.ANON_EXCLUSIVE, "6c287605fd56 mm: remember exclusively mapped anonymous pages with PG_anon_exclusive",
                    "BRACKETED 5.18.12/5.19.0"),

            c(GUP_COW_BREAK, "v4.8", GupCowBreak.ONLY_FOLL_WRITE, BASE, "AT-TAG 4.9.0 mm/gup.c"),
            c(GUP_COW_BREAK, "v5.8", GupCowBreak.GET_OR_PIN_IN_COW_MAPPING, "17839856fd58 gup: document and work around \"COW can break either way\" issue",
                    "AT-TAG 5.8.1 (FOLL_GET | FOLL_PIN); 5.7.14 carries it as a stable backport"),
            c(GUP_COW_BREAK, "v5.9", GupCowBreak.ONLY_FOLL_WRITE, "a308c71bf1e6 mm/gup: Remove enfornced COW mechanism", "AT-TAG 5.9.0"),

            c(DecisionPoint.FORCE_WRITE, "v4.8", Decisions.ForceWrite.DROP_FOLL_WRITE, BASE,
                    "PATCH: read in the removed lines of 19be0eaffa3a; the 4.8.15 tree read carries the stable backport"),
            c(DecisionPoint.FORCE_WRITE, "v4.9", Decisions.ForceWrite.FOLL_COW_DIRTY,
                    "19be0eaffa3a mm: remove gup_flags FOLL_WRITE games from __get_user_pages()", "AT-TAG 4.9.0 mm/gup.c"),
            c(DecisionPoint.FORCE_WRITE, "v5.8", Decisions.ForceWrite.FOLL_COW_DIRTY_NO_FORCE,
                    "17839856fd58 gup: document and work around \"COW can break either way\" issue",
                    "AT-TAG 5.8.1 can_follow_write_pte() without FOLL_FORCE; v5.7.0 not read (5.7.14 carries the backport)"),
            c(DecisionPoint.FORCE_WRITE, "v5.9", Decisions.ForceWrite.FOLL_COW_DIRTY, "a308c71bf1e6 mm/gup: Remove enfornced COW mechanism",
                    "AT-TAG 5.9.1"),
            c(DecisionPoint.FORCE_WRITE, "v6.0", Decisions.ForceWrite.ANON_EXCLUSIVE,
                    "5535be309971 mm/gup: fix FOLL_FORCE COW security issue and remove FOLL_COW",
                    "BRACKETED 6.0-rc1 (absent) / 6.0.1 (present); in the 6.0-rc3 shortlog"),

            c(PIN_UNSHARE, "v4.8", PinUnshare.NEVER, BASE, "no FAULT_FLAG_UNSHARE before v5.19"),
            c(PIN_UNSHARE, "v5.19", PinUnshare.ANON_NOT_EXCLUSIVE, "a7f226604170 mm/gup: trigger FAULT_FLAG_UNSHARE when R/O-pinning a possibly "
                    + "shared anonymous page; c89357e27f20", "BRACKETED 5.18.12/5.19.0"),
            c(PIN_UNSHARE, "v6.2", PinUnshare.ALSO_LONGTERM_NON_ANON, "8d6a0ac09a16 mm: extend FAULT_FLAG_UNSHARE support to anything in a COW "
                    + "mapping; 84209e87c696 mm/gup: reliable R/O long-term pinning in COW mappings", "BRACKETED 6.1.20/6.2.1"),

            c(FORK_MAYBE_PINNED, "v4.8", ForkPinned.SHARE, BASE, "AT-TAG 4.9.0 copy_one_pte()"),
            c(FORK_MAYBE_PINNED, "v5.9", ForkPinned.COPY, "70e806e4e645 mm: Do early cow for pinned pages during fork() for ptes; "
                    + "008cfe4418b3 mm: Introduce mm_struct.has_pinned", "AT-TAG 5.9.0; absent 5.8.18"),

            c(ANON_EXCLUSIVE, "v4.8", AnonExclusive.ABSENT, BASE, "no PG_anon_exclusive before v5.19"),
            c(ANON_EXCLUSIVE, "v5.19", AnonExclusive.TRACKED, "6c287605fd56 mm: remember exclusively mapped anonymous pages with PG_anon_exclusive",
                    "BRACKETED 5.18.12/5.19.0"),

            c(SWAP_PTE_EXCLUSIVE, "v4.8", SwapPteExclusive.ABSENT, BASE, "no swp exclusive bit before v5.19"),
            c(SWAP_PTE_EXCLUSIVE, "v5.19", SwapPteExclusive.PRESENT, "1493a1913e34 mm/swap: remember PG_anon_exclusive via a swp pte bit; "
                    + "3e20889cfbee x86/pgtable: support __HAVE_ARCH_PTE_SWP_EXCLUSIVE", "BRACKETED 5.18.12/5.19.0 (riscv64 from v6.3: --arch)"),

            c(SWAP_IN_REUSE, "v4.8", SwapInReuse.REUSE_SWAP_PAGE, BASE, "AT-TAG 4.9.0 do_swap_page()"),
            c(SWAP_IN_REUSE, "v5.18", SwapInReuse.PAGE_COUNT, "c145e0b47c77 mm: streamline COW logic in do_swap_page()", "BRACKETED 5.17-rc5/5.18.12"),
            c(SWAP_IN_REUSE, "v5.19", SwapInReuse.EXCLUSIVE, "6c287605fd56; 1493a1913e34", "BRACKETED 5.18.12/5.19.0"),
            c(SWAP_IN_REUSE, "v6.11", SwapInReuse.EXCLUSIVE_MAP_WRITABLE, "c18160dba5ff mm: swap: reuse exclusive folio directly instead of wp page "
                    + "faults; 20dfa5b7adc5 mm: set pte writable while pte_soft_dirty() is true in do_swap_page()", "BRACKETED 6.10.0/6.11.11; PATCH (v2 diff)"),

            c(SWAP_OUT_PINNED, "v4.8", SwapOutPinned.UNMAP, BASE, "AT-TAG 4.9.0 shrink_page_list()"),
            c(SWAP_OUT_PINNED, "v5.11", SwapOutPinned.KEEP_OUT_OF_SWAPCACHE, "feb889fb40fa mm: don't put pinned pages into the swap cache",
                    "BRACKETED 5.10.7/5.11.0; still in shrink_folio_list() in 7.1.5"),
            c(SWAP_OUT_PINNED, "v5.19", SwapOutPinned.REFUSE, "6c287605fd56 (page_try_share_anon_rmap() in try_to_unmap_one())", "BRACKETED 5.18.12/5.19.0"),

            c(MPROTECT_UPGRADE, "v4.8", MprotectUpgrade.NEVER_PRIVATE, BASE, "AT-TAG 4.8.15 mm/mprotect.c"),
            c(MPROTECT_UPGRADE, "v6.0", MprotectUpgrade.ANON_EXCLUSIVE_DIRTY, "64fe24a3e05e mm/mprotect: try avoiding write faults for exclusive "
                    + "anonymous pages when changing protection", "BRACKETED 5.19.0/6.0.1"),
            c(MPROTECT_UPGRADE, "v6.2", MprotectUpgrade.ANON_EXCLUSIVE, "d84887739d5c mm/mprotect: allow clean exclusive anon pages to be writable",
                    "BRACKETED 6.1.20/6.2.1"),

            c(CLEAR_REFS_PINNED, "v4.8", ClearRefsPinned.WRPROTECT, BASE, "AT-TAG 4.9.0 fs/proc/task_mmu.c"),
            c(CLEAR_REFS_PINNED, "v5.11", ClearRefsPinned.SKIP_MAYBE_PINNED, "9348b73c2e1b mm: don't play games with pinned pages in clear_page_refs",
                    "BRACKETED 5.10.7/5.11.0"),

            c(KSM_WRITE_PROTECT, "v4.8", KsmWriteProtect.REFCOUNT_CHECK, BASE, "AT-TAG 5.9.0 mm/ksm.c"),
            c(KSM_WRITE_PROTECT, "v5.19", KsmWriteProtect.REFCOUNT_CHECK_AND_SHARE, "6c287605fd56 (mm/ksm.c)", "BRACKETED 5.18.12/5.19.0"),

            c(PTE_SPECIAL, "v4.8", PteSpecial.PRESENT, "x86_64 has pte_special (__HAVE_ARCH_PTE_SPECIAL; ARCH_HAS_PTE_SPECIAL from v4.18, 3010a5ea665a)",
                    "AT-TAG 4.8.15 ... 7.1.5 arch/x86"),
            c(SOFT_DIRTY, "v4.8", SoftDirty.PRESENT, "x86_64 has soft-dirty (CONFIG_HAVE_ARCH_SOFT_DIRTY)", "AT-TAG 4.8.15 ... 7.1.5 arch/x86"),

            c(PIN_ACCOUNTING, "v4.8", PinAccounting.GET_REFERENCE, BASE, "no pin_user_pages() before v5.6 (eddb1c228f79)"),
            c(PIN_ACCOUNTING, "v5.7", PinAccounting.PIN_COUNTING_BIAS, "3faa52c03f44 mm/gup: track FOLL_PIN pages",
                    "BRACKETED 5.2.1/5.7.14; PATCH v4 posted 2020-02, after the v5.6 merge window"),

            c(KSM_BREAK_COW, "v4.8", KsmBreakCow.WRITE_FAULT, BASE, "AT-TAG 6.1.20 break_ksm() FAULT_FLAG_WRITE"),
            c(KSM_BREAK_COW, "v6.2", KsmBreakCow.UNSHARE_FAULT, "6cce3314b928 mm/ksm: fix KSM COW breaking with userfaultfd-wp via FAULT_FLAG_UNSHARE",
                    "BRACKETED 6.1.20/6.2.1; id from a list linking the torvalds tree"),

            c(ZEROPAGE_PIN, "v4.8", ZeropagePin.REFCOUNTED, BASE, "AT-TAG 4.9.0, 5.9.1, 5.19.0, 6.4.6 try_grab_page()"),
            c(ZEROPAGE_PIN, "v6.5", ZeropagePin.PIN_SKIPS_ZEROPAGE, "c8070b787519 mm: Don't pin ZERO_PAGE in pin_user_pages()", "BRACKETED 6.4.6/6.5.0"),

            c(ZEROPAGE_INSERT, "v4.8", ZeropageInsert.REFCOUNTED, BASE, "AT-TAG 4.8.15 insert_page()"),
            c(ZEROPAGE_INSERT, "v6.11", ZeropageInsert.SPECIAL, "fce831c92092 mm/memory: cleanly support zeropage in vm_insert_page*(), "
                    + "vm_map_pages*() and vmf_insert_mixed()", "BRACKETED 6.10.0/6.11.11; PATCH (seed 000)"),

            c(PAGES_STAT_WALK, "v4.8", PagesStatWalk.FOLLOW_PAGE_DUMP, BASE, "AT-TAG 4.8.15, 5.19.0, 6.11.11 do_pages_stat_array()"),
            c(PAGES_STAT_WALK, "v6.12", PagesStatWalk.FOLIO_WALK, "aa39ca6940f1 mm/pagewalk: introduce folio_walk_start() + folio_walk_end(); "
                    + "'mm/migrate: convert do_pages_stat_array() from follow_page() to folio_walk' (id not found)", "BRACKETED 6.11.11/6.12.0"),

            c(DAX_HOLE, "v4.8", DaxHole.PAGECACHE_PAGE, BASE, "AT-TAG 4.8.15, 4.12.0 dax_load_hole()"),
            c(DAX_HOLE, "v4.14", DaxHole.ZEROPAGE, "'dax: use common 4k zero page for dax mmap reads' (Ross Zwisler; mainline id not checked)",
                    "BRACKETED 4.12.0/4.14.177; PATCH v3 posted 2017-07-19"),

            c(FSDAX_MIXEDMAP, "v4.8", FsdaxMixedmap.SET, BASE, "AT-TAG 4.8.15, 4.15.18 fs/ext4/file.c"),
            c(FSDAX_MIXEDMAP, "v4.19", FsdaxMixedmap.CLEARED, "e1fb4a086495 dax: remove VM_MIXEDMAP for fsdax and device dax",
                    "BRACKETED 4.18.0/4.19.304; PATCH; committed 2018-08-17"),

            c(FSDAX_LONGTERM, "v4.8", FsdaxLongterm.ALLOWED, BASE, "no FOLL_LONGTERM before v4.15"),
            c(FSDAX_LONGTERM, "v4.15", FsdaxLongterm.REFUSED, "2bb6d2837083 mm: introduce get_user_pages_longterm; from v5.11 in check_vma_flags() "
                    + "(52650c8b466b)", "AT-TAG 4.15.18; absent 4.10.17; 5.11.0 check_vma_flags()"),

            c(SKEYS_ZEROPAGE, "v4.8", SkeysZeropage.ZAP, BASE, "AT-TAG 4.8.15 arch/s390 mm_forbids_zeropage(); fa41ba0d08de between 4.13 and 4.18"),
            c(SKEYS_ZEROPAGE, "v6.10", SkeysZeropage.UNSHARE, "06201e00ee3e s390/mm: Re-enable the shared zeropage for !PV and !skeys KVM guests",
                    "BRACKETED 6.8.0/6.11.11; pushed 2024-04-18, before the v6.10 merge window"),

            c(KSM_ZERO_PAGES, "v4.8", KsmZeroPages.ABSENT, BASE, "AT-TAG 4.10.17 mm/ksm.c has no use_zero_pages"),
            c(KSM_ZERO_PAGES, "v4.11", KsmZeroPages.SPECIAL, "e86c59b1b12d mm/ksm: improve deduplication of zero pages with colouring",
                    "BRACKETED 4.10.17/4.12.0; posted 2017-01, merged in the 4.11 window"),
            c(KSM_ZERO_PAGES, "v6.6", KsmZeroPages.SPECIAL_DIRTY, "e2942062e01d ksm: count all zero pages placed by KSM",
                    "BRACKETED 6.5.0/6.8.0; posting date"),

            c(GUP_FAST, "v4.8", GupFast.BAIL_ON_SPECIAL, BASE, "AT-TAG 4.8.15, 5.7.14, 6.11.11, 7.1.5 gup_pte_range() / gup_fast_pte_range()"),
            c(DecisionPoint.REMAP_PFN_COW_PGOFF, "v4.8", Decisions.RemapPfnCowPgoff.SET, BASE, "AT-TAG 4.8.15 ... 7.1.5 remap_pfn_range()"),
            c(DecisionPoint.STORAGE_KEYS, "v4.8", Decisions.StorageKeys.ABSENT, "x86_64 has no storage keys", "arch/s390 only"),

            c(DecisionPoint.THP_WP_REUSE, "v4.8", Decisions.ThpWpReuse.MAPCOUNT_COPY_THP, BASE, "AT-TAG 5.7.14 do_huge_pmd_wp_page()"),
            c(DecisionPoint.THP_WP_REUSE, "v5.8", Decisions.ThpWpReuse.MAPCOUNT_SPLIT, "3917c80280c9 thp: change CoW semantics for anon-THP",
                    "BRACKETED 5.7.14/5.8.1; Fixes: tag in PATCHv4 7/8 (2020-04)"),
            c(DecisionPoint.THP_WP_REUSE, "v5.18", Decisions.ThpWpReuse.PAGE_COUNT_SPLIT, "3bff7e3f1f16 mm/huge_memory: streamline COW logic in do_huge_pmd_wp_page()",
                    "PATCH diff; in a revlist pushed with the 5.18-rc1 merges (2022-04-04); no 5.18 tree (BRACKETED 5.17-rc5/5.19.0)"),
            c(DecisionPoint.THP_WP_REUSE, "v5.19", Decisions.ThpWpReuse.ANON_EXCLUSIVE_SPLIT, "6c287605fd56 mm: remember exclusively mapped anonymous pages with PG_anon_exclusive",
                    "BRACKETED 5.17-rc5/5.19.0; AT-TAG 5.19.0 ... 7.1.3"),
            c(DecisionPoint.HUGE_ZERO_WP, "v4.8", Decisions.HugeZeroWp.ALLOC_THP, BASE, "AT-TAG 5.7.14 do_huge_pmd_wp_page() on is_huge_zero_pmd()"),
            c(DecisionPoint.HUGE_ZERO_WP, "v5.8", Decisions.HugeZeroWp.SPLIT, "3917c80280c9 thp: change CoW semantics for anon-THP", "BRACKETED 5.7.14/5.8.1"),
            c(DecisionPoint.HUGE_ZERO_WP, "v6.13", Decisions.HugeZeroWp.ALLOC_THP, "1ced09e0331f mm: allocate THP on hugezeropage wp-fault",
                    "BRACKETED 6.12.0/6.13.2; commit id quoted in a later fix"),
            c(DecisionPoint.LARGE_ANON_REUSE, "v4.8", Decisions.LargeAnonReuse.AS_SMALL, BASE, "AT-TAG 5.7.14, 5.19.0, 6.8.0 do_wp_page()"),
            c(DecisionPoint.LARGE_ANON_REUSE, "v6.9", Decisions.LargeAnonReuse.NEVER, "781a3ca5c345 mm: prohibit the last subpage from reusing the entire large folio",
                    "BRACKETED 6.8.0/6.11.11; listed in the 'MM updates for 6.9-rc1' pull; id from revlists"),
            c(DecisionPoint.LARGE_ANON_REUSE, "v6.15", Decisions.LargeAnonReuse.MM_ID, "mm: COW reuse support for PTE-mapped THP with CONFIG_MM_ID (mainline id not established)",
                    "BRACKETED 6.14.0/6.17.0 (__wp_can_reuse_large_anon_folio); series posted 2025-03-03, before the 6.15 merge window (inferred)"),
            c(DecisionPoint.THP_SWAPOUT, "v4.8", Decisions.ThpSwapout.SPLIT_ALWAYS, BASE, "AT-TAG 4.8.15, 4.12.0, 4.13.4 shrink_page_list() ('We don't support THP writes')"),
            c(DecisionPoint.THP_SWAPOUT, "v4.14", Decisions.ThpSwapout.SPLIT_IF_NO_PMD, "mm, THP, swap: swap out THP as a whole (Huang Ying; mainline id not established)",
                    "BRACKETED 4.13.4/4.14.177 ('Split pages without a PMD map right away' and no forced split); 4.14.177 is a late stable"),
            c(DecisionPoint.THP_SWAPOUT, "v6.10", Decisions.ThpSwapout.SPLIT_IF_PARTIALLY_MAPPED, "mm: vmscan: avoid split during shrink_folio_list() (Ryan Roberts; only linux-next ids found)",
                    "BRACKETED 6.8.0/6.11.11; v6 posted 2024-04, merged for the 6.10 window (inferred)"),
            c(DecisionPoint.COLLAPSE_REFCOUNT, "v4.8", Decisions.CollapseRefcount.NO_COMPOUND_NO_SHARED, BASE, "AT-TAG 5.7.14 __collapse_huge_page_isolate()"),
            c(DecisionPoint.COLLAPSE_REFCOUNT, "v5.8", Decisions.CollapseRefcount.REFCOUNT_MATCHES_MAPCOUNT, "khugepaged: allow to collapse PTE-mapped compound pages and shared pages (Kirill Shutemov's 2020 series; id not established)",
                    "BRACKETED 5.7.14/5.8.1 (is_refcount_suitable)"),
            c(DecisionPoint.COLLAPSE_WRITABLE, "v4.8", Decisions.CollapseWritable.REQUIRED, BASE, "AT-TAG 5.7.14 ... 6.14.0, 6.17.0 SCAN_PAGE_RO"),
            c(DecisionPoint.COLLAPSE_WRITABLE, "v6.18", Decisions.CollapseWritable.NOT_REQUIRED, "khugepaged: the writable PTE requirement dropped (commit not identified)",
                    "BRACKETED 6.17.0 (an experimental fork whose mm looked upstream)/6.18.2"),
            c(DecisionPoint.HUGETLB_FORK_PINNED, "v4.8", Decisions.HugetlbForkPinned.SHARE, BASE, "AT-TAG 5.7.14, 5.9.1, 5.10.7, 5.11.0 copy_hugetlb_page_range()"),
            c(DecisionPoint.HUGETLB_FORK_PINNED, "v5.12", Decisions.HugetlbForkPinned.COPY, "4eae4efa2c29 hugetlb: do early cow when page pinned on src mm",
                    "BRACKETED 5.11.0/5.12.9; PATCH v5 5/5 posted 2021-02-17"),
            c(DecisionPoint.DEVICE_EXCLUSIVE, "v4.8", Decisions.DeviceExclusive.ABSENT, BASE, "no make_device_exclusive_range() in 5.12.9"),
            c(DecisionPoint.DEVICE_EXCLUSIVE, "v5.14", Decisions.DeviceExclusive.DROP_MAPCOUNT, "mm: device exclusive memory access (Alistair Popple; id not established)",
                    "BRACKETED 5.12.9/5.14-rc5; AT-TAG 5.19.0, 6.14.0 page_make_device_exclusive_one()"),
            c(DecisionPoint.DEVICE_EXCLUSIVE, "v6.15", Decisions.DeviceExclusive.KEEP_MAPCOUNT, "mm/rmap: make_device_exclusive() rework (David Hildenbrand, 2025; id not established)",
                    "BRACKETED 6.14.0/6.17.0 (make_device_exclusive()); posted early 2025 (inferred v6.15)"),
            c(DecisionPoint.MIGRATION_ENTRY_FORK, "v4.8", Decisions.MigrationEntryFork.MAKE_READABLE, BASE,
                    "AT-TAG 5.7.14 copy_one_pte(), 5.19.0 and 7.1.3 copy_nonpresent_pte() (readable-exclusive case from 6c287605fd56)"),
            c(DecisionPoint.PMD_SPLIT_EXCLUSIVE, "v4.8", Decisions.PmdSplitExclusive.PROPAGATE, BASE,
                    "AT-TAG 5.19.0 ... 7.1.3 __split_huge_pmd_locked() (no PG_anon_exclusive to propagate before v5.19)"),

            c(DecisionPoint.UFFD_WP, "v4.8", Decisions.UffdWp.ABSENT, BASE, "no UFFDIO_WRITEPROTECT before v5.7"),
            c(DecisionPoint.UFFD_WP, "v5.7", Decisions.UffdWp.ANON, "the uffd-wp series: 529b930b87d9 userfaultfd: wp: hook userfault handler to write protection fault; f45ec5ff16a7 userfaultfd: wp: support swap and page migration; b569a1760782",
                    "AT-TAG 5.7.14 vma_can_userfault() (anon only for WP); series v6 cover Feb 2020"),
            c(DecisionPoint.UFFD_WP, "v5.19", Decisions.UffdWp.ANON_SHMEM, "b1f9e876862d mm/uffd: enable write protection for shmem & hugetlbfs; 1db9dbc2ef05 mm/uffd: PTE_MARKER_UFFD_WP",
                    "BRACKETED 5.17-rc5/5.19.0; the whole PTE-marker series in the 5.19 mainline list"),
            c(DecisionPoint.UFFD_WP_UNPOPULATED, "v4.8", Decisions.UffdWpUnpopulated.ABSENT, BASE, "AT-TAG 6.2.12 (no WP_UNPOPULATED)"),
            c(DecisionPoint.UFFD_WP_UNPOPULATED, "v6.4", Decisions.UffdWpUnpopulated.AVAILABLE, "2bad466cc9d9 mm/uffd: UFFD_FEATURE_WP_UNPOPULATED",
                    "BRACKETED 6.2.12/6.4.6; v3 posted 2023-03-06, after the 6.3 merge window"),
            c(DecisionPoint.UFFD_WP_ASYNC, "v4.8", Decisions.UffdWpAsync.ABSENT, BASE, "AT-TAG 6.5.0 (no WP_ASYNC)"),
            c(DecisionPoint.UFFD_WP_ASYNC, "v6.7", Decisions.UffdWpAsync.AVAILABLE, "d61ea1cb0095 userfaultfd: UFFD_FEATURE_WP_ASYNC",
                    "BRACKETED 6.5.0/6.8.0; landed with PAGEMAP_SCAN (52526ca7fdb9), first tag inferred"),
            c(DecisionPoint.UFFD_WP_FORK, "v4.8", Decisions.UffdWpFork.SRC_VMA, BASE, "AT-TAG 5.7.14, 5.10.7, 5.12.9 copy_present_pte()/copy_one_pte() (b569a1760782)"),
            c(DecisionPoint.UFFD_WP_FORK, "v5.14", Decisions.UffdWpFork.DST_VMA, "8f34f1eac382 mm/userfaultfd: fix uffd-wp special cases for fork()",
                    "BRACKETED 5.12.9/5.14-rc5; stable mail says 5.13.y lacks it"),
            c(DecisionPoint.UFFD_MARKER_FORK, "v4.8", Decisions.UffdMarkerFork.COPY, BASE, "no markers before v5.19; AT-TAG 5.19.0 copy_nonpresent_pte() (c56d1b62cce8)"),
            c(DecisionPoint.UFFD_MARKER_FORK, "v6.2", Decisions.UffdMarkerFork.DST_VMA, "49d6d7fb6313 mm/uffd: fix pte marker when fork() without fork event",
                    "BRACKETED 6.1-rc7/6.2.12; committed 2023-01-18 after v6.2-rc4"),
            c(DecisionPoint.UFFD_SHMEM_WRITENOTIFY, "v4.8", Decisions.UffdShmemWritenotify.NO, BASE, "AT-TAG 5.19.0, 6.1-rc7 vma_wants_writenotify()"),
            c(DecisionPoint.UFFD_SHMEM_WRITENOTIFY, "v6.2", Decisions.UffdShmemWritenotify.YES, "51d3d5eb74ff mm/userfaultfd: enable writenotify while userfaultfd-wp is enabled for a VMA",
                    "BRACKETED 6.1-rc7/6.2.12; in the mainline list between 6.2-rc3 and rc4"),
            c(DecisionPoint.UFFD_THP_MIGRATION, "v4.8", Decisions.UffdThpMigration.LOSE, BASE, "AT-TAG 5.7.14, 6.2.12 set_pmd_migration_entry()"),
            c(DecisionPoint.UFFD_THP_MIGRATION, "v6.3", Decisions.UffdThpMigration.KEEP, "24bf08c4376b mm/userfaultfd: fix uffd-wp handling for THP migration entries",
                    "BRACKETED 6.2.12/6.4.6; mainline after v6.3-rc7"),
            c(DecisionPoint.UFFD_HUGE_ZERO_SPLIT, "v4.8", Decisions.UffdHugeZeroSplit.LOSE, BASE, "AT-TAG 6.1-rc7 __split_huge_zero_page_pmd()"),
            c(DecisionPoint.UFFD_HUGE_ZERO_SPLIT, "v6.2", Decisions.UffdHugeZeroSplit.KEEP, "__split_huge_zero_page_pmd() copies the uffd-wp bit (commit not identified)",
                    "BRACKETED 6.1-rc7/6.2.12"),
            c(DecisionPoint.UFFD_RESOLVE, "v4.8", Decisions.UffdResolve.READ_ONLY, BASE, "AT-TAG 5.7.14 ... 6.2.12 change_pte_range() MM_CP_UFFD_WP_RESOLVE"),
            c(DecisionPoint.UFFD_RESOLVE, "v6.3", Decisions.UffdResolve.TRY_WRITABLE, "mm/userfaultfd: rely on vma->vm_page_prot in uffd_wp_range() (id not established)",
                    "BRACKETED 6.2.12/6.4.6; in the Dec 2022 mm-unstable list"),
            c(DecisionPoint.UFFD_UNREGISTER, "v4.8", Decisions.UffdUnregister.KEEP, BASE, "AT-TAG 5.19.0 userfaultfd_unregister()"),
            c(DecisionPoint.UFFD_UNREGISTER, "v6.0", Decisions.UffdUnregister.RESET, "f369b07c8614 mm/uffd: reset write protection when unregister with wp-mode",
                    "BRACKETED 6.0-rc1/6.1-rc7; authored 2022-08-11 in the 6.0 hotfix batch"),
            c(DecisionPoint.UFFD_CONTINUE_DIRTY, "v4.8", Decisions.UffdContinueDirty.IF_WRITABLE, BASE,
                    "AT-TAG 5.15.55 and 5.15.16 (stable) mm/userfaultfd.c mfill_atomic_install_pte()"),
            c(DecisionPoint.UFFD_CONTINUE_DIRTY, "v5.16", Decisions.UffdContinueDirty.ALWAYS,
                    "9ae0f87d009c mm/shmem: unconditionally set pte dirty in mfill_atomic_install_pte",
                    "BRACKETED 5.15.55 (absent) / 5.17-rc5 (present); posted 2021-09-01, after the v5.15 merge window; no v5.16 tree read"),
            c(DecisionPoint.USERPTR_INVALIDATE, "v4.8", Decisions.UserptrInvalidate.DROP_PAGES, BASE,
                    "AT-TAG 4.8.15, 4.19.304, 5.7.14, 5.9.1, 5.12.9 (stable trees) i915_gem_userptr.c"),
            c(DecisionPoint.USERPTR_INVALIDATE, "v5.13", Decisions.UserptrInvalidate.WAIT_KEEP_PINS,
                    "ed29c2691188 drm/i915: Fix userptr so we do not have to worry about obj->mm.lock, v7.",
                    "BRACKETED 5.12.9 (absent) / 5.14-rc5 (present); a stable mail fixing it says 'Cc: stable # v5.13+'"),
            c(DecisionPoint.USERPTR_INVALIDATE, "v6.9", Decisions.UserptrInvalidate.NO_WAIT,
                    "86ceaaaec597 drm/i915/gem: Atomically invalidate userptr on mmu-notifier",
                    "BRACKETED 6.8.0 (waits) / 6.11.11 (does not); in drm-intel-gt-next-2024-02-15, pulled for the v6.9 merge window; no 6.9 tree read"),
            c(DecisionPoint.USERPTR_SUBMIT_CHECK, "v4.8", Decisions.UserptrSubmitCheck.RETRY, BASE,
                    "AT-TAG 5.15.55 and 7.1.3 eb_move_to_gpu(); before v5.13 the invalidation drops the pages, which submit then lacks"),
            c(DecisionPoint.USERPTR_PROBE, "v4.8", Decisions.UserptrProbe.ABSENT, BASE, "AT-TAG 5.14-rc5 (no I915_USERPTR_PROBE)"),
            c(DecisionPoint.USERPTR_PROBE, "v5.15", Decisions.UserptrProbe.AVAILABLE, "I915_USERPTR_PROBE (Matthew Auld; commit id not read)",
                    "BRACKETED 5.14-rc5 (absent) / 5.15.55 (present)"),
            c(DecisionPoint.GUP_FAST_FORK, "v4.8", Decisions.GupFastFork.UNGUARDED, BASE,
                    "AT-TAG 5.9.1 (stable) mm/gup.c: no write_protect_seq"),
            c(DecisionPoint.GUP_FAST_FORK, "v5.11", Decisions.GupFastFork.WRITE_PROTECT_SEQ,
                    "57efa1fe5957 mm/gup: prevent gup_fast from racing with COW during fork",
                    "BRACKETED 5.9.1 (absent) / 5.11.0 (present: lockless_pages_from_mm(), copy_page_range()); 5.10.7 has it as a stable "
                            + "backport (5.10.y changelog), v5.10.0 not read"),
            c(DecisionPoint.GUP_FAST_COLLAPSE, "v4.8", Decisions.GupFastCollapse.UNGUARDED, BASE,
                    "AT-TAG 6.0-rc1 mm/gup.c gup_pte_range() (no PMD re-check)"),
            c(DecisionPoint.GUP_FAST_COLLAPSE, "v6.0", Decisions.GupFastCollapse.PMD_RECHECK,
                    "70cbc3cc78a9 mm: gup: fix the fast GUP race against THP collapse",
                    "BRACKETED 6.0-rc1 (absent) / 6.0.1, 6.0.8 (present); read in the patch (Yang Shi, 2022-09-01); first tag v6.0 from the "
                            + "mm-hotfixes timing, not read at the tag"),
            c(DecisionPoint.GUP_FAST_COLLAPSE, "v6.1", Decisions.GupFastCollapse.PMD_RECHECK_IPI,
                    "2ba99c5e0881 mm/khugepaged: fix GUP-fast interaction by sending IPI",
                    "BRACKETED 6.1-rc7 (absent) / 6.1.15, 6.1.20 (present: tlb_remove_table_sync_one() in collapse_huge_page()); "
                            + "listed in the Linux 6.1-rc8 shortlog"),
            c(DecisionPoint.GUP_FAST_UNMAP, "v4.8", Decisions.GupFastUnmap.UNORDERED, BASE,
                    "AT-TAG 6.0.1 (stable) include/linux/rmap.h page_try_share_anon_rmap(): no smp_mb()"),
            c(DecisionPoint.GUP_FAST_UNMAP, "v6.1", Decisions.GupFastUnmap.MB_ORDERED,
                    "088b8aa537c2 mm: fix PageAnonExclusive clearing racing with concurrent RCU GUP-fast",
                    "BRACKETED 6.0.1, 6.0.8 (absent) / 6.1-rc7 (present: smp_mb() in page_try_share_anon_rmap(), "
                            + "smp_mb__after_atomic() in gup_pte_range()); the commit message was not read"),
            c(DecisionPoint.FORCE_WRITE_PMD, "v4.8", Decisions.ForceWritePmd.NO_COW_ESCAPE, BASE,
                    "AT-TAG 4.9.0 mm/huge_memory.c follow_trans_huge_pmd() (no can_follow_write_pmd)"),
            c(DecisionPoint.FORCE_WRITE_PMD, "v4.10", Decisions.ForceWritePmd.COW_DIRTY,
                    "8310d48b125d mm/huge_memory.c: respect FOLL_FORCE/FOLL_COW for thp",
                    "BRACKETED 4.9.0 (absent) / 4.10.17 (present; stable, 4.9.76 has the backport)"),
            c(DecisionPoint.TOUCH_PMD, "v4.8", Decisions.TouchPmd.ALWAYS_DIRTY, BASE,
                    "AT-TAG 4.8.15, 4.9.0, 4.10.17, 4.13.4 mm/huge_memory.c touch_pmd()"),
            c(DecisionPoint.TOUCH_PMD, "v4.15", Decisions.TouchPmd.DIRTY_IF_WRITE,
                    "a8f97366452e mm, thp: Do not make page table dirty unconditionally in touch_p[mu]d()",
                    "BRACKETED 4.13.4 (absent) / 4.15.0 (present, T4.15 commit 6ea06264896d); v4.14.0 not read (4.14.177 has the backport)"),
            c(DecisionPoint.THP_SPLIT_LOCK, "v4.8", Decisions.ThpSplitLock.RACY, BASE,
                    "read in the patch (the removed lines); the stable 5.7.14 tree already carries the backport"),
            c(DecisionPoint.THP_SPLIT_LOCK, "v5.8", Decisions.ThpSplitLock.PAGE_LOCK,
                    "c444eb564fb1 mm: thp: make the THP mapcount atomic against __split_huge_pmd_locked()",
                    "present in 5.8.1; posted to 5.7-stable on 2020-06-19 as 'commit c444eb564fb1 upstream', so after v5.7.0; "
                            + "v5.7.0 and v5.8.0 not read"),
            c(DecisionPoint.HMM_MIRROR, "v4.8", Decisions.HmmMirror.ABSENT, BASE,
                    "AT-TAG 5.0.1, 5.1.15 include/linux/mmu_notifier.h (no mmu_interval_notifier_insert)"),
            c(DecisionPoint.HMM_MIRROR, "v5.5", Decisions.HmmMirror.READ_RETRY,
                    "99cb252f5e68 mm/mmu_notifier: add an interval tree notifier",
                    "BRACKETED 5.1.15 (absent) / 5.8.1 (present); v5.5 from the series' merge window (the commit id from the "
                            + "hmm_mirror removal series, not read); no 5.2-5.7.0 tree read"),
            c(DecisionPoint.SWAPOFF_BITS, "v4.8", Decisions.SwapoffBits.LOSE, BASE, "AT-TAG 5.17.0 and 5.18.12 mm/swapfile.c unuse_pte()"),
            c(DecisionPoint.SWAPOFF_BITS, "v5.19", Decisions.SwapoffBits.KEEP, "14a762dd1977 mm/swapfile: fix lost swap bits in unuse_pte()",
                    "BRACKETED 5.18.12/5.19.0 (read in both trees); mainline id from an mm-commits list next to 9f186f9e5fa9"),
            c(DecisionPoint.UFFD_COLLAPSE, "v4.8", Decisions.UffdCollapse.REFUSE, BASE,
                    "e1e267c7928f khugepaged: skip collapse if uffd-wp detected (v5.7, with uffd-wp; AT-TAG 5.7.14 khugepaged_scan_pmd())"));

    /** The choice every point makes in release r. */
    public static Profile at(Release r) {
        if (r.compareTo(OLDEST) < 0 || r.compareTo(NEWEST) > 0) {
            throw new IllegalArgumentException(r + " is outside the timeline (" + OLDEST + ".." + NEWEST + ")");
        }
        Map<DecisionPoint<?>, Decision> choices = new LinkedHashMap<>();
        for (DecisionPoint<?> p : DecisionPoint.ALL) {
            Decision d = null;
            for (Change c : CHANGES) {
                if (c.point == p && c.since.compareTo(r) <= 0) d = c.choice;
            }
            if (d == null) throw new IllegalStateException("the timeline has no entry for " + p.name() + " at " + r);
            choices.put(p, d);
        }
        return new Profile(r.toString(), r.toString(), ImmutableMap.copyOf(choices));
    }

    /** What took effect in release r, in decision-point order. */
    public static List<Change> changesIn(Release r) {
        List<Change> out = new ArrayList<>();
        for (DecisionPoint<?> p : DecisionPoint.ALL) {
            for (Change c : CHANGES) {
                if (c.point == p && c.since.equals(r)) out.add(c);
            }
        }
        return out;
    }

    /** The change that put point p into its choice at release r. */
    public static Change changeFor(DecisionPoint<?> p, Release r) {
        Change found = null;
        for (Change c : CHANGES) {
            if (c.point == p && c.since.compareTo(r) <= 0) found = c;
        }
        return found;
    }

    public static Optional<Release> release(String tag) {
        try {
            Release r = Release.parse(tag);
            return RELEASES.contains(r) ? Optional.of(r) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
