package dev.mmcheck.model.state;

/**
 * The one-word layouts of {@link MmState}'s encoding: each writer next to its reader, so that {@link MmState#encode}
 * and {@link MmStateDecoder} cannot disagree on a bit. A PTE's or PMD's first word holds its kind and bits, never a
 * folio or swap-slot number (the encoding writes that next, and the signatures read the first word alone).
 *
 * <p>A PTE's low three bits tell the kinds apart: 0 none, 1 or 5 present, 2 or 6 swap, 3 migration, 4 device and
 * hwpoison entries (told apart by bits 4 and 5), 7 the uffd-wp marker. A present PTE's write bit (4) and a swap
 * entry's exclusive bit (4) land in the low three bits, hence 5 and 6. {@code StateWordsTest} round-trips every
 * layout over every value of its fields.
 */
final class StateWords {
    private StateWords() {
    }

    private static final Pte.MigrationKind[] MIGRATION_KINDS = Pte.MigrationKind.values();
    private static final VmaKind[] VMA_KINDS = VmaKind.values();

    static final int PTE_NONE = 0;
    static final int PTE_MARKER = 7;
    static final int PTE_HWPOISON = 4 | 32;

    /** The PTE kind of a first word: {@link #PTE_NONE}, 1 present, 2 swap, 3 migration, 4 device or hwpoison, 7 marker. */
    static int pteKind(int w) {
        int k = w & 7;
        return k == 5 ? 1 : k == 6 ? 2 : k;
    }

    static int vma(Vma v) {
        return v.kind().ordinal() | (v.write() ? 1 << 5 : 0) | (v.dontCopy() ? 1 << 6 : 0) | (v.mergeable() ? 1 << 7 : 0)
                | (v.softDirtyTracking() ? 1 << 8 : 0) | (v.anonVma() ? 1 << 9 : 0) | (v.io() ? 1 << 10 : 0)
                | (v.mixedmap() ? 1 << 11 : 0) | (v.mayWrite() ? 0 : 1 << 12) | (v.uffd() << 13);
    }

    static Vma vma(int w) {
        return new Vma(VMA_KINDS[w & 31], (w & (1 << 5)) != 0, (w & (1 << 12)) == 0, (w & (1 << 6)) != 0, (w & (1 << 7)) != 0,
                (w & (1 << 8)) != 0, (w & (1 << 9)) != 0, (w & (1 << 10)) != 0, (w & (1 << 11)) != 0, w >>> 13);
    }

    static int present(Pte.Present pr) {
        return 1 | (pr.write() ? 4 : 0) | (pr.dirty() ? 8 : 0) | (pr.softDirty() ? 16 : 0)
                | (pr.special() ? 32 : 0) | (pr.zeroRef() ? 64 : 0) | (pr.uffdWp() ? 128 : 0);
    }

    static Pte.Present present(int w, FolioId folio) {
        return new Pte.Present(folio, (w & 4) != 0, (w & 8) != 0, (w & 16) != 0, (w & 32) != 0, (w & 64) != 0, (w & 128) != 0);
    }

    static int swap(Pte.Swap sw) {
        return 2 | (sw.exclusive() ? 4 : 0) | (sw.softDirty() ? 16 : 0) | (sw.uffdWp() ? 128 : 0);
    }

    static Pte.Swap swap(int w, SwapSlot slot) {
        return new Pte.Swap(slot, (w & 4) != 0, (w & 16) != 0, (w & 128) != 0);
    }

    static int migration(Pte.Migration m) {
        return 3 | (m.kind().ordinal() << 4) | (m.softDirty() ? 64 : 0) | (m.uffdWp() ? 128 : 0);
    }

    static Pte.Migration migration(int w, FolioId page) {
        return new Pte.Migration(page, MIGRATION_KINDS[(w >> 4) & 3], (w & 64) != 0, (w & 128) != 0);
    }

    static int devicePrivate(Pte.DevicePrivate d) {
        return 4 | (d.write() ? 8 : 0);
    }

    /** 4 and a bit of its own: 5 and 6 are a writable present PTE's and an exclusive swap entry's first words. */
    static int deviceExclusive(Pte.DeviceExclusive d) {
        return 4 | 16 | (d.write() ? 8 : 0);
    }

    /** A device-private, device-exclusive or hwpoison entry (kind 4) for {@code page}. */
    static Pte device(int w, FolioId page) {
        if ((w & 32) != 0) return new Pte.Hwpoison(page);
        return (w & 16) != 0 ? new Pte.DeviceExclusive(page, (w & 8) != 0) : new Pte.DevicePrivate(page, (w & 8) != 0);
    }

    static final int PMD_NONE = 0;

    /** The PMD kind of a first word: {@link #PMD_NONE}, 1 huge, 2 migration. */
    static int pmdKind(int w) {
        return w & 3;
    }

    static int hugePmd(Pmd.Huge h) {
        return 1 | (h.write() ? 4 : 0) | (h.dirty() ? 8 : 0) | (h.softDirty() ? 16 : 0) | (h.uffdWp() ? 32 : 0);
    }

    static Pmd.Huge hugePmd(int w, FolioId folio) {
        return new Pmd.Huge(folio, (w & 4) != 0, (w & 8) != 0, (w & 16) != 0, (w & 32) != 0);
    }

    static int migrationPmd(Pmd.Migration m) {
        return 2 | (m.kind().ordinal() << 2) | (m.softDirty() ? 16 : 0) | (m.uffdWp() ? 32 : 0);
    }

    static Pmd.Migration migrationPmd(int w, FolioId folio) {
        return new Pmd.Migration(folio, MIGRATION_KINDS[(w >> 2) & 3], (w & 16) != 0, (w & 32) != 0);
    }

    /** A GUP reference's owner, address, flags and detached bit (the folio and label go elsewhere in its key). */
    static int refHead(int owner, int addr, GupRef r) {
        return owner | (addr << 4) | (r.flags() << 8) | (r.detached() ? 1 << 16 : 0);
    }

    /** The reference {@link #refHead} wrote as {@code head}, for {@code folio} with {@code label}. */
    static GupRef ref(int head, FolioId folio, int label) {
        return new GupRef(new Pid(head & 15), new Vaddr((head >> 4) & 15), (head >> 8) & 0xff, folio, (head & (1 << 16)) != 0, label);
    }
}
