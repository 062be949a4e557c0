package dev.mmcheck.model.state;

/**
 * An unmap of the page mapped at {@code addr} of this mm between its steps: reclaim's try_to_unmap_one() ({@code reclaim
 * PAGE steps}), KSM's write_protect_page() ({@code ksm-merge ... steps}) or migration's try_to_migrate_one()
 * ({@code migrate-start PAGE steps}). Each holds the page-table lock, and its clear of the PTE (ptep_clear_flush()) and
 * its check that the page has no other user (maybe pinned, v5.19+; for KSM also references beyond its mappings) are
 * apart. From v6.1 (088b8aa537c2) an smp_mb() orders the clear before the check; before, on weakly ordered CPUs, the
 * check could read the counts before the cleared PTE was visible to a GUP-fast walker, which the model takes as the
 * check running first.
 *
 * @param addr     the page
 * @param cleared  the PTE is cleared (v6.1+ order: the check is the next step); GUP-fast walkers read it as none, the
 *                 rest of the model still sees it (nothing else runs until the unmap's next step)
 * @param refused  the check ran first (before v6.1) and refused the page
 * @param kind     which unmap this is
 */
public record UnmapStep(Vaddr addr, boolean cleared, boolean refused, Kind kind) {
    /** The operation the unmap belongs to. */
    public enum Kind { RECLAIM, KSM, MIGRATE }

    /** No unmap in flight. */
    public static final UnmapStep NONE = new UnmapStep(null, false, false, Kind.RECLAIM);

    public boolean active() {
        return addr != null;
    }

    /** This is a {@code kind} unmap of {@code a} in flight: what the operation's next step continues. */
    public boolean continues(Kind k, Vaddr a) {
        return active() && kind == k && addr.equals(a);
    }

    /** One word. */
    public int encoded() {
        return addr.index() | (cleared ? 1 << 4 : 0) | (refused ? 1 << 5 : 0) | (kind.ordinal() << 6);
    }

    /** The unmap {@link #encoded} wrote as {@code w}. */
    public static UnmapStep decoded(int w) {
        return new UnmapStep(new Vaddr(w & 15), (w & 16) != 0, (w & 32) != 0, Kind.values()[w >>> 6]);
    }
}
