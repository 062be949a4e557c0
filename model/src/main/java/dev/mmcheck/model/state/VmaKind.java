package dev.mmcheck.model.state;

/**
 * What backs a virtual page, and how its VMA was set up: the vm_flags that follow from it (VM_SHARED, VM_PFNMAP,
 * VM_IO, VM_MIXEDMAP) and which insertion path its mmap() or fault handler uses. The driver and filesystem kinds stand
 * for the real users of those paths: remap_pfn_range() at mmap (/dev/mem, MMIO BARs), vmf_insert_pfn() at fault
 * (drivers that set VM_PFNMAP only), vm_insert_page()/vm_map_pages() at mmap (VM_MIXEDMAP), and FSDAX files (ext4 and
 * XFS, VM_MIXEDMAP only before v4.19; fuse DAX, VM_MIXEDMAP).
 */
public enum VmaKind {
    /** No VMA: the page is not mapped (never mmapped, or munmapped). */
    NONE("unmapped", false, Backing.NONE),
    /** MAP_PRIVATE|MAP_ANONYMOUS. */
    ANON_PRIVATE("private-anon", false, Backing.ANON),
    /** MAP_PRIVATE of a file: reads see the pagecache folio; the first write COWs into an anon folio. */
    FILE_PRIVATE("private-file", false, Backing.FILE),
    /** MAP_SHARED of a file: reads and writes go to the pagecache folio. */
    FILE_SHARED("shared-file", false, Backing.FILE),
    /** MAP_PRIVATE of device memory set up by remap_pfn_range() at mmap (VM_IO|VM_PFNMAP; a COW mapping). */
    PFNMAP_PRIVATE("pfnmap-private", false, Backing.REMAP_PFN),
    /** MAP_SHARED of device memory set up by remap_pfn_range() at mmap (VM_IO|VM_PFNMAP). */
    PFNMAP_SHARED("pfnmap-shared", true, Backing.REMAP_PFN),
    /** MAP_SHARED of device memory a driver's fault handler maps with vmf_insert_pfn() (VM_PFNMAP without VM_IO). */
    PFNMAP_FAULT("pfnmap-fault", true, Backing.FAULT_PFN),
    /** MAP_PRIVATE of driver pages mapped with vm_map_pages() at mmap (VM_MIXEDMAP). */
    MIXEDMAP_PRIVATE("mixedmap-private", false, Backing.DRIVER_PAGES),
    /** MAP_SHARED of driver pages mapped with vm_map_pages() at mmap (VM_MIXEDMAP). */
    MIXEDMAP_SHARED("mixedmap-shared", true, Backing.DRIVER_PAGES),
    /** MAP_PRIVATE of a driver mapping that vm_insert_page()s the shared zeropage at mmap (VM_MIXEDMAP; seed 000). */
    MIXEDMAP_ZERO_PRIVATE("mixedmap-zero-private", false, Backing.ZERO_PAGES),
    /** MAP_SHARED of a driver mapping that vm_insert_page()s the shared zeropage at mmap (VM_MIXEDMAP; seed 000). */
    MIXEDMAP_ZERO_SHARED("mixedmap-zero-shared", true, Backing.ZERO_PAGES),
    /** MAP_PRIVATE of an ext4/XFS DAX file (VM_MIXEDMAP before v4.19 only). */
    DAX_PRIVATE("dax-private", false, Backing.DAX),
    /** MAP_SHARED of an ext4/XFS DAX file (VM_MIXEDMAP before v4.19 only). */
    DAX_SHARED("dax-shared", true, Backing.DAX),
    /** MAP_PRIVATE of a fuse (virtiofs) DAX file (VM_MIXEDMAP). */
    FUSE_DAX_PRIVATE("fuse-dax-private", false, Backing.FUSE_DAX),
    /** MAP_SHARED of a fuse (virtiofs) DAX file (VM_MIXEDMAP). */
    FUSE_DAX_SHARED("fuse-dax-shared", true, Backing.FUSE_DAX),
    /**
     * MAP_PRIVATE|MAP_ANONYMOUS over an aligned pair of pages with VM_HUGEPAGE (MADV_HUGEPAGE, THP "enabled" or
     * "madvise"): a fault on an empty PMD may map a THP or the huge zeropage.
     */
    ANON_THP("thp", false, Backing.ANON),
    /** MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB over an aligned pair of pages: one hugetlb folio, mapped by a huge PTE. */
    HUGETLB_PRIVATE("hugetlb", false, Backing.HUGETLB),
    /** MAP_SHARED of a shmem (memfd) file: no write-notify (a shared writable mapping maps read faults writable). */
    SHMEM_SHARED("shmem-shared", true, Backing.SHMEM),
    /** MAP_PRIVATE of a shmem (memfd) file: a write copies the page into an anon folio. */
    SHMEM_PRIVATE("shmem-private", false, Backing.SHMEM);

    /** Where the pages come from, and so which insertion path fills the page tables. */
    public enum Backing { NONE, ANON, FILE, REMAP_PFN, FAULT_PFN, DRIVER_PAGES, ZERO_PAGES, DAX, FUSE_DAX, HUGETLB, SHMEM }

    private final String specName;
    private final boolean sharedDriver;
    private final Backing backing;

    VmaKind(String specName, boolean sharedDriver, Backing backing) {
        this.specName = specName;
        this.sharedDriver = sharedDriver;
        this.backing = backing;
    }

    public String specName() {
        return specName;
    }

    /** The kind whose {@link #specName()} this is, or null. */
    public static VmaKind bySpecName(String name) {
        for (VmaKind k : values()) {
            if (k.specName.equals(name)) return k;
        }
        return null;
    }

    public Backing backing() {
        return backing;
    }

    /** VM_SHARED (MAP_SHARED). */
    public boolean shared() {
        return this == FILE_SHARED || sharedDriver;
    }

    /** A page-cache file: the regular file or the shmem (memfd) file. */
    public boolean pagecache() {
        return backing == Backing.FILE || backing == Backing.SHMEM;
    }

    /** is_cow_mapping(): (vm_flags & (VM_SHARED|VM_MAYWRITE)) == VM_MAYWRITE. VM_MAYWRITE is always set here. */
    public boolean isCowMapping() {
        return this != NONE && !shared();
    }

    /** VM_PFNMAP. */
    public boolean pfnmap() {
        return backing == Backing.REMAP_PFN || backing == Backing.FAULT_PFN;
    }

    /** The driver and filesystem kinds, as opposed to anonymous memory and the page-cache file. */
    public boolean special() {
        return switch (backing) {
            case NONE, ANON, FILE, HUGETLB, SHMEM -> false;
            default -> true;
        };
    }

    /** A kind that maps a pair of pages with one PMD-sized folio (THP-eligible anon, hugetlb). */
    public boolean huge() {
        return this == ANON_THP || this == HUGETLB_PRIVATE;
    }

    /** vma_is_anonymous() with private anon semantics: plain or THP-eligible (hugetlb is its own kind). */
    public boolean anon() {
        return this == ANON_PRIVATE || this == ANON_THP;
    }

    /** A DAX file (vma_is_fsdax()): ext4/XFS or fuse. */
    public boolean fsdax() {
        return backing == Backing.DAX || backing == Backing.FUSE_DAX;
    }
}
