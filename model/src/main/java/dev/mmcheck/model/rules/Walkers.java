package dev.mmcheck.model.rules;

import dev.mmcheck.model.profile.Decisions.PagesStatWalk;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.profile.Release;
import dev.mmcheck.model.state.FolioId;
import dev.mmcheck.model.state.FolioKind;
import dev.mmcheck.model.state.MmState;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.Vaddr;
import dev.mmcheck.model.state.Vma;

/**
 * The page-table walkers, as observations of a state (they change nothing): what each would report for one address.
 * Specs name them in conditions ({@code P0:folio_walk(A) == anon}); invariants compare them.
 * <ul>
 * <li>vm_normal_page() (mm/memory.c);</li>
 * <li>the folio walker of the release: follow_page(FOLL_DUMP) before v6.12, folio_walk_start(FW_ZEROPAGE) from it
 * (mm/pagewalk.c, aa39ca6940f1), or seed 001's proposed early return for VM_IO|VM_PFNMAP;</li>
 * <li>walk_page_test() (mm/pagewalk.c), which skips VM_PFNMAP but not VM_IO;</li>
 * <li>move_pages(nodes=NULL): do_pages_stat_array() (mm/migrate.c);</li>
 * <li>GUP's check_vma_flags() (mm/gup.c) for a plain R/O get_user_pages().</li>
 * </ul>
 */
public final class Walkers {
    private Walkers() {
    }

    /** What a walker returns for an address: no folio, or the kind of folio. */
    public enum Found {
        NONE("none"), ZEROPAGE("zeropage"), ANON("anon"), PAGECACHE("pagecache"), DRIVER("driver-page"), DAX("dax-block"),
        PFN("raw-pfn");

        private final String specName;

        Found(String specName) {
            this.specName = specName;
        }

        public String specName() {
            return specName;
        }

        static Found of(MmState s, FolioId f) {
            if (f == null) return NONE;
            if (f.isAnyZero()) return ZEROPAGE;
            return switch (s.folio(f).kind()) {
                case ANON -> ANON;
                case PAGECACHE -> PAGECACHE;
                case DRIVER -> DRIVER;
                case DAX -> DAX;
                case PFN -> PFN;
                case FREE -> throw new IllegalStateException("a PTE maps a free folio slot");
            };
        }
    }

    /** The outcome of move_pages(nodes=NULL) for one address. */
    public enum PagesStat {
        NODE("node0"), EFAULT("-EFAULT"), ENOENT("-ENOENT");

        private final String specName;

        PagesStat(String specName) {
            this.specName = specName;
        }

        public String specName() {
            return specName;
        }
    }

    private static Pte.Present present(MmState s, Pid p, Vaddr a) {
        return s.process(p).pte(a) instanceof Pte.Present pr ? pr : null;
    }

    private static FolioKind kind(MmState s, Pte.Present pr) {
        return pr.folio().isZero() ? null : s.folio(pr.folio()).kind();
    }

    /** The folio vm_normal_page() returns for the address, if a PTE maps one. */
    public static FolioId vmNormalPageFolio(Profile profile, MmState s, Pid p, Vaddr a) {
        // vm_normal_page_pmd() for a PMD: the subpage of a THP, nothing for the huge zeropage
        if (s.process(p).pmd(a) instanceof dev.mmcheck.model.state.Pmd.Huge h) {
            return h.folio().isHugeZero() ? null : MmState.subpage(h.folio(), a);
        }
        Pte.Present pr = present(s, p, a);
        if (pr == null) return null;
        return MemoryInsert.vmNormalPage(profile, s.process(p).vma(a), pr, kind(s, pr));
    }

    public static Found vmNormalPage(Profile profile, MmState s, Pid p, Vaddr a) {
        return Found.of(s, vmNormalPageFolio(profile, s, p, a));
    }

    /**
     * The release's folio walker: follow_page() (before v6.12) or folio_walk_start() with FW_ZEROPAGE (v6.12+)
     * return vm_normal_page()'s folio, or the zeropage for its PFN; seed 001's proposal returns nothing at once for
     * VM_IO|VM_PFNMAP.
     */
    public static FolioId folioWalkFolio(Profile profile, MmState s, Pid p, Vaddr a) {
        Vma vma = s.process(p).vma(a);
        if (profile.pagesStatWalk() == PagesStatWalk.FOLIO_WALK_EARLY_RETURN && (vma.pfnmap() || vma.io())) return null;
        if (s.process(p).pmd(a) instanceof dev.mmcheck.model.state.Pmd.Huge h) return MmState.subpage(h.folio(), a);
        Pte.Present pr = present(s, p, a);
        if (pr == null) return null;
        FolioId page = MemoryInsert.vmNormalPage(profile, vma, pr, kind(s, pr));
        if (page == null && pr.folio().isZero()) return FolioId.ZERO;
        return page;
    }

    public static Found folioWalk(Profile profile, MmState s, Pid p, Vaddr a) {
        return Found.of(s, folioWalkFolio(profile, s, p, a));
    }

    /** walk_page_test() without a test_walk callback: a VM_PFNMAP VMA is skipped, VM_IO alone is walked. */
    public static boolean walkPageTestWalks(MmState s, Pid p, Vaddr a) {
        Vma vma = s.process(p).vma(a);
        return vma.mapped() && !vma.pfnmap();
    }

    /**
     * do_pages_stat_array() for one address. Before v6.12, follow_page(FOLL_DUMP): a PTE with no normal page (the
     * zeropage, a raw PFN) or an unpopulated address of an anonymous or fault-less VMA is -EFAULT, of a VMA with
     * ->fault -ENOENT; an FSDAX block its node before v6.0 and -ENOENT (zone device) from it. From v6.12,
     * folio_walk_start(FW_ZEROPAGE): the zeropage -EFAULT, an FSDAX block -ENOENT, no folio -ENOENT.
     */
    public static PagesStat pagesStat(Profile profile, MmState s, Pid p, Vaddr a) {
        Vma vma = s.process(p).vma(a);
        if (!vma.mapped()) return PagesStat.EFAULT;
        if (s.process(p).pmd(a) instanceof dev.mmcheck.model.state.Pmd.Huge h) {
            return h.folio().isHugeZero() ? PagesStat.EFAULT : PagesStat.NODE;
        }
        if (profile.pagesStatWalk() == PagesStatWalk.FOLLOW_PAGE_DUMP) {
            Pte.Present pr = present(s, p, a);
            if (pr == null) {
                boolean hasFault = switch (vma.kind().backing()) {
                    case FILE, FAULT_PFN, DAX, FUSE_DAX -> true;
                    default -> false;
                };
                return hasFault ? PagesStat.ENOENT : PagesStat.EFAULT;
            }
            FolioKind kind = kind(s, pr);
            if (kind == FolioKind.DAX) {
                return Release.parse(profile.release()).atLeast(new Release(6, 0)) ? PagesStat.ENOENT : PagesStat.NODE;
            }
            return MemoryInsert.vmNormalPage(profile, vma, pr, kind) == null ? PagesStat.EFAULT : PagesStat.NODE;
        }
        FolioId f = folioWalkFolio(profile, s, p, a);
        if (f == null) return PagesStat.ENOENT;
        if (f.isZero()) return PagesStat.EFAULT;
        return s.folio(f).kind() == FolioKind.DAX ? PagesStat.ENOENT : PagesStat.NODE;
    }

    /** check_vma_flags() for a R/O FOLL_GET: no VMA or VM_IO|VM_PFNMAP give -EFAULT. */
    public static boolean gupAllowed(MmState s, Pid p, Vaddr a) {
        Vma vma = s.process(p).vma(a);
        return vma.mapped() && !vma.pfnmap() && !vma.io();
    }
}
