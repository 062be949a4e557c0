package dev.mmcheck.model.state;

/**
 * A page table entry, abstracted to the kinds of entry the model distinguishes. The arch bit patterns
 * behind them (x86 _PAGE_PRESENT, _PAGE_SPECIAL, _PAGE_SWP_EXCLUSIVE, ...) are not modelled here.
 * Non-present entries other than swap (include/linux/swapops.h): migration, device-private, device-exclusive and
 * hwpoison entries. Each names the page (a folio slot, so a subpage of a large folio) it stands for.
 */
public sealed interface Pte permits Pte.None, Pte.Present, Pte.Swap, Pte.Migration, Pte.DevicePrivate, Pte.DeviceExclusive,
        Pte.Hwpoison, Pte.UffdMarker {

    /** pte_none(): nothing mapped; the next access faults. */
    record None() implements Pte {
        @Override
        public String toString() {
            return "none";
        }
    }

    None NONE = new None();

    /**
     * pte_present(). {@code special} is pte_special() (the zeropage and raw PFNs on CONFIG_ARCH_HAS_PTE_SPECIAL);
     * {@code softDirty} is the soft-dirty bit that fs/proc/task_mmu.c: clear_refs_write() clears.
     * {@code zeroRef} is not a PTE bit but what the kernel cannot see: this mapping of the zeropage took a reference
     * and a file rmap when it was installed (insert_page() before v6.11). Whether unmapping gives them back is up to
     * vm_normal_page(), so the model must remember it to tell a balanced zeropage refcount from a leak (seed 000).
     */
    record Present(FolioId folio, boolean write, boolean dirty, boolean softDirty, boolean special, boolean zeroRef,
                   boolean uffdWp) implements Pte {
        public Present(FolioId folio, boolean write, boolean dirty, boolean softDirty, boolean special, boolean zeroRef) {
            this(folio, write, dirty, softDirty, special, zeroRef, false);
        }

        public Present(FolioId folio, boolean write, boolean dirty, boolean softDirty, boolean special) {
            this(folio, write, dirty, softDirty, special, false, false);
        }

        public Present wrprotect() {
            return new Present(folio, false, dirty, softDirty, special, zeroRef, uffdWp);
        }

        public Present mkwrite() {
            return new Present(folio, true, dirty, softDirty, special, zeroRef, uffdWp);
        }

        /** pte_mkdirty(): on x86 this also sets _PAGE_SOFT_DIRTY. */
        public Present mkdirty() {
            return new Present(folio, write, true, true, special, zeroRef, uffdWp);
        }

        public Present mkclean() {
            return new Present(folio, write, false, softDirty, special, zeroRef, uffdWp);
        }

        public Present clearSoftDirty() {
            return new Present(folio, write, dirty, false, special, zeroRef, uffdWp);
        }

        public Present withoutSpecial() {
            return new Present(folio, write, dirty, softDirty, false, zeroRef, uffdWp);
        }

        /** pte_mkuffd_wp() (with pte_wrprotect(), which it implies from v6.3) or pte_clear_uffd_wp(). */
        public Present withUffdWp(boolean wp) {
            return new Present(folio, wp ? false : write, dirty, softDirty, special, zeroRef, wp);
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(folio.toString()).append(write ? " RW" : " RO");
            if (dirty) b.append(" dirty");
            if (softDirty) b.append(" soft-dirty");
            if (special) b.append(" special");
            if (zeroRef) b.append(" (holds a zeropage ref)");
            if (uffdWp) b.append(" uffd-wp");
            return b.toString();
        }
    }

    /** A swap PTE: is_swap_pte(). {@code exclusive} is pte_swp_exclusive() (v5.19+, where the arch has the bit). */
    record Swap(SwapSlot slot, boolean exclusive, boolean softDirty, boolean uffdWp) implements Pte {
        public Swap(SwapSlot slot, boolean exclusive, boolean softDirty) {
            this(slot, exclusive, softDirty, false);
        }

        @Override
        public String toString() {
            return slot + (exclusive ? " exclusive" : "") + (softDirty ? " soft-dirty" : "") + (uffdWp ? " uffd-wp" : "");
        }
    }

    /** The three kinds of migration entry (make_readable_/make_readable_exclusive_/make_writable_migration_entry). */
    enum MigrationKind {
        /** The page was mapped R/O and possibly shared. */
        READABLE("readable"),
        /** The page was mapped R/O but PageAnonExclusive (v5.19+, 6c287605fd56). */
        READABLE_EXCLUSIVE("readable-exclusive"),
        /** The page was mapped writable (and so exclusive). */
        WRITABLE("writable");

        private final String text;

        MigrationKind(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        /** remove_migration_pte() maps the page RMAP_EXCLUSIVE unless the entry is readable. */
        public boolean exclusive() {
            return this != READABLE;
        }
    }

    /** A migration entry: the page is being migrated; an access waits until it is restored. */
    record Migration(FolioId page, MigrationKind kind, boolean softDirty, boolean uffdWp) implements Pte {
        public Migration(FolioId page, MigrationKind kind, boolean softDirty) {
            this(page, kind, softDirty, false);
        }

        @Override
        public String toString() {
            return "migration " + kind.text() + " " + page + (softDirty ? " soft-dirty" : "") + (uffdWp ? " uffd-wp" : "");
        }
    }

    /**
     * A device-private entry (ZONE_DEVICE private memory, HMM migrate_vma): {@code page} is the device page, an anon
     * page with its own PG_anon_exclusive; a CPU access migrates it back to system memory.
     */
    record DevicePrivate(FolioId page, boolean write) implements Pte {
        @Override
        public String toString() {
            return "device-private " + (write ? "writable " : "readable ") + page;
        }
    }

    /** A device-exclusive entry (make_device_exclusive()): a device has atomic access; a CPU access restores the PTE. */
    record DeviceExclusive(FolioId page, boolean write) implements Pte {
        @Override
        public String toString() {
            return "device-exclusive " + (write ? "writable " : "readable ") + page;
        }
    }

    /** A hwpoison entry (make_hwpoison_entry()): the page had a memory error; an access is SIGBUS. */
    record Hwpoison(FolioId page) implements Pte {
        @Override
        public String toString() {
            return "hwpoison " + page;
        }
    }

    /**
     * PTE_MARKER_UFFD_WP (v5.19+, 1db9dbc2ef05): a non-present, non-swap entry that keeps a write-protected file or shmem
     * page (and, with UFFD_FEATURE_WP_UNPOPULATED from v6.4, an anon address) protected while nothing is mapped; the next
     * fault maps the page R/O with the uffd-wp bit. The seed's special swap PTE (never merged) was its predecessor.
     */
    record UffdMarker() implements Pte {
        @Override
        public String toString() {
            return "uffd-wp marker";
        }
    }

    UffdMarker UFFD_MARKER = new UffdMarker();
}
