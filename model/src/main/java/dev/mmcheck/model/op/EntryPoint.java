package dev.mmcheck.model.op;

/**
 * The table mapping each kind of operation to the kernel functions it stands for. This is the model's
 * vocabulary: an operation is exactly one of these entry points, run to completion atomically.
 */
public enum EntryPoint {
    READ_FAULT("load from a page", "mm/memory.c: handle_mm_fault() -> do_anonymous_page() (zeropage) | do_read_fault() | do_swap_page(); a driver's ->fault -> vmf_insert_pfn(); fs/dax.c: dax_iomap_pte_fault() -> dax_load_hole() -> vmf_insert_mixed()"),
    WRITE_FAULT("store to a page", "mm/memory.c: handle_mm_fault(FAULT_FLAG_WRITE) -> do_anonymous_page() | do_cow_fault() | do_shared_fault() | do_swap_page() | do_wp_page() -> wp_page_reuse() / wp_page_copy()"),
    GET_USER_PAGES("get_user_pages*(), vmsplice(), O_DIRECT", "mm/gup.c: __get_user_pages() -> follow_page_pte() / faultin_page(); try_grab_page(FOLL_GET); GUP-fast: gup_pte_range()"),
    PIN_USER_PAGES("pin_user_pages*(), io_uring fixed buffers, RDMA, vfio", "mm/gup.c: __gup_longterm_locked() -> __get_user_pages(); gup_must_unshare() -> FAULT_FLAG_UNSHARE; try_grab_page(FOLL_PIN) adds GUP_PIN_COUNTING_BIAS; sets MMF_HAS_PINNED"),
    UNPIN_USER_PAGE("unpin_user_page()", "mm/gup.c: unpin_user_page() -> gup_put_folio(FOLL_PIN)"),
    PUT_PAGE("put_page() of a FOLL_GET reference (pipe buffer release)", "include/linux/mm.h: put_page() -> folio_put()"),
    DEVICE_WRITE("DMA into a page through a FOLL_WRITE reference", "no kernel function: the device writes the physical page the reference holds"),
    FORK("fork()", "kernel/fork.c: dup_mmap() -> mm/memory.c: copy_page_range() -> copy_present_pte() / copy_nonpresent_pte() (copy_one_pte() before v5.9)"),
    EXIT("exit()", "kernel/exit.c: do_exit() -> mmput() -> exit_mmap() -> unmap_vmas() -> zap_pte_range(); the process's pipes and io_uring buffers are released"),
    MMAP("mmap()", "mm/mmap.c: do_mmap(); a driver's ->mmap: remap_pfn_range() (VM_IO|VM_PFNMAP) or vm_map_pages() -> vm_insert_page() -> insert_page() (VM_MIXEDMAP)"),
    MUNMAP("munmap()", "mm/mmap.c: do_munmap() -> unmap_region() -> zap_pte_range()"),
    MPROTECT("mprotect()", "mm/mprotect.c: mprotect_fixup() -> change_pte_range()"),
    MADV_DONTNEED("madvise(MADV_DONTNEED)", "mm/madvise.c: madvise_dontneed_single_vma() -> zap_page_range() -> zap_pte_range()"),
    MADV_DONTFORK("madvise(MADV_DONTFORK / MADV_DOFORK)", "mm/madvise.c: madvise_behavior(): set / clear VM_DONTCOPY"),
    MADV_MERGEABLE("madvise(MADV_MERGEABLE)", "mm/ksm.c: ksm_madvise(): set VM_MERGEABLE"),
    MADV_PAGEOUT("madvise(MADV_PAGEOUT)", "mm/madvise.c: madvise_cold_or_pageout_pte_range() (only pages mapped once) -> reclaim_pages() -> mm/vmscan.c: shrink_page_list()"),
    RECLAIM("memory pressure (kswapd)", "mm/vmscan.c: shrink_page_list() -> add_to_swap(), mm/rmap.c: try_to_unmap() -> try_to_unmap_one(), pageout(), __remove_mapping()"),
    CLEAR_REFS_SOFT_DIRTY("echo 4 > /proc/PID/clear_refs", "fs/proc/task_mmu.c: clear_refs_write() -> clear_refs_pte_range() -> clear_soft_dirty()"),
    KSM_MERGE("ksmd merges two identical pages", "mm/ksm.c: try_to_merge_two_pages() -> try_to_merge_one_page() -> write_protect_page(), replace_page(); break_cow() on failure"),
    KSM_ZERO("ksmd (use_zero_pages=1) merges a zero-filled page into the zeropage", "mm/ksm.c: cmp_and_merge_page() -> try_to_merge_with_zero_page() -> try_to_merge_one_page(ZERO_PAGE) -> write_protect_page(), replace_page()"),
    ENABLE_SKEYS("a KVM guest enables s390 storage keys", "arch/s390/mm/gmap.c: s390_enable_skey() (mm_forbids_zeropage() from then on; existing zeropages zapped before v6.10, unshared from it: s390_disable_cow_sharing())"),
    MREMAP("mremap() of one page", "mm/mremap.c: move_vma() -> move_page_tables() (split_huge_pmd() for part of a PMD) -> move_ptes()"),
    COLLAPSE("madvise(MADV_COLLAPSE) / khugepaged", "mm/khugepaged.c: madvise_collapse() / khugepaged_scan_pmd() -> collapse_huge_page() -> __collapse_huge_page_isolate(), __collapse_huge_page_copy()"),
    MIGRATE_START("migrate_pages(), first half (move_pages(), compaction, NUMA balancing)", "mm/migrate.c: migrate_pages() -> isolate, mm/rmap.c: try_to_migrate() -> try_to_migrate_one() / set_pmd_migration_entry()"),
    MIGRATE_FINISH("migrate_pages(), second half", "mm/migrate.c: migrate_folio() -> folio_migrate_mapping(), folio_migrate_copy(); remove_migration_ptes() -> remove_migration_pte() / remove_migration_pmd()"),
    MIGRATE_TO_DEVICE("a driver migrates a page to device-private memory (HMM)", "mm/migrate_device.c: migrate_vma_setup() -> migrate_vma_collect(), migrate_vma_unmap(); migrate_vma_pages(); migrate_vma_finalize()"),
    MAKE_DEVICE_EXCLUSIVE("a driver takes a page for atomic device access", "mm/rmap.c: make_device_exclusive_range() (v5.14-v6.14) / make_device_exclusive() (v6.15+): GUP(FOLL_WRITE|FOLL_SPLIT_PMD), then a device-exclusive entry"),
    MEMORY_FAILURE("a memory error (MADV_HWPOISON)", "mm/memory-failure.c: memory_failure() -> hwpoison_user_mappings() -> try_to_unmap(): hwpoison entries"),
    UFFDIO_REGISTER("ioctl(UFFDIO_API), ioctl(UFFDIO_REGISTER)", "fs/userfaultfd.c: userfaultfd_api(), userfaultfd_register() -> vma_can_userfault(); set VM_UFFD_MISSING / VM_UFFD_WP / VM_UFFD_MINOR"),
    UFFDIO_UNREGISTER("ioctl(UFFDIO_UNREGISTER)", "fs/userfaultfd.c: userfaultfd_unregister() (uffd_wp_range(false) first from v6.0, f369b07c8614); clear VM_UFFD_*"),
    UFFDIO_WRITEPROTECT("ioctl(UFFDIO_WRITEPROTECT)", "mm/userfaultfd.c: mwriteprotect_range() -> uffd_wp_range() -> change_protection(MM_CP_UFFD_WP | MM_CP_UFFD_WP_RESOLVE) -> change_pte_range() / change_huge_pmd(); wake_userfault()"),
    UFFDIO_ZEROPAGE("ioctl(UFFDIO_ZEROPAGE)", "mm/userfaultfd.c: mfill_atomic_zeropage() -> mfill_atomic_pte_zeropage()"),
    UFFDIO_CONTINUE("ioctl(UFFDIO_CONTINUE)", "mm/userfaultfd.c: mfill_atomic_continue() -> mfill_atomic_pte_continue() -> mfill_atomic_install_pte() (MODE_WP v6.4+, 0289184476c8)"),
    PROC_MEM_WRITE("write(2) to /proc/PID/mem (ptrace POKEDATA alike)", "fs/proc/base.c: mem_rw() -> mm/memory.c: access_remote_vm() -> "
            + "__access_remote_vm(FOLL_FORCE|FOLL_WRITE): mmap_read_lock, __get_user_pages() (follow_page_pte() / faultin_page() retry "
            + "loop), copy_to_user_page(), set_page_dirty_lock(), put_page()"),
    USERPTR_CREATE("ioctl(DRM_IOCTL_I915_GEM_USERPTR)", "drivers/gpu/drm/i915/gem/i915_gem_userptr.c: i915_gem_userptr_ioctl() -> "
            + "probe_range() (I915_USERPTR_PROBE), mmu_interval_notifier_insert() (mmu_notifier_register() before v5.13)"),
    USERPTR_SUBMIT("ioctl(DRM_IOCTL_I915_GEM_EXECBUFFER2) using a userptr object", "i915_gem_execbuffer.c: eb_lookup_vmas() -> "
            + "i915_gem_object_userptr_submit_init() (mmu_interval_read_begin(), pin_user_pages_fast(FOLL_WRITE)), eb_move_to_gpu() -> "
            + "i915_gem_object_userptr_submit_done() (mmu_interval_read_retry(): -EAGAIN)"),
    USERPTR_GPU_WRITE("the GPU job writes the buffer and completes", "no kernel function: the device writes the pinned page; its fence signals"),
    HMM_MIRROR("a driver mirrors the page (mmu_interval_notifier_insert())", "mm/mmu_notifier.c: mmu_interval_notifier_insert() "
            + "(v5.5+); Documentation/mm/hmm.rst"),
    HMM_FAULT("the driver's device page fault handler", "mmu_interval_read_begin(); mm/hmm.c: hmm_range_fault() (faults the page in, no "
            + "reference kept); the driver's update lock, mmu_interval_read_retry() (-EBUSY: again), then the device page table"),
    HMM_DEVICE_WRITE("the device writes the mirrored page", "no kernel function: the device writes through its own page table"),
    SWAPOFF("swapoff()", "mm/swapfile.c: swapoff() -> try_to_unuse() -> unuse_mm() -> unuse_pte() for every swap PTE, then delete_from_swap_cache()"),
    EVICT("memory pressure evicts a file or shmem page", "mm/vmscan.c: shrink_folio_list() -> try_to_unmap() -> try_to_unmap_one() (pte_install_uffd_wp_if_needed(), v5.19+), pageout() -> shmem_writepage() / ->writepage, __remove_mapping()");

    private final String what;
    private final String kernelFunctions;

    EntryPoint(String what, String kernelFunctions) {
        this.what = what;
        this.kernelFunctions = kernelFunctions;
    }

    public String what() {
        return what;
    }

    public String kernelFunctions() {
        return kernelFunctions;
    }
}
