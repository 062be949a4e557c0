package dev.mmcheck.model.state;

/**
 * A page middle directory entry over an aligned pair of virtual pages (A-B, C-D): the model's PMD covers two pages,
 * as its large folios have two subpages. {@link None} means the range is mapped, if at all, by PTEs; a huge entry
 * maps a whole large folio (a THP or, for a hugetlb VMA, the huge PTE of a hugetlb folio) or the huge zeropage; a
 * migration entry stands for a PMD-mapped THP under migration.
 */
public sealed interface Pmd permits Pmd.None, Pmd.Huge, Pmd.Migration {

    /** pmd_none() or a PMD pointing to a page table: the PTEs decide. */
    record None() implements Pmd {
        @Override
        public String toString() {
            return "none";
        }
    }

    None NONE = new None();

    /**
     * pmd_trans_huge() (or a hugetlb huge PTE): maps the large folio whose head is {@code folio}, or the huge
     * zeropage. One entire mapping: the folio's entire mapcount counts it and it holds one reference.
     */
    record Huge(FolioId folio, boolean write, boolean dirty, boolean softDirty, boolean uffdWp) implements Pmd {
        public Huge(FolioId folio, boolean write, boolean dirty, boolean softDirty) {
            this(folio, write, dirty, softDirty, false);
        }

        public Huge wrprotect() {
            return new Huge(folio, false, dirty, softDirty, uffdWp);
        }

        public Huge mkwrite() {
            return new Huge(folio, true, dirty, softDirty, uffdWp);
        }

        public Huge mkdirty() {
            return new Huge(folio, write, true, true, uffdWp);
        }

        public Huge clearSoftDirty() {
            return new Huge(folio, write, dirty, false, uffdWp);
        }

        public Huge withUffdWp(boolean wp) {
            return new Huge(folio, wp ? false : write, dirty, softDirty, wp);
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("PMD ").append(folio).append(write ? " RW" : " RO");
            if (dirty) b.append(" dirty");
            if (softDirty) b.append(" soft-dirty");
            if (uffdWp) b.append(" uffd-wp");
            return b.toString();
        }
    }

    /** A PMD migration entry (set_pmd_migration_entry()) for the THP whose head is {@code folio}. */
    record Migration(FolioId folio, Pte.MigrationKind kind, boolean softDirty, boolean uffdWp) implements Pmd {
        public Migration(FolioId folio, Pte.MigrationKind kind, boolean softDirty) {
            this(folio, kind, softDirty, false);
        }

        @Override
        public String toString() {
            return "PMD migration " + kind.text() + " " + folio + (softDirty ? " soft-dirty" : "") + (uffdWp ? " uffd-wp" : "");
        }
    }
}
