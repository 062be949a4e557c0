package dev.mmcheck.model.profile;

/**
 * The decision points in which kernel eras differ, each an enum of the behaviours the kernel has had.
 * A {@link Profile} picks one choice per point. Citations marked [M] were not read in the source at the
 * cited version; see model/README.md "Fidelity" for how each was checked.
 */
public final class Decisions {
    private Decisions() {
    }

    /** How do_wp_page() decides whether a write fault on a R/O-mapped anon page may reuse it. */
    public enum WpReuse implements Decision {
        REUSE_SWAP_PAGE_KSM_COPIED("mm/memory.c: do_wp_page() -> mm/swapfile.c: reuse_swap_page(): reuse iff !PageKsm && mapcount + swapcount <= 1, refcount ignored; a KSM page is always copied (v4.8-v5.0)"),
        REUSE_SWAP_PAGE("mm/memory.c: do_wp_page() -> mm/swapfile.c: reuse_swap_page(): reuse iff !PageKsm && mapcount + swapcount <= 1, refcount ignored; reuse_ksm_page() reuses a KSM page mapped once with page_count 1 (v5.1-v5.8)"),
        PAGE_COUNT("mm/memory.c: do_wp_page(): reuse iff !PageKsm && page_count == 1 (commit 09854ba94c6a, v5.9-v5.17)"),
        PAGE_COUNT_FREE_SWAP("mm/memory.c: do_wp_page(): page_count > 1 + PageSwapCache -> copy; try_to_free_swap(); reuse iff page_count == 1 (commits 53a05ad9f21d, d4c470970d45, v5.18)"),
        ANON_EXCLUSIVE("mm/memory.c: do_wp_page(): PageAnonExclusive -> reuse; else the v5.18 refcount rule, then page_move_anon_rmap() sets it (commit 6c287605fd56, v5.19+)");

        private final String citation;

        WpReuse(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Whether GUP without FOLL_WRITE breaks COW in a COW mapping. */
    public enum GupCowBreak implements Decision {
        ONLY_FOLL_WRITE("mm/gup.c: follow_page_pte()/faultin_page(): only FOLL_WRITE faults with FAULT_FLAG_WRITE; a R/O GUP takes the page as mapped (v5.7, and v5.9+ after revert a308c71bf1e6)"),
        GET_OR_PIN_IN_COW_MAPPING("mm/gup.c: should_force_cow_break(): is_cow_mapping && (FOLL_GET|FOLL_PIN) adds FOLL_WRITE (commit 17839856fd58, v5.8 only)");

        private final String citation;

        GupCowBreak(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** How a FOLL_FORCE|FOLL_WRITE GUP (/proc/PID/mem, ptrace) takes a R/O PTE in a private VMA without VM_WRITE. */
    public enum ForceWrite implements Decision {
        DROP_FOLL_WRITE("mm/gup.c: faultin_page(): after VM_FAULT_WRITE in a VMA without VM_WRITE, foll_flags &= ~FOLL_WRITE and "
                + "retry: the next follow_page_pte() takes whatever is mapped then (v4.8 and before; the Dirty COW race)"),
        FOLL_COW_DIRTY("mm/gup.c: faultin_page() sets FOLL_COW after VM_FAULT_WRITE in a VMA without VM_WRITE; "
                + "can_follow_write_pte(): pte_write || (FOLL_FORCE && FOLL_COW && pte_dirty) (19be0eaffa3a, v4.9-v5.7; "
                + "again from a308c71bf1e6, v5.9-v5.19)"),
        FOLL_COW_DIRTY_NO_FORCE("mm/gup.c: can_follow_write_pte(): pte_write || (FOLL_COW && pte_dirty), FOLL_FORCE not "
                + "needed (17839856fd58, v5.8 only)"),
        ANON_EXCLUSIVE("mm/gup.c: can_follow_write_pte(): pte_write, or FOLL_FORCE in a private VMA with VM_MAYWRITE and without "
                + "VM_WRITE on a PageAnonExclusive anon page with no soft-dirty or uffd-wp protection pending; FOLL_COW gone "
                + "(5535be309971, v6.0+)");

        private final String citation;

        ForceWrite(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** When a R/O FOLL_PIN must first unshare the page (FAULT_FLAG_UNSHARE). */
    public enum PinUnshare implements Decision {
        NEVER("no FAULT_FLAG_UNSHARE before v5.19: a R/O pin takes whatever page is mapped"),
        ANON_NOT_EXCLUSIVE("mm/internal.h: gup_must_unshare(): FOLL_PIN without FOLL_WRITE on an anon page that is !PageAnonExclusive (commit a7f226604170, v5.19-v6.1); do_wp_page() unshare of a non-anon page does nothing"),
        ALSO_LONGTERM_NON_ANON("mm/internal.h: gup_must_unshare(): also !anon pages (zeropage, pagecache) for FOLL_LONGTERM in COW mappings; do_wp_page() unshare copies them (commit 8d6a0ac09a16, v6.2+)");

        private final String citation;

        PinUnshare(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** What fork() does with an anon page that may be pinned. */
    public enum ForkPinned implements Decision {
        SHARE("mm/memory.c: copy_one_pte(): every anon page is shared R/O with the child, pinned or not (v5.7, v5.8)"),
        COPY("mm/memory.c: copy_present_pte() -> copy_present_page(): if src mm has_pinned and page_maybe_dma_pinned(), the child gets a copy now (commit 70e806e4e645, v5.9+; via page_try_dup_anon_rmap() from v5.19)");

        private final String citation;

        ForkPinned(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Whether the kernel tracks PG_anon_exclusive. */
    public enum AnonExclusive implements Decision {
        ABSENT("no PG_anon_exclusive before v5.19"),
        TRACKED("include/linux/page-flags.h: PG_anon_exclusive; set by page_add_new_anon_rmap()/page_move_anon_rmap(), cleared only by page_try_dup_anon_rmap()/page_try_share_anon_rmap() (commit 6c287605fd56, v5.19+)");

        private final String citation;

        AnonExclusive(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Whether a swap PTE remembers that the page was exclusive. */
    public enum SwapPteExclusive implements Decision {
        ABSENT("no swap PTE exclusive bit: swap-out forgets exclusivity (before v5.19, or an arch without __HAVE_ARCH_PTE_SWP_EXCLUSIVE)"),
        PRESENT("mm/rmap.c: try_to_unmap_one(): pte_swp_mkexclusive() if the page was exclusive (commit 1493a1913e34, v5.19+ on x86_64)");

        private final String citation;

        SwapPteExclusive(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** How do_swap_page() decides to map the swapped-in page writable (and exclusive). */
    public enum SwapInReuse implements Decision {
        REUSE_SWAP_PAGE("mm/memory.c: do_swap_page(): FAULT_FLAG_WRITE && reuse_swap_page() (mapcount + swapcount <= 1) maps it writable (v5.7-v5.17)"),
        PAGE_COUNT("mm/memory.c: do_swap_page(): FAULT_FLAG_WRITE && !PageKsm && page_count == 1 after should_try_to_free_swap() (commit c145e0b47c77, v5.18)"),
        EXCLUSIVE("mm/memory.c: do_swap_page(): exclusive = pte_swp_exclusive(); swap_free(), should_try_to_free_swap(); if !Ksm && (exclusive || page_count == 1): RMAP_EXCLUSIVE, writable only on FAULT_FLAG_WRITE (v5.19-v6.10)"),
        EXCLUSIVE_MAP_WRITABLE("mm/memory.c: do_swap_page(): if !Ksm && (exclusive || refcount == 1): RMAP_EXCLUSIVE and pte_mkwrite() if VM_WRITE and no soft-dirty/uffd-wp fault is wanted, even on a read fault; swapcache freed after mapping (c18160dba5ff, 20dfa5b7adc5, v6.11+)");

        private final String citation;

        SwapInReuse(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Whether reclaim may unmap an exclusive anon page that may be pinned. */
    public enum SwapOutPinned implements Decision {
        UNMAP("mm/rmap.c: try_to_unmap_one(): no pin check; the pinned page stays in the swapcache because of its extra references (before v5.11)"),
        KEEP_OUT_OF_SWAPCACHE("mm/vmscan.c: shrink_page_list(): an anon page not yet in the swapcache that page_maybe_dma_pinned() is kept, never added to swap (feb889fb40fa, v5.11-v5.18); one already in the swapcache is still unmapped"),
        REFUSE("mm/vmscan.c: shrink_folio_list() keeps a maybe-pinned anon folio out of the swapcache (feb889fb40fa), and mm/rmap.c: try_to_unmap_one(): page_try_share_anon_rmap() fails if maybe pinned: restore the PTE and abort (6c287605fd56, v5.19+)");

        private final String citation;

        SwapOutPinned(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Whether mprotect(PROT_WRITE) may map a private anon page writable without a fault. */
    public enum MprotectUpgrade implements Decision {
        NEVER_PRIVATE("mm/mprotect.c: change_pte_range(): private PTEs get vm_page_prot (R/O); only dirty-accountable shared PTEs are made writable (before v6.0)"),
        ANON_EXCLUSIVE_DIRTY("mm/mprotect.c: can_change_pte_writable(): only a dirty PTE; private: PageAnon && PageAnonExclusive, unless soft-dirty tracking wants a fault (64fe24a3e05e, v6.0-v6.1)"),
        ANON_EXCLUSIVE("mm/mprotect.c: can_change_pte_writable(): private: PageAnon && PageAnonExclusive, clean or dirty; shared: pte_dirty; unless soft-dirty tracking wants a fault (d84887739d5c, v6.2+)"),
        ANY_ANON("not a kernel release: can_change_pte_writable() without the PageAnonExclusive test, i.e. the bug cow.c 'Basic COW after fork() with mprotect() optimization' guards against"),
        ANY_PAGE("not a kernel release: can_change_pte_writable() without its vm_normal_page()/PageAnon test, so the zeropage's special PTE is upgraded too"),
        FOLIO_NOT_MAPPED_SHARED("not a kernel release: a 2025 mprotect batching patch under review that upgraded the PTEs of a large anon folio when !folio_maybe_mapped_shared() instead of testing PageAnonExclusive per page (David Hildenbrand: cow.c would catch it)");

        private final String citation;

        MprotectUpgrade(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Whether clear_refs soft-dirty write-protects pinned pages. */
    public enum ClearRefsPinned implements Decision {
        WRPROTECT("fs/proc/task_mmu.c: clear_soft_dirty(): write-protect every present PTE"),
        SKIP_MAYBE_PINNED("fs/proc/task_mmu.c: clear_soft_dirty(): pte_is_pinned() leaves writable, maybe-pinned PTEs of COW mappings in mms that have pinned alone (commit 9348b73c2e1b, v5.11; still present in v6.18)");

        private final String citation;

        ClearRefsPinned(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** What KSM's write_protect_page() checks before it may merge a page. */
    public enum KsmWriteProtect implements Decision {
        REFCOUNT_CHECK("mm/ksm.c: write_protect_page(): refuse if page_mapcount + 1 + PageSwapCache != page_count (extra GUP references)"),
        REFCOUNT_CHECK_AND_SHARE("mm/ksm.c: write_protect_page(): also page_try_share_anon_rmap() on an exclusive page, refused if maybe pinned (v5.19+)"),
        NO_SHARE("not a kernel release: v5.19+ write_protect_page() without clearing PG_anon_exclusive (page_try_share_anon_rmap() reverted)");

        private final String citation;

        KsmWriteProtect(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Whether the arch has a PTE special bit (CONFIG_ARCH_HAS_PTE_SPECIAL): the zeropage is mapped pte_mkspecial(). */
    public enum PteSpecial implements Decision {
        PRESENT("mm/memory.c: do_anonymous_page() maps the zeropage with pte_mkspecial(); vm_normal_page() and GUP-fast recognise it by the bit (CONFIG_ARCH_HAS_PTE_SPECIAL)"),
        ABSENT("no CONFIG_ARCH_HAS_PTE_SPECIAL: pte_mkspecial() is a no-op, vm_normal_page() recognises the zeropage by is_zero_pfn() only and GUP-fast is unavailable (seed: 'mm/memory: ... zeropage ... without CONFIG_ARCH_HAS_PTE_SPECIAL')");

        private final String citation;

        PteSpecial(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Whether the arch tracks soft-dirty (CONFIG_HAVE_ARCH_SOFT_DIRTY, so CONFIG_MEM_SOFT_DIRTY can be set). */
    public enum SoftDirty implements Decision {
        PRESENT("fs/proc/task_mmu.c: clear_soft_dirty() write-protects and clears the PTE soft-dirty bit (CONFIG_MEM_SOFT_DIRTY)"),
        ABSENT("no CONFIG_MEM_SOFT_DIRTY: PTEs have no soft-dirty bit, clear_soft_dirty() is an empty stub and VM_SOFTDIRTY is 0");

        private final String citation;

        SoftDirty(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** How FOLL_PIN is accounted on a small folio. */
    public enum PinAccounting implements Decision {
        GET_REFERENCE("no FOLL_PIN accounting: pin_user_pages*() does not exist before v5.6 (eddb1c228f79) and takes a plain page reference in v5.6; the model runs a pin as the get_user_pages() call drivers made (+1)"),
        PIN_COUNTING_BIAS("mm/gup.c: try_grab_page(FOLL_PIN) adds GUP_PIN_COUNTING_BIAS (1024) to a small folio's refcount; page_maybe_dma_pinned() reads it (3faa52c03f44, v5.7+)");

        private final String citation;

        PinAccounting(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Which fault KSM's break_cow()/break_ksm() raises to unshare a page it could not merge. */
    public enum KsmBreakCow implements Decision {
        WRITE_FAULT("mm/ksm.c: break_ksm(): handle_mm_fault(FAULT_FLAG_WRITE) on the KSM page (before v6.2)"),
        UNSHARE_FAULT("mm/ksm.c: break_ksm(): handle_mm_fault(FAULT_FLAG_UNSHARE | FAULT_FLAG_REMOTE) (6cce3314b928, v6.2+)");

        private final String citation;

        KsmBreakCow(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Whether GUP references the shared zeropage. */
    public enum ZeropagePin implements Decision {
        REFCOUNTED("mm/gup.c: follow_page_pte() returns the zeropage (is_zero_pfn) and try_grab_page() references it like any page: FOLL_GET +1, FOLL_PIN +GUP_PIN_COUNTING_BIAS (before v6.5)"),
        PIN_SKIPS_ZEROPAGE("mm/gup.c: try_grab_folio(FOLL_PIN) and gup_put_folio() leave the zeropage's refcount alone; FOLL_GET still +1 (c8070b787519, v6.5+)");

        private final String citation;

        ZeropagePin(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** How insert_page() (vm_insert_page(), vm_map_pages(), vmf_insert_mixed() without pte_special) maps the zeropage. */
    public enum ZeropageInsert implements Decision {
        REFCOUNTED("mm/memory.c: insert_page() takes a reference and a file rmap on the zeropage like any page and maps it without pte_special; zap puts it back only if vm_normal_page() returns it (before v6.11)"),
        SPECIAL("mm/memory.c: insert_page() maps the zeropage pte_mkspecial() with no reference or rmap, only where vm_mixed_zeropage_allowed(); vm_normal_page() never returns it (fce831c92092, v6.11+; seed 000)");

        private final String citation;

        ZeropageInsert(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** What move_pages(nodes=NULL) (do_pages_stat_array()) walks with. */
    public enum PagesStatWalk implements Decision {
        FOLLOW_PAGE_DUMP("mm/migrate.c: do_pages_stat_array(): follow_page(FOLL_DUMP): the zeropage and raw PFNs give -EFAULT, an unpopulated address -EFAULT (anon) (before v6.12)"),
        FOLIO_WALK("mm/migrate.c: do_pages_stat_array(): folio_walk_start(FW_ZEROPAGE), which relies on vm_normal_page(): the zeropage -EFAULT, raw PFNs and holes -ENOENT, a COW'd anon folio of a MAP_PRIVATE pfnmap its node (aa39ca6940f1, v6.12+)"),
        FOLIO_WALK_EARLY_RETURN("not a kernel release: seed 001's proposed folio_walk_start() that returns NULL at once for VM_IO|VM_PFNMAP ('[PATCH 06/19] mm/pagewalk: Check pfnmap early for folio_walk_start()', never merged)");

        private final String citation;

        PagesStatWalk(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** What a read fault on a hole of an FSDAX file maps. */
    public enum DaxHole implements Decision {
        PAGECACHE_PAGE("fs/dax.c: dax_load_hole(): a zero-filled page-cache page (before v4.14)"),
        ZEROPAGE("fs/dax.c: dax_load_hole(): the shared zeropage via vmf_insert_mixed() (Ross Zwisler, 'dax: use common 4k zero page for dax mmap reads', v4.14+)");

        private final String citation;

        DaxHole(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Whether ext4/XFS DAX mappings have VM_MIXEDMAP. */
    public enum FsdaxMixedmap implements Decision {
        SET("fs/ext4/file.c, fs/xfs/xfs_file.c: DAX mmap sets VM_MIXEDMAP (before v4.19)"),
        CLEARED("no VM_MIXEDMAP on ext4/XFS DAX mappings (e1fb4a086495 'dax: remove VM_MIXEDMAP for fsdax and device dax', v4.19+); fuse DAX keeps it");

        private final String citation;

        FsdaxMixedmap(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Whether a FOLL_LONGTERM pin of an FSDAX mapping is refused. */
    public enum FsdaxLongterm implements Decision {
        ALLOWED("no FOLL_LONGTERM before v4.15: a long-term user's get_user_pages() of an FSDAX page succeeds"),
        REFUSED("mm/gup.c: get_user_pages_longterm() (2bb6d2837083, v4.15), then check_vma_flags() (52650c8b466b, v5.11): FOLL_LONGTERM on vma_is_fsdax() gives -EOPNOTSUPP");

        private final String citation;

        FsdaxLongterm(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** What enabling s390 storage keys does to the zeropages an mm already maps (mm_forbids_zeropage() from then on). */
    public enum SkeysZeropage implements Decision {
        ZAP("arch/s390/mm/gmap.c: s390_enable_skey() / the has_pgste rule: mm_forbids_zeropage() becomes true and existing zeropage PTEs are zapped (fa41ba0d08de; before v6.10)"),
        UNSHARE("arch/s390/mm/gmap.c: s390_disable_cow_sharing(): allow_cow_sharing cleared, existing zeropages replaced by FAULT_FLAG_UNSHARE (06201e00ee3e, v6.10+)");

        private final String citation;

        SkeysZeropage(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Whether KSM with use_zero_pages=1 merges zero-filled pages into the shared zeropage, and how it marks them. */
    public enum KsmZeroPages implements Decision {
        ABSENT("no use_zero_pages before v4.11: a zero-filled page is merged like any other"),
        SPECIAL("mm/ksm.c: replace_page() maps pte_mkspecial(zero pfn), no reference (e86c59b1b12d, v4.11-v6.5)"),
        SPECIAL_DIRTY("mm/ksm.c: replace_page() maps pte_mkdirty(pte_mkspecial(zero pfn)) so KSM zero pages can be counted and unshared (e2942062e01d, v6.6+)");

        private final String citation;

        KsmZeroPages(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** What GUP-fast's per-PTE walk refuses (then the slow path runs). */
    public enum GupFast implements Decision {
        BAIL_ON_SPECIAL("mm/gup.c: gup_pte_range() / gup_fast_pte_range(): bails out on a non-present, special or (for FOLL_WRITE) non-writable PTE, and from v5.19 on gup_must_unshare(); needs ARCH_HAS_PTE_SPECIAL for PTE-level pages"),
        IGNORE_SPECIAL("not a kernel release: GUP-fast without its pte_special() bail-out, so it grabs the zeropage or a raw PFN's page");

        private final String citation;

        GupFast(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Whether remap_pfn_range() of a COW mapping records the PFN in vm_pgoff (the linear rule vm_normal_page() uses). */
    public enum RemapPfnCowPgoff implements Decision {
        SET("mm/memory.c: remap_pfn_range(): a COW mapping must be remapped whole, and vma->vm_pgoff = pfn, so "
                + "vm_normal_page() without pte_special tells the raw PFNs from COW'd pages by their offset (v4.8-v7.1)"),
        NOT_SET("not a kernel release: remap_pfn_range() without the vm_pgoff rule, so vm_normal_page() without pte_special "
                + "takes a raw PFN of a private pfnmap for a COW'd page");

        private final String citation;

        RemapPfnCowPgoff(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Whether the arch has storage keys whose use forbids the zeropage (s390x: mm_forbids_zeropage()). */
    public enum StorageKeys implements Decision {
        ABSENT("no storage keys: mm_forbids_zeropage() is always false (every arch but s390x)"),
        PRESENT("arch/s390: a process that enables storage keys (s390_enable_skey(), KVM guests) gets mm_forbids_zeropage()");

        private final String citation;

        StorageKeys(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** How do_huge_pmd_wp_page() treats a write (or unshare) fault on a R/O PMD-mapped anon THP. */
    public enum ThpWpReuse implements Decision {
        MAPCOUNT_COPY_THP("mm/huge_memory.c: do_huge_pmd_wp_page(): reuse iff reuse_swap_page(head) (entire mapcount + the largest subpage PTE mapcount + swap count <= 1), else copy the whole THP into a new one (before v5.8)"),
        MAPCOUNT_SPLIT("mm/huge_memory.c: do_huge_pmd_wp_page(): reuse iff reuse_swap_page(head); else split the PMD and fall back to the PTE fault (3917c80280c9 \"thp: change CoW semantics for anon-THP\", v5.8-v5.17)"),
        PAGE_COUNT_SPLIT("mm/huge_memory.c: do_huge_pmd_wp_page(): reuse iff page_count(head) == 1 after freeing the swapcache; else split and fall back (3bff7e3f1f16, v5.18)"),
        ANON_EXCLUSIVE_SPLIT("mm/huge_memory.c: do_huge_pmd_wp_page(): reuse if PageAnonExclusive(head), else the v5.18 refcount rule (then SetPageAnonExclusive); otherwise split and fall back; also handles FAULT_FLAG_UNSHARE (6c287605fd56, v5.19+)");

        private final String citation;

        ThpWpReuse(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** What a write or unshare fault on the huge zeropage PMD does. */
    public enum HugeZeroWp implements Decision {
        ALLOC_THP("mm/huge_memory.c: a fresh zeroed THP replaces the huge zeropage PMD (do_huge_pmd_wp_page() before v5.8; do_huge_zero_wp_pmd(), 1ced09e0331f, v6.13+)"),
        SPLIT("mm/huge_memory.c: split the huge zeropage PMD into PTEs of the small zeropage and fall back to the PTE fault (3917c80280c9, v5.8-v6.12)");

        private final String citation;

        HugeZeroWp(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** How do_wp_page() decides about a non-exclusive subpage of a PTE-mapped large anon folio. */
    public enum LargeAnonReuse implements Decision {
        AS_SMALL("mm/memory.c: do_wp_page(): the release's small-folio rule (wp-reuse) on the folio-wide counts: reuse_swap_page() over every subpage, or the folio refcount (before v6.9)"),
        NEVER("mm/memory.c: wp_can_reuse_anon_folio(): a large folio is never reused, always copied (781a3ca5c345 \"mm: prohibit the last subpage from reusing the entire large folio\", v6.9-v6.14)"),
        MM_ID("mm/memory.c: __wp_can_reuse_large_anon_folio(): reuse iff more than one page is mapped, the folio is not maybe mapped shared (FOLIO_MM_IDS_SHARED), and after freeing the swapcache every reference is a mapping of this MM (\"mm: COW reuse support for PTE-mapped THP with CONFIG_MM_ID\", v6.15+)");

        private final String citation;

        LargeAnonReuse(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** When reclaim splits a large anon folio before swapping it out. */
    public enum ThpSwapout implements Decision {
        SPLIT_ALWAYS("mm/vmscan.c: shrink_page_list(): a THP is always split to base pages for swap-out (before v4.14)"),
        SPLIT_IF_NO_PMD("mm/vmscan.c: split a large folio with no PMD mapping left right away; a PMD-mapped one is swapped out whole, its PMD split by try_to_unmap(TTU_SPLIT_HUGE_PMD) (v4.14-v6.9)"),
        SPLIT_IF_PARTIALLY_MAPPED("mm/vmscan.c: shrink_folio_list(): split only a partially mapped folio (on the deferred split list); others are swapped out whole (\"mm: vmscan: avoid split during shrink_folio_list()\", v6.10+)");

        private final String citation;

        ThpSwapout(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Which pages khugepaged / MADV_COLLAPSE refuses to collapse. */
    public enum CollapseRefcount implements Decision {
        NO_COMPOUND_NO_SHARED("mm/khugepaged.c: __collapse_huge_page_isolate(): page_count must be 1 (+ swapcache) and no compound page: COW-shared pages and PTE-mapped THPs are never collapsed (before v5.8)"),
        REFCOUNT_MATCHES_MAPCOUNT("mm/khugepaged.c: is_refcount_suitable(): refcount == total mapcount (+ swapcache): GUP references and pins block, COW-shared pages and PTE-mapped THPs may be collapsed (v5.8+)"),
        IGNORE_REFERENCES("not a kernel release: collapse without is_refcount_suitable(), so a pinned page is copied into the new THP and the pin keeps the old one");

        private final String citation;

        CollapseRefcount(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Whether a collapse needs a writable PTE in the range. */
    public enum CollapseWritable implements Decision {
        REQUIRED("mm/khugepaged.c: __collapse_huge_page_isolate(): no writable PTE in the range is SCAN_PAGE_RO (MADV_COLLAPSE: -EINVAL) (before v6.18)"),
        NOT_REQUIRED("mm/khugepaged.c: no SCAN_PAGE_RO test (v6.18+)");

        private final String citation;

        CollapseWritable(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** What fork() does with a maybe-pinned hugetlb page in a private mapping. */
    public enum HugetlbForkPinned implements Decision {
        SHARE("mm/hugetlb.c: copy_hugetlb_page_range(): always share, write-protected (before v5.12)"),
        COPY("mm/hugetlb.c: copy_hugetlb_page_range(): page_needs_cow_for_dma(): the child gets a copy now (4eae4efa2c29 \"hugetlb: do early cow when page pinned on src mm\", v5.12+); from v5.19 only for an exclusive head (hugetlb_try_dup_anon_rmap)");

        private final String citation;

        HugetlbForkPinned(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Device-exclusive entries (make_device_exclusive_range / make_device_exclusive). */
    public enum DeviceExclusive implements Decision {
        ABSENT("no device-exclusive entries before v5.14"),
        DROP_MAPCOUNT("mm/rmap.c: make_device_exclusive_range(): the entry replaces the PTE and the page loses that mapcount, keeping its reference (v5.14-v6.14)"),
        KEEP_MAPCOUNT("mm/rmap.c: make_device_exclusive(): one page, anon only; the mapcount stays with the entry (v6.15+)");

        private final String citation;

        DeviceExclusive(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** What fork() does with a migration entry that is not readable. */
    public enum MigrationEntryFork implements Decision {
        MAKE_READABLE("mm/memory.c: copy_nonpresent_pte() / copy_huge_pmd(): a writable (v5.19+: or readable-exclusive) migration entry in a COW mapping becomes readable in the parent and the child (v4.8+; the readable-exclusive case with 6c287605fd56, v5.19)"),
        KEEP_READABLE_EXCLUSIVE("not a kernel release: copy_nonpresent_pte() without the readable-exclusive case, so parent and child both keep an exclusive entry for one page");

        private final String citation;

        MigrationEntryFork(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** What a PMD split does with the THP head's PG_anon_exclusive. */
    public enum PmdSplitExclusive implements Decision {
        PROPAGATE("mm/huge_memory.c: __split_huge_pmd_locked(): an exclusive head makes every subpage exclusive (6c287605fd56, v5.19+; nothing to propagate before)"),
        HEAD_ONLY("not a kernel release: the split leaves PG_anon_exclusive on the head only, so the tail PTEs, writable if the PMD was, map non-exclusive pages");

        private final String citation;

        PmdSplitExclusive(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Which memory userfaultfd write-protection (UFFDIO_REGISTER_MODE_WP) supports. */
    public enum UffdWp implements Decision {
        ABSENT("no uffd-wp before v5.7"),
        ANON("fs/userfaultfd.c: vma_can_userfault(): WP on anonymous memory only; UFFDIO_WRITEPROTECT refuses shared or non-anon VMAs (the uffd-wp series: 529b930b87d9, f45ec5ff16a7, b569a1760782, v5.7-v5.18)"),
        ANON_SHMEM("include/linux/userfaultfd_k.h: vma_can_userfault(): WP on anon, shmem and hugetlbfs, with PTE markers keeping the protection of file-backed pages (b1f9e876862d and the PTE_MARKER series, v5.19+)"),
        SEED_SPECIAL_PTE("not a kernel release: seed 002's series (2021, never merged): file/shmem protection kept by the special swap PTE UFFD_WP_SWP_PTE_SPECIAL; in the model it behaves as the PTE markers that replaced it"),
        SHMEM_NO_MARKER("not a kernel release: shmem write-protection without the special PTE, the problem seed 002 sets out to solve ('the uffd-wp bit is lost when the pte is zapped'): WP registers on shmem, but a zapped or evicted page leaves nothing behind");

        private final String citation;

        UffdWp(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Whether UFFD_FEATURE_WP_UNPOPULATED exists (markers for unpopulated anon addresses). */
    public enum UffdWpUnpopulated implements Decision {
        ABSENT("no UFFD_FEATURE_WP_UNPOPULATED before v6.4: write-protecting an unpopulated anon address does nothing"),
        AVAILABLE("mm/mprotect.c: userfaultfd_wp_use_markers(): with the feature, unpopulated anon addresses get PTE markers too (2bad466cc9d9, v6.4+)");

        private final String citation;

        UffdWpUnpopulated(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Whether UFFD_FEATURE_WP_ASYNC exists. */
    public enum UffdWpAsync implements Decision {
        ABSENT("no UFFD_FEATURE_WP_ASYNC before v6.7"),
        AVAILABLE("mm/memory.c: with WP_ASYNC a write fault clears the uffd-wp bit in place and continues, with no message to the monitor (d61ea1cb0095, v6.7+)");

        private final String citation;

        UffdWpAsync(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** What fork() does with uffd-wp bits on present and swap PTEs. */
    public enum UffdWpFork implements Decision {
        SRC_VMA("mm/memory.c: copy_present_pte(): the bit is dropped only if the parent VMA lacks VM_UFFD_WP, so the child keeps it even without UFFD_FEATURE_EVENT_FORK; swap PTEs keep it (b569a1760782, v5.7-v5.13)"),
        DST_VMA("mm/memory.c: the child keeps the bit iff its VMA has VM_UFFD_WP (8f34f1eac382 \"mm/userfaultfd: fix uffd-wp special cases for fork()\", v5.14+)");

        private final String citation;

        UffdWpFork(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** What fork() does with uffd-wp PTE markers. */
    public enum UffdMarkerFork implements Decision {
        COPY("mm/memory.c: copy_nonpresent_pte(): markers are copied to the child unconditionally (c56d1b62cce8, v5.19-v6.1)"),
        DST_VMA("mm/memory.c: a uffd-wp marker is copied only if the child VMA has VM_UFFD_WP (49d6d7fb6313 \"mm/uffd: fix pte marker when fork() without fork event\", v6.2+)");

        private final String citation;

        UffdMarkerFork(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Whether uffd-wp on a shared mapping forces write-notify (a read-only vm_page_prot). */
    public enum UffdShmemWritenotify implements Decision {
        NO("mm/mmap.c: vma_wants_writenotify() ignores uffd-wp: a shared shmem VMA keeps a writable vm_page_prot, so mprotect() and other PTE rebuilds can map a uffd-wp page writable (v5.19-v6.1)"),
        YES("mm/mmap.c: vma_wants_writenotify() returns true for userfaultfd_wp() (51d3d5eb74ff \"mm/userfaultfd: enable writenotify while userfaultfd-wp is enabled for a VMA\", v6.2+)");

        private final String citation;

        UffdShmemWritenotify(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Whether a PMD migration entry keeps the uffd-wp bit. */
    public enum UffdThpMigration implements Decision {
        LOSE("mm/huge_memory.c: set_pmd_migration_entry() does not copy the uffd-wp bit, and UFFDIO_WRITEPROTECT skips PMD migration entries (v5.7-v6.2)"),
        KEEP("mm/huge_memory.c: the bit is copied to and from PMD migration entries (24bf08c4376b \"mm/userfaultfd: fix uffd-wp handling for THP migration entries\", v6.3+)");

        private final String citation;

        UffdThpMigration(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Whether splitting a uffd-wp huge-zeropage PMD keeps the bit on the PTEs. */
    public enum UffdHugeZeroSplit implements Decision {
        LOSE("mm/huge_memory.c: __split_huge_zero_page_pmd() builds the zeropage PTEs without the uffd-wp bit (v5.7-v6.1)"),
        KEEP("mm/huge_memory.c: __split_huge_zero_page_pmd() copies the uffd-wp bit (v6.2+; commit not identified)");

        private final String citation;

        UffdHugeZeroSplit(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** What UFFDIO_WRITEPROTECT(resolve) does to the write bit. */
    public enum UffdResolve implements Decision {
        READ_ONLY("mm/mprotect.c: change_pte_range() with MM_CP_UFFD_WP_RESOLVE clears the bit and leaves the write bit to the next fault (a shared shmem VMA without write-notify gets vm_page_prot's write bit) (v5.7-v6.2)"),
        TRY_WRITABLE("mm/userfaultfd.c: uffd_wp_range() passes MM_CP_TRY_CHANGE_WRITABLE: the PTE becomes writable iff can_change_pte_writable() (v6.3+; \"mm/userfaultfd: rely on vma->vm_page_prot in uffd_wp_range()\", id not established)");

        private final String citation;

        UffdResolve(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** What UFFDIO_UNREGISTER does to the protection left in the page tables. */
    public enum UffdUnregister implements Decision {
        KEEP("fs/userfaultfd.c: userfaultfd_unregister() clears VM_UFFD_WP and leaves uffd-wp bits and markers in the page tables (v5.7-v5.19)"),
        RESET("fs/userfaultfd.c: unregistering a WP VMA resolves the range first (f369b07c8614 \"mm/uffd: reset write protection when unregister with wp-mode\", v6.0+)");

        private final String citation;

        UffdUnregister(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }
    /** Whether UFFDIO_CONTINUE maps the page-cache page with a dirty PTE. */
    public enum UffdContinueDirty implements Decision {
        IF_WRITABLE("mm/userfaultfd.c: mfill_atomic_install_pte(): pte_mkdirty() only if writable || !page_in_cache, so "
                + "UFFDIO_CONTINUE of a private mapping installs a clean R/O PTE (before v5.16)"),
        ALWAYS("mm/userfaultfd.c: mfill_atomic_install_pte(): pte_mkdirty() unconditionally (9ae0f87d009c \"mm/shmem: "
                + "unconditionally set pte dirty in mfill_atomic_install_pte\", v5.16): the enabler of CVE-2022-2590");

        private final String citation;

        UffdContinueDirty(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** What i915's userptr mmu notifier does on an invalidation of the object's range. */
    public enum UserptrInvalidate implements Decision {
        DROP_PAGES("drivers/gpu/drm/i915/gem/i915_gem_userptr.c: userptr_mn_invalidate_range_start(): wait for the GPU (unbind), "
                + "then put_pages() drops the pins (classic mmu_notifier; v4.8-v5.12; I915_USERPTR_UNSYNCHRONIZED accepted)"),
        WAIT_KEEP_PINS("i915_gem_userptr.c: i915_gem_userptr_invalidate(): mmu_interval_set_seq(), then dma_resv_wait_timeout() for "
                + "the GPU; the pins stay until the next execbuf revalidates (ed29c2691188 \"drm/i915: Fix userptr so we do not have to "
                + "worry about obj->mm.lock, v7.\", v5.13; UNSYNCHRONIZED refused)"),
        NO_WAIT("i915_gem_userptr.c: i915_gem_userptr_invalidate(): only mmu_interval_set_seq(); the GPU may still use the pinned "
                + "page (86ceaaaec597 \"drm/i915/gem: Atomically invalidate userptr on mmu-notifier\", v6.9)");

        private final String citation;

        UserptrInvalidate(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Whether execbuf re-checks the notifier sequence after publishing its fences (submit_done: -EAGAIN). */
    public enum UserptrSubmitCheck implements Decision {
        RETRY("i915_gem_execbuffer.c: eb_move_to_gpu() -> i915_gem_object_userptr_submit_done(): "
                + "mmu_interval_read_retry() after the fences are installed, -EAGAIN on a collision (every release with userptr)"),
        NONE("no re-check after the fences are published: a rule variant (the seed's 'must never use pages after an invalidation "
                + "without revalidating'), not a release");

        private final String citation;

        UserptrSubmitCheck(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Whether GUP-fast notices a fork() of its mm that runs between its lockless steps. */
    public enum GupFastFork implements Decision {
        UNGUARDED("mm/gup.c: internal_get_user_pages_fast() checks nothing of fork(): copy_present_pte()'s "
                + "page_maybe_dma_pinned() check (v5.9+) misses a pin GUP-fast takes between that check and ptep_set_wrprotect(), "
                + "and the pinned page is shared with the child (before v5.11)"),
        WRITE_PROTECT_SEQ("mm/gup.c: lockless_pages_from_mm(): FOLL_PIN reads mm->write_protect_seq before the walk (odd: "
                + "fall back to the slow path) and unpins everything if read_seqcount_retry() says a fork began; copy_page_range() "
                + "holds the seqcount odd while it copies (57efa1fe5957 \"mm/gup: prevent gup_fast from racing with COW during "
                + "fork\", v5.11)");

        private final String citation;

        GupFastFork(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** What keeps a GUP-fast walk from pinning a page a concurrent collapse is about to replace. */
    public enum GupFastCollapse implements Decision {
        UNGUARDED("mm/gup.c: gup_pte_range() re-reads only the PTE, which collapse_huge_page() leaves in the detached page "
                + "table; nothing waits for the walker where the TLB flush does not IPI (arm64, powerpc radix, paravirt x86): "
                + "a pin taken after __collapse_huge_page_isolate() counted the references holds a page the collapse replaces (before v6.0)"),
        PMD_RECHECK("mm/gup.c: gup_pte_range() also re-reads the PMD and bails out if pmdp_collapse_flush() changed it "
                + "(70cbc3cc78a9 \"mm: gup: fix the fast GUP race against THP collapse\", v6.0)"),
        PMD_RECHECK_IPI("as pmd-recheck, and collapse_huge_page() calls tlb_remove_table_sync_one() after pmdp_collapse_flush(): "
                + "an IPI that waits for every walker with interrupts off (2ba99c5e0881 \"mm/khugepaged: fix GUP-fast interaction "
                + "by sending IPI\", v6.1)");

        private final String citation;

        GupFastCollapse(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Whether try_to_unmap_one()'s pinned check is ordered after its PTE clear, against GUP-fast. */
    public enum GupFastUnmap implements Decision {
        UNORDERED("include/linux/rmap.h: page_try_share_anon_rmap() reads page_maybe_dma_pinned() with no barrier after the "
                + "PTE clear, and GUP-fast re-reads the PTE with none after its pin: on weakly ordered CPUs the check may read the "
                + "pin count before the cleared PTE is visible, so a GUP-fast pin and the clearing of PG_anon_exclusive both "
                + "succeed (v5.19, v6.0)"),
        MB_ORDERED("page_try_share_anon_rmap(): smp_mb() between the PTE clear and page_maybe_dma_pinned(); GUP-fast: "
                + "smp_mb__after_atomic() after the pin, smp_rmb() before gup_must_unshare() (088b8aa537c2 \"mm: fix "
                + "PageAnonExclusive clearing racing with concurrent RCU GUP-fast\", v6.1)");

        private final String citation;

        GupFastUnmap(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Whether follow_trans_huge_pmd() lets a FOLL_FORCE write take a R/O PMD after a COW fault (FOLL_COW). */
    public enum ForceWritePmd implements Decision {
        NO_COW_ESCAPE("mm/huge_memory.c: follow_trans_huge_pmd(): FOLL_WRITE on a R/O PMD is refused whatever FOLL_COW says, so "
                + "a FOLL_FORCE write to a R/O THP faults again and again (v4.9; v4.8 drops FOLL_WRITE instead)"),
        COW_DIRTY("mm/huge_memory.c: can_follow_write_pmd(): pmd_write, or FOLL_FORCE && FOLL_COW && pmd_dirty (8310d48b125d "
                + "\"mm/huge_memory.c: respect FOLL_FORCE/FOLL_COW for thp\", v4.10; from v6.0 the force-write rule decides)");

        private final String citation;

        ForceWritePmd(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** What touch_pmd() (GUP's FOLL_TOUCH on a THP) does to the PMD's dirty bit. */
    public enum TouchPmd implements Decision {
        ALWAYS_DIRTY("mm/huge_memory.c: touch_pmd(): pmd_mkyoung(pmd_mkdirty()) for every FOLL_TOUCH, a read too (to v4.14): "
                + "the enabler of CVE-2017-1000405"),
        DIRTY_IF_WRITE("touch_pmd(vma, addr, pmd, flags): pmd_mkdirty() only with FOLL_WRITE (a8f97366452e \"mm, thp: Do not make "
                + "page table dirty unconditionally in touch_p[mu]d()\", v4.15)");

        private final String citation;

        TouchPmd(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Whether a PMD split is serialised against a write fault's mapcount-based THP reuse check. */
    public enum ThpSplitLock implements Decision {
        RACY("mm/huge_memory.c: __split_huge_pmd() takes only the PMD lock, so __split_huge_pmd_locked()'s transfer of the "
                + "mapping from the compound mapcount to the subpages' runs while reuse_swap_page() (page_trans_huge_map_swapcount(), "
                + "under the page lock) reads them: it can count the splitting mapping nowhere (to v5.7)"),
        PAGE_LOCK("__split_huge_pmd() takes lock_page() of an anon THP around __split_huge_pmd_locked() (c444eb564fb1 \"mm: thp: "
                + "make the THP mapcount atomic against __split_huge_pmd_locked()\", v5.8)");

        private final String citation;

        ThpSplitLock(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Whether a driver can mirror a range with hmm_range_fault() and an interval notifier, and whether it re-checks. */
    public enum HmmMirror implements Decision {
        ABSENT("no mmu_interval_notifier before v5.5 (hmm_mirror had its own API): the model's mirror is refused"),
        READ_RETRY("Documentation/mm/hmm.rst: mmu_interval_read_begin(), hmm_range_fault(), then under the driver's update lock "
                + "mmu_interval_read_retry() (-EBUSY: start again) before the device page table is written; the invalidate "
                + "callback takes the same lock (99cb252f5e68 \"mm/mmu_notifier: add an interval tree notifier\", v5.5)"),
        NO_RETRY("a driver that writes its device page table from hmm_range_fault()'s result without mmu_interval_read_retry(): "
                + "no release; the bug the documented pattern exists to prevent (teeth for device-coherent)");

        private final String citation;

        HmmMirror(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Whether I915_USERPTR_PROBE exists. */
    public enum UserptrProbe implements Decision {
        ABSENT("no I915_USERPTR_PROBE before v5.15: the ioctl refuses the flag (-EINVAL)"),
        AVAILABLE("i915_gem_userptr.c: probe_range(): under mmap_read_lock, -EFAULT for a hole or a VM_PFNMAP/VM_MIXEDMAP VMA "
                + "(I915_USERPTR_PROBE, Matthew Auld, v5.15)");

        private final String citation;

        UserptrProbe(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** What swapoff's unuse_pte() keeps of a swap PTE's bits. */
    public enum SwapoffBits implements Decision {
        LOSE("mm/swapfile.c: unuse_pte() maps the page with mk_pte(page, vma->vm_page_prot): the swap PTE's soft-dirty and uffd-wp bits are lost (before v5.19)"),
        KEEP("mm/swapfile.c: unuse_pte() carries pte_swp_soft_dirty() and pte_swp_uffd_wp() over to the new PTE (14a762dd1977 \"mm/swapfile: fix lost swap bits in unuse_pte()\", v5.19)");

        private final String citation;

        SwapoffBits(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }

    /** Whether khugepaged / MADV_COLLAPSE refuses a range the monitor write-protected. */
    public enum UffdCollapse implements Decision {
        REFUSE("mm/khugepaged.c: hpage_collapse_scan_pmd() / khugepaged_scan_pmd(): SCAN_PTE_UFFD_WP for a uffd-wp PTE, and an empty PTE in a userfaultfd_armed() VMA is not collapsed over (e1e267c7928f \"khugepaged: skip collapse if uffd-wp detected\", v5.7, with uffd-wp itself)"),
        IGNORE("not a kernel release: e1e267c7928f reverted: the collapse builds a new PMD from vm_page_prot, without the uffd-wp bit");

        private final String citation;

        UffdCollapse(String citation) {
            this.citation = citation;
        }

        @Override
        public String citation() {
            return citation;
        }
    }
}
