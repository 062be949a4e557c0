package dev.mmcheck.model.rules;

import dev.mmcheck.model.profile.Decisions.DeviceExclusive;
import dev.mmcheck.model.state.Folio;
import dev.mmcheck.model.state.FolioFlag;
import dev.mmcheck.model.state.FolioId;
import dev.mmcheck.model.state.GupFlag;
import dev.mmcheck.model.state.GupRef;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Process;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.Vaddr;
import dev.mmcheck.model.state.Vma;

/**
 * Device memory that anon pages move to or that a device takes for itself: mm/migrate_device.c (migrate_vma_*(): a
 * page migrated to ZONE_DEVICE private memory is mapped by device-private entries, and a CPU access migrates it back
 * through the pgmap's migrate_to_ram()), and mm/rmap.c make_device_exclusive_range() / make_device_exclusive()
 * (device-exclusive entries for a device's atomic access). PG_anon_exclusive keeps its meaning for both (seed 003).
 * Abstracts away: the device's page table and its copy engine, device-private THPs (v6.19+), migrate_vma on ranges
 * and holes, the mmu notifier owner cookie, and the folio lock.
 */
final class DeviceMemory {
    private DeviceMemory() {
    }

    /**
     * migrate_vma_setup() + migrate_vma_pages() + migrate_vma_finalize() of the small anon page at p:a to a device page.
     * Collecting splits a PMD and refuses a large folio that cannot be split. The page must have no references but its
     * mappings (migrate_vma_check_page()); from v5.19 an exclusive maybe-pinned page cannot be shared for the
     * migration entries. Every mapping becomes a device-private entry (writable if the PTE was), and the device page is
     * exclusive where the page was.
     */
    static boolean migrateToDevice(Kernel k, Pid p, Vaddr a) {
        Vma vma = k.vma(p, a);
        if (!vma.kind().anon()) {
            k.call("migrate_vma_setup: only anonymous private memory here");
            return false;
        }
        HugeMemory.splitIfPmd(k, p, a, "migrate_vma_collect_pmd");
        if (!(k.pte(p, a) instanceof Pte.Present pr) || pr.folio().isAnyZero() || !k.folio(pr.folio()).isAnon()
                || k.has(pr.folio(), FolioFlag.KSM) || k.has(pr.folio(), FolioFlag.DEVICE_PRIVATE)) {
            if (k.trace) k.call("migrate_vma_collect: no anon page at " + p + " " + a);
            return false;
        }
        FolioId f = pr.folio();
        if (k.large(f) && !HugeMemory.splitFolio(k, f)) {
            k.call("migrate_vma_collect: the large folio cannot be split: skipped");
            return false;
        }
        int expected = k.folio(f).mapcount() + (k.has(f, FolioFlag.SWAPCACHE) ? 1 : 0);
        if (k.refcount(f) != expected) {
            if (k.trace) k.call("migrate_vma_check_page: extra references (" + k.refcount(f) + " != " + expected + "): skipped");
            return false;
        }
        boolean exclusive = k.profile.tracksAnonExclusive() && k.has(f, FolioFlag.ANON_EXCLUSIVE);
        if (k.trace) k.call("migrate_vma_setup -> migrate_vma_pages -> migrate_vma_finalize: " + f + " to device memory");
        FolioId dev = k.allocAnon(k.data(f));
        k.setFlag(dev, FolioFlag.DEVICE_PRIVATE, true);
        if (exclusive) k.setFlag(dev, FolioFlag.ANON_EXCLUSIVE, true);
        for (int q = 0; q < k.processCount(); q++) {
            Pid pid = new Pid(q);
            if (!k.process(pid).alive()) continue;
            for (int b = 0; b < k.pageCount(); b++) {
                Vaddr va = new Vaddr(b);
                if (k.pte(pid, va) instanceof Pte.Present x && x.folio().equals(f)) {
                    k.setPte(pid, va, new Pte.DevicePrivate(dev, x.write()));
                    k.get(dev, 1);
                    k.mapcountAdd(dev, 1);
                    k.mapcountAdd(f, -1);
                    k.put(f, 1);
                }
            }
        }
        if (k.has(f, FolioFlag.SWAPCACHE)) Swapfile.tryToFreeSwap(k, f);
        return true;
    }

    /**
     * do_swap_page() on a device-private entry: the pgmap's migrate_to_ram() migrates the page back to a new system
     * page (through migration entries, so exclusivity follows the device page's), and every device-private entry of it
     * maps the new page, writable where the entry was.
     */
    static void migrateToRam(Kernel k, Pid p, Vaddr a) {
        FolioId dev = ((Pte.DevicePrivate) k.pte(p, a)).page();
        k.call("do_swap_page: device-private entry -> migrate_to_ram");
        FolioId f = k.allocAnon(k.data(dev));
        boolean exclusive = k.has(dev, FolioFlag.ANON_EXCLUSIVE);
        if (exclusive) k.setFlag(f, FolioFlag.ANON_EXCLUSIVE, true);
        for (int q = 0; q < k.processCount(); q++) {
            Pid pid = new Pid(q);
            if (!k.process(pid).alive()) continue;
            for (int b = 0; b < k.pageCount(); b++) {
                Vaddr va = new Vaddr(b);
                if (k.pte(pid, va) instanceof Pte.DevicePrivate d && d.page().equals(dev)) {
                    k.get(f, 1);
                    k.mapcountAdd(f, 1);
                    k.setPte(pid, va, new Pte.Present(f, d.write(), d.write(), true, false));
                    k.mapcountAdd(dev, -1);
                    k.put(dev, 1);
                }
            }
        }
    }

    /**
     * copy_nonpresent_pte() for a device-private entry: the device page cannot be pinned, so the dup always succeeds
     * and clears its PG_anon_exclusive (v5.19+); a writable entry in a COW mapping becomes readable in the parent, and
     * the child gets the readable entry.
     */
    static void copyDevicePrivate(Kernel k, Pid parent, Pid child, Vaddr a, Pte.DevicePrivate d) {
        k.call("copy_nonpresent_pte: device-private entry");
        if (k.profile.tracksAnonExclusive()) k.setFlag(d.page(), FolioFlag.ANON_EXCLUSIVE, false);
        k.get(d.page(), 1);
        k.mapcountAdd(d.page(), 1);
        Pte.DevicePrivate readable = new Pte.DevicePrivate(d.page(), false);
        if (d.write() && k.vma(parent, a).isCow()) k.setPte(parent, a, readable);
        k.setPte(child, a, k.vma(parent, a).isCow() ? readable : d);
    }

    /**
     * make_device_exclusive_range() (v5.14-v6.14) / make_device_exclusive() (v6.15+): GUP with FOLL_GET | FOLL_WRITE |
     * FOLL_SPLIT_PMD makes the page present, writable and exclusive; then its PTE becomes a device-exclusive entry
     * (writable if the PTE was). Before v6.15 the page loses that mapcount (its reference stays with the entry); from
     * v6.15 the mapcount stays too. The driver drops its GUP reference when done.
     */
    static boolean makeDeviceExclusive(Kernel k, Pid p, Vaddr a) {
        if (k.profile.deviceExclusive() == DeviceExclusive.ABSENT) {
            k.call("no make_device_exclusive_range() before v5.14");
            return false;
        }
        if (!k.vma(p, a).kind().anon()) {
            k.call("make_device_exclusive: anonymous memory only here: -EOPNOTSUPP");
            return false;
        }
        HugeMemory.splitIfPmd(k, p, a, "FOLL_SPLIT_PMD");
        int flags = GupFlag.WRITE.bit();
        if (!Gup.getUserPages(k, p, a, flags, 0)) return false;
        HugeMemory.splitIfPmd(k, p, a, "follow_pmd_mask: FOLL_SPLIT_PMD");
        GupRef taken = null;
        for (GupRef r : k.refs()) {
            if (r.owner().equals(p) && r.addr().equals(a) && r.label() == 0 && r.flags() == flags) taken = r;
        }
        Pte.Present pr = (Pte.Present) k.pte(p, a);
        if (k.trace) k.call("make_device_exclusive: device-exclusive entry for " + pr.folio());
        k.setPte(p, a, new Pte.DeviceExclusive(pr.folio(), pr.write()));
        if (k.profile.deviceExclusive() == DeviceExclusive.DROP_MAPCOUNT) k.mapcountAdd(pr.folio(), -1);
        if (taken != null) {
            k.call("the driver drops its GUP reference");
            Gup.release(k, taken);
        }
        return true;
    }

    /**
     * restore_exclusive_pte() on a CPU access or at fork: the PTE maps the page again, writable if the entry was
     * (v6.15+: if VM_WRITE and can_change_pte_writable(), which for private anon memory asks PG_anon_exclusive); before
     * v6.15 the mapcount comes back too. PG_anon_exclusive is untouched.
     */
    static void restoreExclusive(Kernel k, Pid p, Vaddr a) {
        Pte.DeviceExclusive d = (Pte.DeviceExclusive) k.pte(p, a);
        if (k.trace) k.call("restore_exclusive_pte " + d.page());
        boolean write;
        if (k.profile.deviceExclusive() == DeviceExclusive.DROP_MAPCOUNT) {
            k.mapcountAdd(d.page(), 1);
            write = d.write();
        } else {
            write = k.vma(p, a).write() && (!k.profile.tracksAnonExclusive() || k.has(d.page(), FolioFlag.ANON_EXCLUSIVE));
        }
        k.setPte(p, a, new Pte.Present(d.page(), write, write, true, false));
    }

    /**
     * memory_failure() on the small anon page at p:a (MADV_HWPOISON): the page is taken out (PG_hwpoison, with
     * memory_failure()'s reference) and try_to_unmap() replaces every mapping by a hwpoison entry. PG_anon_exclusive
     * is left as it was, and is stale from then on (seed 003). A large folio is split first (if it can be); a folio in
     * the swapcache is not handled here.
     */
    static boolean memoryFailure(Kernel k, Pid p, Vaddr a) {
        HugeMemory.splitIfPmd(k, p, a, "memory_failure");
        if (!(k.pte(p, a) instanceof Pte.Present pr) || pr.folio().isAnyZero() || !k.folio(pr.folio()).isAnon()
                || k.has(pr.folio(), FolioFlag.KSM) || k.has(pr.folio(), FolioFlag.HWPOISON)) {
            if (k.trace) k.call("memory_failure: no anon page at " + p + " " + a + " (only anon pages are modelled here)");
            return false;
        }
        FolioId f = pr.folio();
        if (k.large(f) && !HugeMemory.splitFolio(k, f)) {
            k.call("memory_failure: the large folio cannot be split: -EBUSY");
            return false;
        }
        if (k.has(f, FolioFlag.SWAPCACHE)) {
            k.call("memory_failure on a swapcache page: not modelled");
            return false;
        }
        if (k.trace) k.call("memory_failure: SetPageHWPoison(" + f + "), hwpoison_user_mappings -> try_to_unmap");
        k.setFlag(f, FolioFlag.HWPOISON, true);
        k.get(f, 1);
        for (int q = 0; q < k.processCount(); q++) {
            Pid pid = new Pid(q);
            Process proc = k.process(pid);
            if (!proc.alive()) continue;
            for (int b = 0; b < k.pageCount(); b++) {
                Vaddr va = new Vaddr(b);
                if (k.pte(pid, va) instanceof Pte.Present x && x.folio().equals(f)) {
                    k.setPte(pid, va, new Pte.Hwpoison(f));
                    k.mapcountAdd(f, -1);
                    k.put(f, 1);
                }
            }
        }
        return true;
    }

    static boolean isDevicePrivate(Folio f) {
        return f.has(FolioFlag.DEVICE_PRIVATE);
    }
}
