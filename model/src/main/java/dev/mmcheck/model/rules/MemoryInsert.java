package dev.mmcheck.model.rules;

import dev.mmcheck.model.profile.Decisions.RemapPfnCowPgoff;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.profile.Decisions.ZeropageInsert;
import dev.mmcheck.model.state.Folio;
import dev.mmcheck.model.state.FolioId;
import dev.mmcheck.model.state.FolioKind;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.Vaddr;
import dev.mmcheck.model.state.Vma;
import dev.mmcheck.model.state.VmaKind;

/**
 * mm/memory.c: the insertion API drivers and filesystems map memory with (remap_pfn_range(), vmf_insert_pfn() and
 * insert_pfn(), vm_insert_page() and insert_page(), vmf_insert_mixed()), and vm_normal_page(), which every other rule
 * asks whether a PTE has a struct page it may reference.
 * Abstracts away: pgprot and caching attributes, x86 PAT (track_pfn_*), pfn_t and the devmap PTE bit (an FSDAX block
 * is known by its folio kind), huge and PUD mappings, the batched vm_insert_pages().
 */
public final class MemoryInsert {
    private MemoryInsert() {
    }

    /**
     * mm/memory.c: vm_normal_page() (v4.8-v7.1): the page behind a present PTE, or null for a mapping with no struct
     * page to reference. With pte_special (x86_64, arm64, ...): a special PTE gives NULL (a VM_PFNMAP/VM_MIXEDMAP
     * PFN, the zeropage, an FSDAX devmap block); any other PTE gives its page, the zeropage included (insert_page()
     * mapped it non-special before v6.11). Without pte_special: in a VM_MIXEDMAP VMA a PFN without struct page gives
     * NULL, the zeropage its page before v6.11 and NULL from it (seed 000), any other page its page; in a VM_PFNMAP
     * VMA a PFN at the remap_pfn_range() linear offset, or any PFN of a shared mapping, gives NULL; then the zeropage
     * gives NULL (is_zero_pfn()).
     */
    static FolioId vmNormalPage(Kernel k, Pid p, Vaddr a, Pte.Present pr) {
        FolioKind kind = pr.folio().isZero() ? null : k.folio(pr.folio()).kind();
        return vmNormalPage(k.profile, k.vma(p, a), pr, kind);
    }

    /** The same rule on its inputs alone: the profile, the VMA, the PTE and the kind of what it maps (null: the zeropage). */
    public static FolioId vmNormalPage(Profile profile, Vma vma, Pte.Present pr, FolioKind kind) {
        FolioId f = pr.folio();
        // The devmap test (v4.19-v6.14): an FSDAX block mapped through its pfn is not a normal page.
        if (kind == FolioKind.DAX) return null;
        if (profile.hasPteSpecial()) {
            return pr.special() ? null : f;
        }
        if (vma.mixedmap()) {
            if (kind == FolioKind.PFN) return null;
            if (f.isZero() && profile.zeropageInsert() == ZeropageInsert.SPECIAL) return null;
            return f;
        }
        if (vma.pfnmap()) {
            boolean linear = kind == FolioKind.PFN && !(vma.isCow() && profile.remapPfnCowPgoff() == RemapPfnCowPgoff.NOT_SET);
            if (linear || !vma.isCow()) return null;
        }
        if (f.isZero()) return null;
        return f;
    }

    /**
     * remap_pfn_range() at mmap: VM_IO|VM_PFNMAP (set by the caller's VMA kind), every PTE pte_special to the device's
     * PFN with the VMA's protection (writable in a shared VM_WRITE mapping, which has no write-notify), no reference.
     * For a COW mapping it requires the whole VMA and sets vm_pgoff to the PFN (the linear rule vm_normal_page() uses).
     */
    static void remapPfnRange(Kernel k, Pid p, Vaddr a) {
        k.call("remap_pfn_range: VM_IO|VM_PFNMAP, pte_mkspecial(pfn)");
        insertSpecial(k, p, a, k.devicePfn(a));
    }

    /**
     * insert_pfn() (vmf_insert_pfn() at fault, __vm_insert_mixed() on an arch with pte_special): pte_mkspecial() with
     * the VMA's protection, no reference, no rmap.
     */
    static void insertPfn(Kernel k, Pid p, Vaddr a, FolioId target) {
        k.call("insert_pfn: pte_mkspecial, no reference");
        insertSpecial(k, p, a, target);
    }

    private static void insertSpecial(Kernel k, Pid p, Vaddr a, FolioId target) {
        Vma vma = k.vma(p, a);
        boolean writable = vma.kind().shared() && vma.write() && !writeNotify(vma);
        k.setPte(p, a, new Pte.Present(target, writable, false, false, true));
    }

    /**
     * insert_page() (vm_insert_page(), vm_map_pages(), __vm_insert_mixed() without pte_special): a reference and a
     * file rmap on the page, a non-special PTE with the VMA's protection. The zeropage: before v6.11 like any page
     * (and the PTE remembers it took the reference); from v6.11 (fce831c92092) pte_mkspecial() with neither, and only
     * where vm_mixed_zeropage_allowed(), else -EINVAL. Returns false for -EINVAL.
     */
    static boolean insertPage(Kernel k, Pid p, Vaddr a, FolioId page) {
        Vma vma = k.vma(p, a);
        boolean writable = vma.kind().shared() && vma.write() && !writeNotify(vma);
        if (page.isZero() && k.profile.zeropageInsert() == ZeropageInsert.SPECIAL) {
            if (!zeropageAllowed(k, p, vma)) {
                k.call("insert_page: vm_mixed_zeropage_allowed() is false: -EINVAL");
                return false;
            }
            k.call("insert_page: the zeropage, pte_mkspecial, no reference");
            k.setPte(p, a, new Pte.Present(page, writable, false, false, true));
            return true;
        }
        if (k.trace) k.call("insert_page: get_page + page_add_file_rmap on " + page);
        k.get(page, 1);
        k.mapcountAdd(page, 1);
        k.setPte(p, a, new Pte.Present(page, writable, false, false, false, page.isZero()));
        return true;
    }

    /**
     * vmf_insert_mixed(): vm_mixed_ok() admits the zeropage in any VMA; __vm_insert_mixed() uses insert_pfn() where the
     * arch has pte_special and insert_page() for a pfn_valid() page where it does not. Returns false for SIGBUS.
     */
    static boolean vmfInsertMixed(Kernel k, Pid p, Vaddr a, FolioId page) {
        k.call("vmf_insert_mixed -> __vm_insert_mixed");
        if (k.profile.hasPteSpecial()) {
            insertPfn(k, p, a, page);
            return true;
        }
        return insertPage(k, p, a, page);
    }

    /**
     * vm_mixed_zeropage_allowed() (v6.11): not if mm_forbids_zeropage(); yes in a COW mapping, or where no PTE can
     * ever be writable (no VM_WRITE or VM_MAYWRITE); otherwise only an FSDAX or VM_IO mapping with ->pfn_mkwrite.
     */
    static boolean zeropageAllowed(Kernel k, Pid p, Vma vma) {
        if (k.process(p).forbidsZeropage()) return false;
        if (vma.isCow()) return true;
        if (!vma.write() && !vma.mayWrite()) return true;
        return vma.kind().fsdax();
    }

    /**
     * vma_wants_writenotify(): a shared file mapping with ->page_mkwrite, and FSDAX (->pfn_mkwrite), map R/O until the
     * first write; driver mappings (VM_PFNMAP, VM_MIXEDMAP without ->page_mkwrite) map with VM_WRITE's protection.
     */
    static boolean writeNotify(Vma vma) {
        return vma.kind() == VmaKind.FILE_SHARED || vma.kind().fsdax();
    }

    /**
     * vma_wants_writenotify() with the release: shmem has no ->page_mkwrite, so a shared shmem mapping maps with
     * VM_WRITE's protection, except that uffd-wp forces write-notify from v6.2 (51d3d5eb74ff).
     */
    static boolean writeNotify(Vma vma, dev.mmcheck.model.profile.Profile profile) {
        if (vma.kind() == VmaKind.SHMEM_SHARED) {
            return vma.uffdWp() && profile.uffdShmemWritenotify() == dev.mmcheck.model.profile.Decisions.UffdShmemWritenotify.YES;
        }
        return writeNotify(vma);
    }

    /** What the VMA's mmap() maps at once: remap_pfn_range() for pfnmaps, vm_map_pages() for VM_MIXEDMAP drivers. */
    static boolean populateAtMmap(Kernel k, Pid p, Vaddr a) {
        return switch (k.vma(p, a).kind().backing()) {
            case REMAP_PFN -> {
                remapPfnRange(k, p, a);
                yield true;
            }
            case DRIVER_PAGES -> {
                k.call("vm_map_pages -> vm_insert_page");
                yield insertPage(k, p, a, k.driverPage(a));
            }
            case ZERO_PAGES -> {
                k.call("vm_insert_page(ZERO_PAGE)");
                yield insertPage(k, p, a, FolioId.ZERO);
            }
            default -> true;
        };
    }

    /** Whether a present PTE maps a page of anonymous memory as vm_normal_page() sees it. */
    static boolean mapsAnon(Kernel k, Pid p, Vaddr a, Pte.Present pr) {
        FolioId f = vmNormalPage(k, p, a, pr);
        if (f == null || f.isZero()) return false;
        Folio folio = k.folio(f);
        return folio.isAnon();
    }
}
