package dev.mmcheck.model.rules;

import dev.mmcheck.model.state.Folio;
import dev.mmcheck.model.state.FolioFlag;
import dev.mmcheck.model.state.FolioId;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Pmd;
import dev.mmcheck.model.state.Process;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.SwapSlot;
import dev.mmcheck.model.state.Vaddr;

/**
 * mm/migrate.c migrate_pages() for one anon folio (what move_pages(2), compaction and NUMA balancing do), in its two
 * halves, between which other operations run: the unmap (mm/rmap.c: try_to_migrate_one() and
 * set_pmd_migration_entry(), leaving migration entries) and the move (folio_migrate_mapping()'s reference check, the
 * copy, and remove_migration_ptes()).
 * Abstracts away: retries (one attempt; a failed move restores the entries to the old folio), the target node,
 * hugetlb and device-private migration, writeback and the folio lock, and more than one folio migrating at a time.
 */
final class Migrate {
    private Migrate() {
    }

    /** The folio a migration takes at p:a: an anon page mapped by a PTE or PMD (not KSM, not a zeropage or device page). */
    private static FolioId target(Kernel k, Pid p, Vaddr a) {
        FolioId page = null;
        if (k.pmd(p, a) instanceof Pmd.Huge h) {
            page = h.folio();
        } else if (k.pte(p, a) instanceof Pte.Present pr) {
            page = pr.folio();
        }
        if (page == null || page.isAnyZero()) return null;
        Folio f = k.folio(page);
        if (!f.isAnon() || f.has(FolioFlag.KSM) || f.has(FolioFlag.DEVICE_PRIVATE) || f.part().hugetlb()) return null;
        return k.head(page);
    }

    /** A migration split into steps takes this: a small anon folio mapped once, by a PTE at p:a (else it runs whole). */
    static boolean splittable(Kernel k, Pid p, Vaddr a) {
        FolioId h = target(k, p, a);
        return h != null && !k.large(h) && k.pte(p, a) instanceof Pte.Present && k.folio(h).mapcount() == 1;
    }

    /**
     * The unmap half: isolate the folio (migration's reference) and replace every mapping with a migration entry:
     * writable if the PTE/PMD was writable, else readable-exclusive for an exclusive page (v5.19+), else readable.
     * From v5.19 an exclusive page must first be shared (folio_try_share_anon_rmap_*()), which fails for a maybe-pinned
     * folio: then nothing is unmapped and the migration fails (-EBUSY). PG_anon_exclusive is cleared on the page: the
     * entry carries it.
     */
    static boolean start(Kernel k, Pid p, Vaddr a) {
        FolioId h = target(k, p, a);
        if (h == null) {
            if (k.trace) k.call("migrate_pages: no anon folio to migrate at " + p + " " + a);
            return false;
        }
        for (int i = 0; i < k.folioCount(); i++) {
            if (k.has(new FolioId(i), FolioFlag.MIGRATING)) {
                k.call("migrate_pages: another folio is migrating (one at a time in the model)");
                return false;
            }
        }
        if (k.trace) k.call("migrate_pages -> isolate " + h + " -> try_to_migrate");
        Boolean refused = k.earlyCheckRefused;
        k.earlyCheckRefused = null;
        if (refused != null) k.call("try_to_migrate_one: ptep_clear_flush, acting on the checks read before it");
        if (k.profile.tracksAnonExclusive() && (refused != null ? refused : k.maybePinned(h))) {
            for (FolioId page : Swapfile.pages(k, h)) {
                if (k.has(page, FolioFlag.ANON_EXCLUSIVE)) {
                    k.call("try_to_migrate_one: folio_try_share_anon_rmap fails (maybe pinned): -EBUSY, nothing unmapped");
                    return false;
                }
            }
        }
        k.setFlag(h, FolioFlag.MIGRATING, true);
        k.get(h, 1);
        for (int q = 0; q < k.processCount(); q++) {
            Pid pid = new Pid(q);
            Process proc = k.process(pid);
            if (!proc.alive()) continue;
            for (int pair = 0; pair < proc.pmds().size(); pair++) {
                if (proc.pmds().get(pair) instanceof Pmd.Huge x && x.folio().equals(h)) {
                    Vaddr va = new Vaddr(pair * 2);
                    Pte.MigrationKind kind = kind(k, x.write(), h);
                    if (k.trace) k.call("set_pmd_migration_entry " + pid + " " + va + ": " + kind.text());
                    boolean wp = x.uffdWp() && k.profile.uffdThpMigration() == dev.mmcheck.model.profile.Decisions.UffdThpMigration.KEEP;
                    if (x.uffdWp() && !wp) k.call("set_pmd_migration_entry: the uffd-wp bit is not carried (before 24bf08c4376b)");
                    k.setPmd(pid, va, new Pmd.Migration(h, kind, x.softDirty(), wp));
                    k.entireMapcountAdd(h, -1);
                    k.put(h, 1);
                }
            }
            for (int b = 0; b < k.pageCount(); b++) {
                Vaddr va = new Vaddr(b);
                if (k.pte(pid, va) instanceof Pte.Present pr && !pr.folio().isAnyZero() && k.head(pr.folio()).equals(h)) {
                    Pte.MigrationKind kind = kind(k, pr.write(), pr.folio());
                    if (k.trace) k.call("try_to_migrate_one " + pid + " " + va + ": " + kind.text() + " migration entry");
                    k.setPte(pid, va, new Pte.Migration(pr.folio(), kind, pr.softDirty(), pr.uffdWp()));
                    k.mapcountAdd(pr.folio(), -1);
                    k.put(pr.folio(), 1);
                }
            }
        }
        for (FolioId page : Swapfile.pages(k, h)) k.setFlag(page, FolioFlag.ANON_EXCLUSIVE, false);
        return true;
    }

    private static Pte.MigrationKind kind(Kernel k, boolean write, FolioId page) {
        if (write) return Pte.MigrationKind.WRITABLE;
        if (k.profile.tracksAnonExclusive() && k.has(page, FolioFlag.ANON_EXCLUSIVE)) return Pte.MigrationKind.READABLE_EXCLUSIVE;
        return Pte.MigrationKind.READABLE;
    }

    /**
     * The move half for the folio under migration: folio_migrate_mapping() refuses (-EAGAIN) while references other
     * than migration's (and the swapcache's) exist, a GUP reference or pin; then remove_migration_ptes() restores the
     * old folio. Otherwise the data (and the swapcache) move to a new folio of the same size and remove_migration_ptes()
     * maps it: writable only from a writable entry, RMAP_EXCLUSIVE from any entry that is not readable.
     */
    static boolean finish(Kernel k) {
        FolioId h = null;
        for (int i = 0; i < k.folioCount(); i++) {
            if (k.has(new FolioId(i), FolioFlag.MIGRATING)) h = new FolioId(i);
        }
        if (h == null) {
            k.call("no folio is migrating");
            return false;
        }
        Folio old = k.folio(h);
        int swapcache = old.has(FolioFlag.SWAPCACHE) ? Swapfile.pages(k, h).size() : 0;
        FolioId dst = h;
        if (old.refcount() != 1 + swapcache) {
            if (k.trace) k.call("folio_migrate_mapping: refcount " + old.refcount() + " != expected " + (1 + swapcache) + ": -EAGAIN, restore the old folio");
        } else {
            dst = copy(k, h);
            if (k.trace) k.call("migrate_folio: copied " + h + " to " + dst);
            k.get(dst, 1); // the new folio's reference while it is being mapped
        }
        restore(k, h, dst);
        k.setFlag(h, FolioFlag.MIGRATING, false);
        k.put(h, 1);
        if (!dst.equals(h)) k.put(dst, 1);
        return true;
    }

    /** A new folio of the same size with the old one's data, flags other than PG_anon_exclusive, and swapcache. */
    private static FolioId copy(Kernel k, FolioId h) {
        boolean large = k.large(h);
        FolioId dst = large ? k.allocLarge(k.data(h), k.data(new FolioId(h.index() + 1)), false) : k.allocAnon(k.data(h));
        if (k.has(h, FolioFlag.SWAPCACHE)) {
            java.util.List<FolioId> src = Swapfile.pages(k, h);
            for (int i = 0; i < src.size(); i++) {
                FolioId from = src.get(i);
                FolioId to = new FolioId(dst.index() + i);
                SwapSlot s = Swapfile.slotOf(k, from);
                k.setSlot(s, k.slot(s).withCache(to.index()));
                k.setFolio(to, k.folio(to).with(FolioFlag.SWAPCACHE).withSwapSlot(s.index()));
                k.setFolio(from, k.folio(from).without(FolioFlag.SWAPCACHE).withSwapSlot(-1));
            }
            k.get(dst, src.size());
            k.put(h, src.size());
        }
        return dst;
    }

    /** remove_migration_ptes(): every migration entry of the old folio maps the same subpage of {@code dst}. */
    private static void restore(Kernel k, FolioId old, FolioId dst) {
        for (int q = 0; q < k.processCount(); q++) {
            Pid pid = new Pid(q);
            Process proc = k.process(pid);
            if (!proc.alive()) continue;
            for (int pair = 0; pair < proc.pmds().size(); pair++) {
                if (proc.pmds().get(pair) instanceof Pmd.Migration m && m.folio().equals(old)) {
                    Vaddr va = new Vaddr(pair * 2);
                    if (k.trace) k.call("remove_migration_pmd " + pid + " " + va + " -> " + dst);
                    k.get(dst, 1);
                    k.entireMapcountAdd(dst, 1);
                    if (m.kind().exclusive() && k.profile.tracksAnonExclusive()) k.setFlag(dst, FolioFlag.ANON_EXCLUSIVE, true);
                    boolean w = m.kind() == Pte.MigrationKind.WRITABLE && k.vma(pid, va).write();
                    boolean wp = m.uffdWp() && k.profile.uffdThpMigration() == dev.mmcheck.model.profile.Decisions.UffdThpMigration.KEEP;
                    k.setPmd(pid, va, new Pmd.Huge(dst, w && !wp, w, m.softDirty(), wp));
                }
            }
            for (int b = 0; b < k.pageCount(); b++) {
                Vaddr va = new Vaddr(b);
                if (k.pte(pid, va) instanceof Pte.Migration m && k.head(m.page()).equals(old)) {
                    FolioId page = new FolioId(dst.index() + (m.page().index() - old.index()));
                    if (k.trace) k.call("remove_migration_pte " + pid + " " + va + " -> " + page);
                    k.get(page, 1);
                    k.mapcountAdd(page, 1);
                    if (m.kind().exclusive() && k.profile.tracksAnonExclusive()) k.setFlag(page, FolioFlag.ANON_EXCLUSIVE, true);
                    boolean w = m.kind() == Pte.MigrationKind.WRITABLE && k.vma(pid, va).write();
                    // remove_migration_pte(): pte_swp_uffd_wp() -> pte_mkuffd_wp(): the bit comes back, R/O
                    k.setPte(pid, va, new Pte.Present(page, w && !m.uffdWp(), w, m.softDirty(), false, false, m.uffdWp()));
                }
            }
        }
    }
}
