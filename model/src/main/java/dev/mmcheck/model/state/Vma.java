package dev.mmcheck.model.state;

/**
 * The VMA a virtual page lies in, reduced to the vm_flags the rules read.
 *
 * @param write          VM_WRITE (mprotect() toggles it)
 * @param mayWrite       VM_MAYWRITE: set except for a shared driver or DAX mapping opened read-only (mapped ro)
 * @param dontCopy       VM_DONTCOPY, set by MADV_DONTFORK: fork() does not copy the VMA
 * @param mergeable      VM_MERGEABLE, set by MADV_MERGEABLE: KSM may merge its pages
 * @param softDirtyTracking soft-dirty tracking is active: VM_SOFTDIRTY is clear, which happens once
 *                       clear_refs_write(CLEAR_REFS_SOFT_DIRTY) has run over the VMA (a new VMA has VM_SOFTDIRTY set)
 * @param anonVma        vma->anon_vma is set (the VMA has had an anon page). fork's copy_page_range()
 *                       skips VMAs without one (unless VM_PFNMAP/VM_MIXEDMAP), leaving the child's PTEs to faults
 * @param io             VM_IO: remap_pfn_range() sets it; a VM_MIXEDMAP driver may set it too
 * @param mixedmap       VM_MIXEDMAP: vm_insert_page() and fuse DAX set it; ext4/XFS DAX before v4.19
 */
public record Vma(VmaKind kind, boolean write, boolean mayWrite, boolean dontCopy, boolean mergeable, boolean softDirtyTracking,
                  boolean anonVma, boolean io, boolean mixedmap) {
    public static final Vma UNMAPPED = new Vma(VmaKind.NONE, false, false, false, false, false, false, false, false);

    public static Vma mmap(VmaKind kind, boolean write) {
        return new Vma(kind, write, true, false, false, false, false, false, false);
    }

    /** A driver or DAX mapping: mapped read-only and shared, it was opened read-only and has no VM_MAYWRITE. */
    public static Vma mmap(VmaKind kind, boolean write, boolean io, boolean mixedmap) {
        boolean mayWrite = write || !kind.shared() || !kind.special();
        return new Vma(kind, write, mayWrite, false, false, false, false, io, mixedmap);
    }

    public boolean mapped() {
        return kind != VmaKind.NONE;
    }

    /** is_cow_mapping(vm_flags). */
    public boolean isCow() {
        return kind.isCowMapping();
    }

    /** VM_PFNMAP. */
    public boolean pfnmap() {
        return kind.pfnmap();
    }

    public Vma withWrite(boolean w) {
        return new Vma(kind, w, mayWrite, dontCopy, mergeable, softDirtyTracking, anonVma, io, mixedmap);
    }

    public Vma withDontCopy(boolean d) {
        return new Vma(kind, write, mayWrite, d, mergeable, softDirtyTracking, anonVma, io, mixedmap);
    }

    public Vma withMergeable(boolean m) {
        return new Vma(kind, write, mayWrite, dontCopy, m, softDirtyTracking, anonVma, io, mixedmap);
    }

    public Vma withSoftDirtyTracking(boolean t) {
        return new Vma(kind, write, mayWrite, dontCopy, mergeable, t, anonVma, io, mixedmap);
    }

    public Vma withAnonVma() {
        return anonVma ? this : new Vma(kind, write, mayWrite, dontCopy, mergeable, softDirtyTracking, true, io, mixedmap);
    }

    @Override
    public String toString() {
        if (!mapped()) return "unmapped";
        StringBuilder b = new StringBuilder(kind.specName()).append(write ? " rw" : " r");
        if (!mayWrite) b.append(" !VM_MAYWRITE");
        if (pfnmap()) b.append(" VM_PFNMAP");
        if (io) b.append(" VM_IO");
        if (mixedmap) b.append(" VM_MIXEDMAP");
        if (dontCopy) b.append(" dontfork");
        if (mergeable) b.append(" mergeable");
        if (softDirtyTracking) b.append(" soft-dirty-tracking");
        if (anonVma) b.append(" anon_vma");
        return b.toString();
    }
}
