package dev.mmcheck.model.state;

/** The folio flags the rules read and write (include/linux/page-flags.h). */
public enum FolioFlag {
    /** PG_anon_exclusive (v5.19+; PG_mappedtodisk reused for anon pages): mapped by exactly one PTE in one mm, or parked in one exclusive swap entry. */
    ANON_EXCLUSIVE,
    /** PG_swapcache: the folio is in the swap cache and holds a reference for it. */
    SWAPCACHE,
    /** PageKsm(): a KSM (stable tree) folio, shared read-only between mappings. */
    KSM,
    /**
     * Locked and isolated for migration (migrate_pages() between try_to_migrate() and remove_migration_ptes()):
     * migration holds one reference. Set on the head of a large folio.
     */
    MIGRATING,
    /** PG_hwpoison: memory_failure() took the page out; it keeps memory_failure()'s reference. */
    HWPOISON,
    /** A ZONE_DEVICE private page (HMM device memory): an anon page that only device-private entries map. */
    DEVICE_PRIVATE;

    int bit() {
        return 1 << ordinal();
    }
}
