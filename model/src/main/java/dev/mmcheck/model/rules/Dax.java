package dev.mmcheck.model.rules;

import dev.mmcheck.model.profile.Decisions.DaxHole;
import dev.mmcheck.model.state.Data;
import dev.mmcheck.model.state.FolioId;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.Vaddr;
import dev.mmcheck.model.state.Vma;

/**
 * fs/dax.c: page faults on an FSDAX file (ext4, XFS, fuse DAX): no page cache, the file's blocks are persistent
 * memory mapped through their PFNs (a special devmap PTE, no reference), and holes are read as the shared zeropage.
 * Abstracts away: PMD faults, the DAX entry locking in the mapping's xarray, block allocation (a write allocates the
 * block at once), synchronous faults (MAP_SYNC) and the refcounted FSDAX folios of v6.15+ (38607c62b34b).
 */
final class Dax {
    private Dax() {
    }

    /**
     * dax_iomap_pte_fault() on an empty PTE. A read of a hole maps a zero-filled page-cache page before v4.14 and the
     * zeropage with vmf_insert_mixed() from v4.14 (dax_load_hole()); a read of a written block maps it R/O. A write in
     * a shared mapping allocates the block and maps it writable and dirty; in a private mapping do_cow_fault() copies
     * the block (or zeros) into a new exclusive anon page. Returns false for SIGBUS.
     */
    static boolean fault(Kernel k, Pid p, Vaddr a, boolean write) {
        Vma vma = k.vma(p, a);
        FolioId block = k.daxBlockIfAllocated(a);
        if (write && !vma.kind().shared()) {
            k.call("do_cow_fault -> dax_iomap_fault: copy into a new anon page");
            Data content = block == null ? Data.INITIAL : k.data(block);
            FolioId f = Memory.newAnonFolio(k, p, a, content);
            k.setPte(p, a, new Pte.Present(f, vma.write(), true, true, false));
            return true;
        }
        if (write) {
            k.call("dax_iomap_pte_fault(write): allocate the block, dax_insert_pfn(mkwrite)");
            k.setPte(p, a, new Pte.Present(k.daxBlock(a), vma.write(), true, true, true));
            return true;
        }
        if (block != null) {
            k.call("dax_iomap_pte_fault: map the block (devmap PTE)");
            k.setPte(p, a, new Pte.Present(block, false, false, false, true));
            return true;
        }
        if (k.profile.daxHole() == DaxHole.PAGECACHE_PAGE) {
            k.call("dax_load_hole: a zero-filled page-cache page");
            FolioId pc = k.pagecache(a);
            k.get(pc, 1);
            k.mapcountAdd(pc, 1);
            k.setPte(p, a, new Pte.Present(pc, false, false, false, false));
            return true;
        }
        k.call("dax_load_hole: the zeropage");
        return MemoryInsert.vmfInsertMixed(k, p, a, FolioId.ZERO);
    }

    /**
     * The filesystem's ->pfn_mkwrite (dax_iomap_fault with a write on a present R/O PTE) in a shared mapping: a
     * written block becomes writable and dirty; a hole's zeropage is unmapped (unmap_mapping_pages(), which puts the
     * zeropage back only if vm_normal_page() returns it) and the newly allocated block is mapped writable.
     */
    static boolean pfnMkwrite(Kernel k, Pid p, Vaddr a) {
        Pte.Present pr = (Pte.Present) k.pte(p, a);
        Vma vma = k.vma(p, a);
        if (!pr.folio().isZero() && k.daxBlockIfAllocated(a) != null) {
            k.call("dax_iomap_pfn_mkwrite: the block becomes writable");
            k.setPte(p, a, vma.write() ? pr.mkdirty().mkwrite() : pr.mkdirty());
            return true;
        }
        k.call("dax_iomap_pte_fault(write) on a hole: unmap_mapping_pages() the zeropage, allocate the block");
        Memory.zapPte(k, p, a);
        k.setPte(p, a, new Pte.Present(k.daxBlock(a), vma.write(), true, true, true));
        return true;
    }
}
