package dev.mmcheck.model.state;

/** What a folio slot holds. */
public enum FolioKind {
    /** The slot is free. */
    FREE,
    /** An anonymous folio (PageAnon()), including KSM folios. */
    ANON,
    /** A pagecache folio of the one file the model maps; it holds one reference for the page cache. */
    PAGECACHE,
    /**
     * Device memory with no struct page (a raw PFN that remap_pfn_range() or vmf_insert_pfn() maps): PTEs map it
     * pte_special and vm_normal_page() returns NULL for it, so it has no refcount or mapcount; only its content is
     * tracked.
     */
    PFN,
    /** A page a driver allocated and maps with vm_insert_page()/vm_map_pages() (VM_MIXEDMAP); the driver holds one reference. */
    DRIVER,
    /**
     * A persistent-memory block of an FSDAX file: a ZONE_DEVICE page mapped by a special devmap PTE (v4.19-v6.14:
     * vm_normal_page() returns NULL, mappings take no reference); GUP still references it through its dev_pagemap.
     * Idle at refcount 1.
     */
    DAX
}
