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
        REUSE_SWAP_PAGE("mm/memory.c: do_wp_page() -> mm/swapfile.c: reuse_swap_page(): reuse iff !PageKsm && mapcount + swapcount <= 1, refcount ignored (v5.7, v5.8)"),
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
        EXCLUSIVE("mm/memory.c: do_swap_page(): exclusive = pte_swp_exclusive(); swap_free(), should_try_to_free_swap(); if !Ksm && (exclusive || page_count == 1): RMAP_EXCLUSIVE, writable only on FAULT_FLAG_WRITE (v5.19)"),
        EXCLUSIVE_MAP_WRITABLE("mm/memory.c: do_swap_page(): if !Ksm && (exclusive || refcount == 1): RMAP_EXCLUSIVE and pte_mkwrite() if VM_WRITE and no soft-dirty/uffd-wp fault is wanted, even on a read fault; swapcache freed after mapping (read in v7.0; first release not identified)");

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
        UNMAP("mm/rmap.c: try_to_unmap_one(): no pin check; the pinned page stays in the swapcache because of its extra references (before v5.19)"),
        REFUSE("mm/rmap.c: try_to_unmap_one(): page_try_share_anon_rmap() fails if page_maybe_dma_pinned(): restore the PTE and abort (v5.19+)");

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
        ANON_EXCLUSIVE("mm/mprotect.c: can_change_pte_writable(): private: PageAnon && PageAnonExclusive, unless soft-dirty tracking wants a fault (v6.0+)"),
        ANY_ANON("not a kernel release: can_change_pte_writable() without the PageAnonExclusive test, i.e. the bug cow.c 'Basic COW after fork() with mprotect() optimization' guards against"),
        ANY_PAGE("not a kernel release: can_change_pte_writable() without its vm_normal_page()/PageAnon test, so the zeropage's special PTE is upgraded too");

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
}
