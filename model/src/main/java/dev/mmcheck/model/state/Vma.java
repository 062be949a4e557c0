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
 * @param uffd           userfaultfd registration: {@link #UFFD_WP} (VM_UFFD_WP), {@link #UFFD_MINOR} (VM_UFFD_MINOR),
 *                       {@link #UFFD_MISSING} (VM_UFFD_MISSING)
 */
public record Vma(VmaKind kind, boolean write, boolean mayWrite, boolean dontCopy, boolean mergeable, boolean softDirtyTracking,
                  boolean anonVma, boolean io, boolean mixedmap, int uffd) {
    public static final int UFFD_WP = 1;
    public static final int UFFD_MINOR = 2;
    public static final int UFFD_MISSING = 4;

    public static final Vma UNMAPPED = new Vma(VmaKind.NONE, false, false, false, false, false, false, false, false);

    public Vma(VmaKind kind, boolean write, boolean mayWrite, boolean dontCopy, boolean mergeable, boolean softDirtyTracking,
               boolean anonVma, boolean io, boolean mixedmap) {
        this(kind, write, mayWrite, dontCopy, mergeable, softDirtyTracking, anonVma, io, mixedmap, 0);
    }

    /** VM_UFFD_WP: registered with UFFDIO_REGISTER_MODE_WP. */
    public boolean uffdWp() {
        return (uffd & UFFD_WP) != 0;
    }

    public boolean uffdMinor() {
        return (uffd & UFFD_MINOR) != 0;
    }

    public Vma withUffd(int u) {
        return new Vma(kind, write, mayWrite, dontCopy, mergeable, softDirtyTracking, anonVma, io, mixedmap, u);
    }

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
        return new Vma(kind, w, mayWrite, dontCopy, mergeable, softDirtyTracking, anonVma, io, mixedmap, uffd);
    }

    public Vma withDontCopy(boolean d) {
        return new Vma(kind, write, mayWrite, d, mergeable, softDirtyTracking, anonVma, io, mixedmap, uffd);
    }

    public Vma withMergeable(boolean m) {
        return new Vma(kind, write, mayWrite, dontCopy, m, softDirtyTracking, anonVma, io, mixedmap, uffd);
    }

    public Vma withSoftDirtyTracking(boolean t) {
        return new Vma(kind, write, mayWrite, dontCopy, mergeable, t, anonVma, io, mixedmap, uffd);
    }

    public Vma withAnonVma() {
        return anonVma ? this : new Vma(kind, write, mayWrite, dontCopy, mergeable, softDirtyTracking, true, io, mixedmap, uffd);
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
        if (uffdWp()) b.append(" VM_UFFD_WP");
        if (uffdMinor()) b.append(" VM_UFFD_MINOR");
        if ((uffd & UFFD_MISSING) != 0) b.append(" VM_UFFD_MISSING");
        return b.toString();
    }
}
