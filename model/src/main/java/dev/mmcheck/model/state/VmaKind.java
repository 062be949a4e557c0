package dev.mmcheck.model.state;

/** What backs a virtual page. */
public enum VmaKind {
    /** No VMA: the page is not mapped (never mmapped, or munmapped). */
    NONE("unmapped"),
    /** MAP_PRIVATE|MAP_ANONYMOUS. */
    ANON_PRIVATE("private-anon"),
    /** MAP_PRIVATE of a file: reads see the pagecache folio; the first write COWs into an anon folio. */
    FILE_PRIVATE("private-file"),
    /** MAP_SHARED of a file: reads and writes go to the pagecache folio. */
    FILE_SHARED("shared-file");

    private final String specName;

    VmaKind(String specName) {
        this.specName = specName;
    }

    public String specName() {
        return specName;
    }

    /** is_cow_mapping(): (vm_flags & (VM_SHARED|VM_MAYWRITE)) == VM_MAYWRITE. VM_MAYWRITE is always set here. */
    public boolean isCowMapping() {
        return this == ANON_PRIVATE || this == FILE_PRIVATE;
    }
}
