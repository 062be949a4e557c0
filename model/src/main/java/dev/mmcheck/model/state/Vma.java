package dev.mmcheck.model.state;

/**
 * The VMA a virtual page lies in, reduced to the vm_flags the rules read.
 *
 * @param write          VM_WRITE (mprotect() toggles it; VM_MAYWRITE is always set)
 * @param dontCopy       VM_DONTCOPY, set by MADV_DONTFORK: fork() does not copy the VMA
 * @param mergeable      VM_MERGEABLE, set by MADV_MERGEABLE: KSM may merge its pages
 * @param softDirtyTracking soft-dirty tracking is active: VM_SOFTDIRTY is clear, which happens once
 *                       clear_refs_write(CLEAR_REFS_SOFT_DIRTY) has run over the VMA (a new VMA has VM_SOFTDIRTY set)
 * @param anonVma        vma->anon_vma is set (the VMA has had an anon page). fork's copy_page_range()
 *                       skips VMAs without one, leaving the child's PTEs to be filled by faults
 */
public record Vma(VmaKind kind, boolean write, boolean dontCopy, boolean mergeable, boolean softDirtyTracking,
                  boolean anonVma) {
    public static final Vma UNMAPPED = new Vma(VmaKind.NONE, false, false, false, false, false);

    public static Vma mmap(VmaKind kind, boolean write) {
        return new Vma(kind, write, false, false, false, false);
    }

    public boolean mapped() {
        return kind != VmaKind.NONE;
    }

    /** is_cow_mapping(vm_flags). */
    public boolean isCow() {
        return kind.isCowMapping();
    }

    public Vma withWrite(boolean w) {
        return new Vma(kind, w, dontCopy, mergeable, softDirtyTracking, anonVma);
    }

    public Vma withDontCopy(boolean d) {
        return new Vma(kind, write, d, mergeable, softDirtyTracking, anonVma);
    }

    public Vma withMergeable(boolean m) {
        return new Vma(kind, write, dontCopy, m, softDirtyTracking, anonVma);
    }

    public Vma withSoftDirtyTracking(boolean t) {
        return new Vma(kind, write, dontCopy, mergeable, t, anonVma);
    }

    public Vma withAnonVma() {
        return anonVma ? this : new Vma(kind, write, dontCopy, mergeable, softDirtyTracking, true);
    }

    @Override
    public String toString() {
        if (!mapped()) return "unmapped";
        StringBuilder b = new StringBuilder(kind.specName()).append(write ? " rw" : " r");
        if (dontCopy) b.append(" dontfork");
        if (mergeable) b.append(" mergeable");
        if (softDirtyTracking) b.append(" soft-dirty-tracking");
        if (anonVma) b.append(" anon_vma");
        return b.toString();
    }
}
